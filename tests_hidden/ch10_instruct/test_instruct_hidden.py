"""Hidden checks for ch10_instruct: fresh entries against independent oracles, collate edge cases and a
property test, score parsing, and OllamaJudge against the kit's fake Ollama server."""
import random

import pytest
import torch
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from grader.harness import check
from tests_hidden.ch10_instruct import probes as P

from . import oracles as O

PAD, IGNORE = 50256, -100
PROPERTY = settings(max_examples=15, derandomize=True, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                    report_multiple_bugs=False, suppress_health_check=list(HealthCheck))
ZH = "\u4e00-\u9fff"


def kit_entries(n, seed):
    return P.kitdata_module("instructions").generate_instructions(n, seed)


def has_zh_and_en(text):
    import re

    return bool(re.search(f"[{ZH}]", text)) and bool(re.search(r"[A-Za-z]{4,}", text))


# ----------------------------------------------------------------- 10.1 format_input
@pytest.mark.task("10.1")
def test_format_input_generated_entries(run):
    entries = kit_entries(60, 101)
    check.equal(run(P.format_many, entries), [O.prompt_oracle(e) for e in entries], what="format_input on 60 fresh entries")


@pytest.mark.task("10.1")
def test_format_input_missing_and_multiline_input(run):
    entries = [{"instruction": "Name a colour.", "output": "Blue."},
               {"instruction": "Summarise the lines.", "input": "first line\nsecond line", "output": "Two lines."},
               {"instruction": "Repeat the input.", "input": " ", "output": " "}]
    check.equal(run(P.format_many, entries), [O.prompt_oracle(e) for e in entries],
                what="format_input (no `input` key; a multi-line input; a blank but non-empty input)")


# ----------------------------------------------------------------- 10.2 partition_data
@pytest.mark.task("10.2")
@pytest.mark.parametrize("n,kwargs", [(1100, {}), (7, {}), (50, {"train_frac": 0.6, "test_frac": 0.25}),
                                      (19, {"train_frac": 0.5, "test_frac": 0.5}), (3, {"train_frac": 0.34, "test_frac": 0.33})])
def test_partition_data_oracle(run, n, kwargs):
    data = [f"entry-{i}" for i in range(n)]
    check.equal(run(P.partition, data, kwargs), O.partition_oracle(data, **kwargs), what=f"partition_data({n} entries, {kwargs})")


# ----------------------------------------------------------------- 10.3 InstructionDataset
@pytest.mark.task("10.3")
def test_instruction_dataset_generated_entries(run):
    tokenizer = P.kitdata_module("tinygpt").gpt2_encoding()
    entries = kit_entries(40, 202) + [{"instruction": "Say hello.", "output": "Hello."}]
    want = [tokenizer.encode(O.training_text_oracle(e)) for e in entries]
    got = run(P.dataset_encode, entries)
    check.equal(got["len"], len(entries), what="len(InstructionDataset)")
    check.equal(got["encoded_texts"], want, what="InstructionDataset.encoded_texts (41 entries)")
    check.equal(got["items"], want, what="InstructionDataset[i]")


# ----------------------------------------------------------------- 10.4 custom_collate_fn
def _check_collate(got, batch, kwargs, what):
    names = {"pad_token_id": "pad", "ignore_index": "ignore", "allowed_max_length": "allowed_max_length"}
    inputs, targets = O.collate_oracle(batch, **{names[k]: v for k, v in kwargs.items() if k in names})
    check.equal(got["dtypes"], ["torch.int64", "torch.int64"], what=f"{what}: dtypes")
    check.equal(got["inputs"], inputs, what=f"{what}: inputs")
    check.equal(got["targets"], targets, what=f"{what}: targets")


@pytest.mark.task("10.4")
def test_collate_sequences_already_ending_in_pad(run):
    batch = [[11, 12, PAD], [13, PAD, PAD, 14], [PAD]]
    _check_collate(run(P.collate, batch, {}), batch, {}, "sequences that already contain the pad id")


@pytest.mark.task("10.4")
@pytest.mark.parametrize("allowed", [1, 4, 6, 7, 50])
def test_collate_allowed_max_length_edges(run, allowed):
    batch = [[3, 1, 4, 1, 5, 9], [2, 6], [5, 3, 5]]
    _check_collate(run(P.collate, batch, {"allowed_max_length": allowed}), batch, {"allowed_max_length": allowed},
                   f"allowed_max_length={allowed} (longest sequence + 1 = 7)")


@pytest.mark.task("10.4")
def test_collate_custom_pad_and_ignore(run):
    batch = [[7, 0, 7], [1], [0, 0]]
    kwargs = {"pad_token_id": 0, "ignore_index": -1}
    _check_collate(run(P.collate, batch, kwargs), batch, kwargs, "pad_token_id=0, ignore_index=-1")


@pytest.mark.task("10.4")
def test_collate_single_sequence_and_input_unchanged(run):
    batch = [[42, 43, 44]]
    got = run(P.collate, batch, {})
    _check_collate(got, batch, {}, "a batch of one")
    check.equal(got["batch_unchanged"], [[42, 43, 44]], what="the batch after custom_collate_fn (must not be modified)")


@pytest.mark.task("10.4")
def test_collate_device_placement(run):
    got = run(P.collate, [[1, 2], [3]], {"device": "meta"})
    check.equal(got["devices"], ["meta", "meta"], what='custom_collate_fn(device="meta"): the tensors\' devices')


BATCHES = st.lists(st.lists(st.lists(st.one_of(st.integers(0, 60), st.just(PAD)), min_size=1, max_size=12),
                            min_size=1, max_size=6), min_size=8, max_size=12)


@pytest.mark.task("10.4")
@PROPERTY
@given(batches=BATCHES, allowed=st.one_of(st.none(), st.integers(1, 14)))
def test_collate_property_vs_oracle(run, batches, allowed):
    kwargs = {} if allowed is None else {"allowed_max_length": allowed}
    got = run(P.collate_many, batches, kwargs)
    for batch, (inputs, targets) in zip(batches, got):
        want_in, want_out = O.collate_oracle(batch, allowed_max_length=allowed)
        check.equal(inputs, want_in, what=f"custom_collate_fn inputs for {batch} ({kwargs})")
        check.equal(targets, want_out, what=f"custom_collate_fn targets for {batch} ({kwargs})")


# ----------------------------------------------------------------- 10.5 extract_response
@pytest.mark.task("10.5")
def test_extract_response_variants(run):
    prompt = O.prompt_oracle(kit_entries(1, 303)[0])
    pairs = [[prompt + "\n\n### Response:\n  The answer is 7.  \n\n", prompt],
             [prompt + "\n\n### Response:\nFirst.\n### Response:\nSecond.", prompt],
             [prompt + "no header here", prompt],
             [prompt, prompt]]
    check.equal(run(P.extract_many, pairs), [O.extract_oracle(g, p) for g, p in pairs], what="extract_response")


# ----------------------------------------------------------------- 10.6 score_responses
@pytest.mark.task("10.6")
def test_score_responses_parsing_and_warnings(run):
    entries = [dict(e, model_response=f"answer {i}") for i, e in enumerate(kit_entries(8, 404))]
    answers = ["100", "0", "Score: 73 out of 100", "eighty", "150", "-5", "  42\n", ""]
    got = run(P.score_scripted, entries, answers)
    check.equal(got.get("scores"), [100, 0, 73, 42], what="score_responses: the scores kept")
    check.equal(got["score_types"], ["int"], what="score_responses: the type of the scores")
    check.equal(len(got["warnings"]), 4, what="score_responses: one warning per skipped answer ('eighty', '150', '-5', '')")
    check.that(all(w["category"] == "UserWarning" for w in got["warnings"]),
               {"zh": "跳过的分数应该用 warnings.warn 发出 UserWarning", "en": "skipped scores should be reported with warnings.warn (a UserWarning)"})
    check.that("eighty" in got["warnings"][0]["message"],
               {"zh": "警告信息应该引用评分器的原话", "en": "the warning should quote the judge's answer"})
    check.equal(got["prompts"], [O.judge_prompt_oracle(e) for e in entries], what="score_responses: the prompts")


@pytest.mark.task("10.6")
def test_score_responses_json_key(run):
    entries = [dict(e, fine_tuned="my answer") for e in kit_entries(3, 505)]
    got = run(P.score_scripted, entries, ["10", "20", "30"], "fine_tuned")
    check.equal(got.get("scores"), [10, 20, 30], what='score_responses(json_key="fine_tuned")')
    check.equal(got["prompts"], [O.judge_prompt_oracle(e, "fine_tuned") for e in entries], what="the prompts with json_key")


@pytest.mark.task("10.6")
def test_score_responses_with_offline_judge(run):
    entries = [dict(e) for e in kit_entries(4, 606)]
    for i, e in enumerate(entries):
        e["model_response"] = e["output"] if i % 2 == 0 else "something else entirely"
    got = run(P.score_scripted, entries, [run(P.overlap_judge, [O.judge_prompt_oracle(e)])[0] for e in entries])
    check.equal(got.get("scores")[0::2], [100, 100], what="OverlapJudge scores of exact answers through score_responses")


# ----------------------------------------------------------------- 10.7 OllamaJudge
def _raised(answer, what):
    check.that("raised" in answer, {"zh": f"{what}：应该抛出 OllamaError，却返回了 {answer.get('answer')!r}",
                                    "en": f"{what}: should raise OllamaError, returned {answer.get('answer')!r}"})
    check.that("RuntimeError" in answer["raised"],
               {"zh": f"{what}：抛出的 {answer['raised'][0]} 不是 OllamaError（RuntimeError 的子类）",
                "en": f"{what}: raised {answer['raised'][0]}, not an OllamaError (a RuntimeError)"})
    check.that(has_zh_and_en(answer["message"]),
               {"zh": f"{what}：错误信息要有中文和英文", "en": f"{what}: the error message needs Chinese and English"})


@pytest.mark.task("10.7")
def test_ollama_request_fields_and_host_forms(run):
    replies = [{"chunks": ["7", "5"]}, {"chunks": ["ok"]}]
    got = run(P.ollama_chat, replies, ["first prompt", "second"], {"model": "phi3", "seed": 7, "num_ctx": 4096, "timeout": 10},
              host="{addr}/")
    check.equal([a.get("answer") for a in got["answers"]], ["75", "ok"], what="OllamaJudge answers (host without http://, trailing /)")
    want = {"model": "phi3", "messages": [{"role": "user", "content": "first prompt"}],
            "options": {"seed": 7, "temperature": 0, "num_ctx": 4096}, "stream": True}
    check.equal(got["requests"][0]["body"], want, what="OllamaJudge: the JSON it posts")
    check.equal([r["path"] for r in got["requests"]], ["/api/chat", "/api/chat"], what="OllamaJudge: request paths")
    check.that((got["requests"][0]["content_type"] or "").startswith("application/json"),
               {"zh": "请求头 Content-Type 应该是 application/json", "en": "the request's Content-Type should be application/json"})


@pytest.mark.task("10.7")
def test_ollama_stops_at_done(run):
    got = run(P.ollama_chat, [{"chunks": ["Sc", "ore", ": 9", "0"], "after": ["this is not JSON"]}], ["p"], {"timeout": 10})
    check.equal(got["answers"][0].get("answer"), "Score: 90", what="OllamaJudge: contents up to the done line")


@pytest.mark.task("10.7")
@pytest.mark.parametrize("reply,what", [
    ({"lines": ["<html>not json</html>"]}, "a line that is not JSON"),
    ({"lines": ['{"message": {"role": "assistant"}, "done": true}']}, "a line without message.content"),
    ({"lines": ['{"error": "model \\"llama3\\" not found, try pulling it first"}']}, "an {\"error\": ...} line"),
    ({"status": 404, "body": '{"error": "model \\"llama3\\" not found, try pulling it first"}'}, "HTTP 404"),
])
def test_ollama_malformed_answers(run, reply, what):
    got = run(P.ollama_chat, [reply], ["p"], {"timeout": 10})
    _raised(got["answers"][0], f"OllamaJudge on {what}")


@pytest.mark.task("10.7")
def test_ollama_timeout(run):
    got = run(P.ollama_chat, [{"chunks": ["1", "2"], "stall": 4}], ["p"], {"timeout": 0.5}, timeout=30)
    answer = got["answers"][0]
    _raised(answer, "OllamaJudge(timeout=0.5) on a server that stalls for 4 s")
    check.that(answer["seconds"] < 3.0, {"zh": f"超时 0.5 秒，却等了 {answer['seconds']:.1f} 秒",
                                         "en": f"timeout 0.5 s, but it waited {answer['seconds']:.1f} s"})


@pytest.mark.task("10.7")
def test_ollama_no_server(run):
    got = run(P.ollama_no_server, {"timeout": 5}, timeout=30)
    _raised(got, "OllamaJudge with no server")
    check.that(got["url"].split("/api/")[0] in got["message"] and "ollama serve" in got["message"],
               {"zh": "没有服务器时，错误信息应写出地址并提示运行 `ollama serve`",
                "en": "with no server, the message should name the address and say to run `ollama serve`"})


@pytest.mark.task("10.6", "10.7")
def test_score_responses_with_ollama_judge(run):
    entries = [dict(e, model_response="x") for e in kit_entries(5, 707)]
    replies = [{"chunks": ["8", "8"]}, {"chunks": ["I'd say ", "very good"]}, {"chunks": ["Score", ": 61"]},
               {"chunks": ["1000"]}, {"chunks": ["5"]}]
    got = run(P.ollama_scores, replies, entries)
    check.equal(got.get("scores"), [88, 61, 5], what="score_responses with OllamaJudge (non-numeric and out-of-range skipped)")
    check.equal(len(got["warnings"]), 2, what="warnings for the two skipped answers")
    check.equal(got["n_requests"], 5, what="requests sent to the server")
