"""Extractive question answering for chapter 14, offline-first.

* :func:`generate_examples` — bilingual (Chinese / English) question, context, answer triples made
  from templates (people, cities, years, jobs, festivals, months), deterministic for a seed;
* :func:`kit_qa_model` — a small ``BertForQuestionAnswering`` (tiny config) and a WordPiece
  tokenizer trained with ``tokenizers`` on the kit's own generated text, trained on such triples
  and cached as a local folder that ``from_pretrained`` (model and fast tokenizer) and
  ``transformers.pipeline("question-answering", ...)`` load (a prepare step of a few CPU minutes);
* :func:`qa_model_dir` — the handout's ``uer/roberta-base-chinese-extractive-qa`` when it can be
  downloaded (or is in the Hugging Face cache), else the kit's model;
* :func:`qa_pipeline` — ``transformers.pipeline("question-answering")`` where it exists; transformers 5
  removed that task, so there :class:`QAPipeline` does the same steps with transformers' own span
  selection (``select_starts_ends``, which the removed pipeline used).
"""
from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Optional

from kitdata.fetch import build_folder, cache_dir, is_offline, manifest, say

__all__ = ["generate_examples", "kit_qa_model", "qa_model_dir", "qa_pipeline", "QAPipeline", "QA_TRAIN",
           "HANDOUT_MODEL"]

HANDOUT_MODEL = "uer/roberta-base-chinese-extractive-qa"
QA_VERSION = 1
QA_TRAIN = {"n_examples": 6000, "seed": 1234, "epochs": 4, "batch_size": 32, "lr": 3e-3, "vocab_size": 700,
            "hidden": 128, "layers": 2, "heads": 2, "max_length": 128}

_EN_FIRST = ["Mara", "Tobin", "Elena", "Jonas", "Priya", "Felix", "Ines", "Oskar", "Lena", "Rafael", "Nadia", "Hugo",
             "Amara", "Viktor", "Sofia", "Declan", "Yara", "Milo", "Freya", "Anton"]
_EN_LAST = ["Quill", "Ashford", "Moreau", "Lindqvist", "Okafor", "Brandt", "Castillo", "Novak", "Haddad", "Whitlow",
            "Ferreira", "Kowalski", "Tanaka", "Ivanova", "Dunmore", "Petrov", "Alvarez", "Sorensen", "Mbeki", "Rowan"]
_ZH_FAMILY = list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗梁")
_ZH_GIVEN = list("明华芳伟静磊洋艳勇军杰娟涛超霞平刚桂英玲")
_EN_CITIES = ["Paris", "Cairo", "Lima", "Oslo", "Osaka", "Nairobi", "Quito", "Dublin", "Hanoi", "Perth", "Seville",
              "Kyoto", "Lisbon", "Krakow", "Tunis", "Bergen", "Porto", "Santiago", "Tallinn", "Adelaide"]
_ZH_CITIES = ["北京", "上海", "成都", "杭州", "西安", "南京", "武汉", "广州", "重庆", "昆明", "青岛", "厦门", "苏州",
              "长沙", "哈尔滨", "拉萨", "大连", "贵阳", "兰州", "桂林"]
_JOBS = [("teacher", "教师"), ("pilot", "飞行员"), ("baker", "面包师"), ("engineer", "工程师"), ("nurse", "护士"),
         ("painter", "画家"), ("farmer", "农民"), ("lawyer", "律师"), ("chemist", "化学家"), ("librarian", "图书管理员"),
         ("architect", "建筑师"), ("journalist", "记者")]
_EVENTS = [("lantern festival", "灯会"), ("book fair", "书展"), ("kite festival", "风筝节"), ("jazz festival", "爵士音乐节"),
           ("flower show", "花展"), ("film festival", "电影节"), ("boat race", "龙舟赛"), ("food market", "美食节")]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_FILLERS_EN = ["The weather there is often mild.", "Many visitors arrive by train.", "The old town has narrow streets.",
               "Local markets open early in the morning.", "A river runs through the centre."]
_FILLERS_ZH = ["那里的天气通常很温和。", "许多游客乘火车到达。", "老城区的街道很窄。", "当地的市场一大早就开门。", "一条河流穿过市中心。"]


def _person(rng: random.Random, zh: bool) -> tuple[str, str, list[tuple[str, str]]]:
    """A person paragraph: ``(context, name, [(question, answer), ...])``."""
    city, home = rng.sample(_ZH_CITIES if zh else _EN_CITIES, 2)
    year = str(rng.randint(1900, 2015))
    job_en, job_zh = rng.choice(_JOBS)
    filler = rng.choice(_FILLERS_ZH if zh else _FILLERS_EN)
    if zh:
        name = rng.choice(_ZH_FAMILY) + "".join(rng.sample(_ZH_GIVEN, rng.randint(1, 2)))
        context = f"{name}于{year}年出生在{city}。{filler}{name}是一名{job_zh}，现在住在{home}。"
        qas = [(f"{name}出生在哪里？", city), (f"{name}是哪一年出生的？", year), (f"{name}的职业是什么？", job_zh),
               (f"{name}现在住在哪里？", home)]
    else:
        name = f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"
        context = (f"{name} was born in {city} in {year}. {filler} {name.split()[0]} works as a {job_en} "
                   f"and now lives in {home}.")
        qas = [(f"Where was {name} born?", city), (f"In which year was {name} born?", year),
               (f"What does {name} work as?", job_en), (f"Where does {name} live now?", home)]
    return context, name, qas


def _event(rng: random.Random, zh: bool) -> tuple[str, str, list[tuple[str, str]]]:
    """A festival paragraph: ``(context, event, [(question, answer), ...])``."""
    city = rng.choice(_ZH_CITIES if zh else _EN_CITIES)
    month = rng.randint(1, 12)
    year = str(rng.randint(1850, 2010))
    event_en, event_zh = rng.choice(_EVENTS)
    filler = rng.choice(_FILLERS_ZH if zh else _FILLERS_EN)
    if zh:
        founder = rng.choice(_ZH_FAMILY) + "".join(rng.sample(_ZH_GIVEN, rng.randint(1, 2)))
        context = f"{city}{event_zh}每年{month}月举行。{filler}它最早由{founder}在{year}年创办。"
        qas = [(f"{event_zh}在哪个城市举行？", city), (f"{event_zh}在几月举行？", f"{month}月"),
               (f"谁创办了{event_zh}？", founder), (f"{event_zh}是哪一年创办的？", year)]
    else:
        founder = f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"
        context = (f"The {event_en} of {city} is held every {_MONTHS[month - 1]}. {filler} "
                   f"It was first organised by {founder} in {year}.")
        qas = [(f"In which city is the {event_en} held?", city),
               (f"In which month is the {event_en} held?", _MONTHS[month - 1]),
               (f"Who first organised the {event_en}?", founder), (f"In which year was the {event_en} first organised?", year)]
    return context, event_en, qas


def generate_examples(n: int, seed: int) -> list[dict]:
    """``n`` examples ``{"question", "context", "answer", "answer_start", "lang"}`` (half Chinese, half English).

    ``answer_start`` is the character position of the answer's occurrence the question asks about
    (the answer text occurs exactly once in its context).
    """
    rng = random.Random(seed)
    out: list[dict] = []
    while len(out) < n:
        zh = len(out) % 2 == 0
        context, _, qas = (_person if rng.random() < 0.5 else _event)(rng, zh)
        question, answer = rng.choice(qas)
        if context.count(answer) != 1:
            continue
        out.append({"question": question, "context": context, "answer": answer,
                    "answer_start": context.index(answer), "lang": "zh" if zh else "en"})
    return out


# ----------------------------------------------------------------------------------------------
# The kit's QA model
# ----------------------------------------------------------------------------------------------
def _corpus(examples: list[dict]) -> list[str]:
    return [e["question"] for e in examples] + [e["context"] for e in examples]


def _train(folder: Path, threads: int) -> dict:
    """Train the tokenizer and the model; save both (``save_pretrained``) into ``folder``."""
    import torch
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertForQuestionAnswering, BertTokenizerFast

    cfg = QA_TRAIN
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    start = time.process_time()
    try:
        examples = generate_examples(cfg["n_examples"], cfg["seed"])
        wordpiece = BertWordPieceTokenizer(lowercase=True, handle_chinese_chars=True, strip_accents=False)
        wordpiece.train_from_iterator(_corpus(examples), vocab_size=cfg["vocab_size"], min_frequency=1)
        tokenizer = BertTokenizerFast(vocab=wordpiece.get_vocab(), do_lower_case=True, tokenize_chinese_chars=True,
                                      strip_accents=False, model_max_length=cfg["max_length"])
        torch.manual_seed(cfg["seed"])
        config = BertConfig(vocab_size=len(tokenizer), hidden_size=cfg["hidden"], num_hidden_layers=cfg["layers"],
                            num_attention_heads=cfg["heads"], intermediate_size=cfg["hidden"] * 2,
                            max_position_embeddings=cfg["max_length"], hidden_dropout_prob=0.0,
                            attention_probs_dropout_prob=0.0)
        model = BertForQuestionAnswering(config)
        enc = tokenizer([e["question"] for e in examples], [e["context"] for e in examples],
                        truncation="only_second", max_length=cfg["max_length"], padding="longest",
                        return_offsets_mapping=True, return_tensors="pt")
        starts, ends = [], []
        for i, e in enumerate(examples):
            a, b = e["answer_start"], e["answer_start"] + len(e["answer"])
            seq = enc.sequence_ids(i)
            offsets = enc["offset_mapping"][i].tolist()
            toks = [t for t, sid in enumerate(seq) if sid == 1 and offsets[t][0] < b and offsets[t][1] > a]
            starts.append(toks[0])
            ends.append(toks[-1])
        inputs = {k: enc[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
        starts_t, ends_t = torch.tensor(starts), torch.tensor(ends)
        opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=0.01)
        steps = cfg["epochs"] * ((len(examples) + cfg["batch_size"] - 1) // cfg["batch_size"])
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, cfg["lr"], total_steps=steps)
        gen = torch.Generator().manual_seed(cfg["seed"])
        model.train()
        for _ in range(cfg["epochs"]):
            for idx in torch.randperm(len(examples), generator=gen).split(cfg["batch_size"]):
                width = int(inputs["attention_mask"][idx].sum(1).max())
                batch = {k: v[idx, :width] for k, v in inputs.items()}
                loss = model(**batch, start_positions=starts_t[idx], end_positions=ends_t[idx]).loss
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
        model.eval()
        model.save_pretrained(folder)
        tokenizer.save_pretrained(folder)
        return {"cpu_seconds": time.process_time() - start, "final_loss": float(loss)}
    finally:
        torch.set_num_threads(previous)


def kit_qa_model(threads: int = 2) -> Path:
    """The kit's QA model folder (config, weights, fast tokenizer), trained and cached on first use."""
    return build_folder(cache_dir() / f"kit-qa-bert-v{QA_VERSION}", lambda tmp: _train(tmp, threads),
                        ("首次使用：正在训练项目自带的小型抽取式问答模型（只做一次，约一两分钟）……",
                         "first use: training the kit's small extractive QA model (once, a minute or two)..."))


def qa_model_dir(offline: Optional[bool] = None) -> Path:
    """A local QA model folder: the handout's model from the Hugging Face hub/cache if reachable, else the kit's."""
    if not is_offline(offline):
        try:
            from huggingface_hub import snapshot_download

            return Path(snapshot_download(manifest("qa-model")["hf_repo"]))
        except Exception as exc:  # no network, HF_HUB_OFFLINE=1 and not cached, hub errors
            say(f"无法获取 {HANDOUT_MODEL}（{type(exc).__name__}），改用项目自带的小模型。",
                f"could not get {HANDOUT_MODEL} ({type(exc).__name__}); using the kit's small model instead.")
    return kit_qa_model()


class QAPipeline:
    """What ``pipeline("question-answering")`` did (transformers 4), for a local model folder.

    Tokenize ``question`` + ``context`` with offsets, run the model, mask every non-context token (the
    pipeline's ``p_mask``), pick the span with transformers' ``select_starts_ends`` (softmax, start x
    end probabilities, ``s <= e < s + max_answer_len``) and cut it from the context by offsets
    (``align_to_words=False``; with ``True`` the span is widened to whole words as the pipeline did).
    """

    task = "question-answering"

    def __init__(self, model_dir) -> None:
        from transformers import AutoModelForQuestionAnswering, AutoTokenizer

        self.model = AutoModelForQuestionAnswering.from_pretrained(str(model_dir)).eval()
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))

    def __call__(self, question: str, context: str, max_answer_len: int = 15, align_to_words: bool = True) -> dict:
        import numpy as np
        import torch
        from transformers.pipelines.document_question_answering import select_starts_ends

        enc = self.tokenizer(question, context, return_offsets_mapping=True, truncation="only_second")
        offsets = enc.pop("offset_mapping")
        p_mask = np.array([[0 if sid == 1 else 1 for sid in enc.sequence_ids(0)]])
        p_mask[0, 0] = 0  # the pipeline keeps [CLS] in the softmax, then zeroes its probability
        with torch.no_grad():
            out = self.model(**{k: torch.tensor([v]) for k, v in enc.items()})
        starts, ends, scores, _ = select_starts_ends(out.start_logits.numpy(), out.end_logits.numpy(), p_mask,
                                                     np.array([enc["attention_mask"]]), max_answer_len=max_answer_len)
        s, e = int(starts[0]), int(ends[0])
        if align_to_words:
            words = enc.word_ids(0)
            s = min(i for i, w in enumerate(words) if w == words[s] and enc.sequence_ids(0)[i] == 1)
            e = max(i for i, w in enumerate(words) if w == words[e] and enc.sequence_ids(0)[i] == 1)
        a, b = offsets[s][0], offsets[e][1]
        return {"score": float(scores[0]), "start": a, "end": b, "answer": context[a:b]}


def qa_pipeline(model_dir):
    """``transformers.pipeline("question-answering", model_dir)``, or :class:`QAPipeline` where transformers removed it."""
    from transformers import pipeline

    try:
        return pipeline("question-answering", model=str(model_dir), tokenizer=str(model_dir))
    except (KeyError, ValueError):  # transformers >= 5: "The task question-answering has been removed"
        return QAPipeline(model_dir)
