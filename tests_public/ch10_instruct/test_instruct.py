"""Public tests for ch10_instruct: the book's examples (ch. 7) on the kit's own instruction data."""
import pytest
import torch

from grader.harness import check

from . import probes as P

PAD, IGNORE = 50256, -100
PREAMBLE = ("Below is an instruction that describes a task. "
            "Write a response that appropriately completes the request.")
WITH_INPUT = {"instruction": "Give the opposite of the following word.", "input": "early",
              "output": "The opposite of \"early\" is \"late\"."}
WITHOUT_INPUT = {"instruction": "What is 12 plus 30?", "input": "", "output": "12 plus 30 is 42."}


def _one(called, got, want, compare=check.equal, **tolerances):
    check.cases([called], [got], [want], compare, **tolerances)


@pytest.mark.task("10.1")
def test_format_input_with_and_without_input(run):
    entries = [WITH_INPUT, WITHOUT_INPUT, {"instruction": "Name a colour.", "output": "Blue."}]
    check.cases([check.call("format_input", e) for e in entries], run(P.format_many, entries),
                [PREAMBLE + "\n\n### Instruction:\nGive the opposite of the following word.\n\n### Input:\nearly",
                 PREAMBLE + "\n\n### Instruction:\nWhat is 12 plus 30?", PREAMBLE + "\n\n### Instruction:\nName a colour."])


@pytest.mark.task("10.2")
def test_partition_data_book_sizes(run):
    data = list(range(1100))
    train, test, val = run(P.partition, data, {})
    _one("[len(part) for part in partition_data(list(range(1100)))]", [len(train), len(test), len(val)], [935, 110, 55])
    _one("partition_data(list(range(1100))) (in order, no shuffling)", [train, test, val], [data[:935], data[935:1045], data[1045:]])
    _one("partition_data(list('abcdefg')) (int(5.95) = 5 for training, int(0.7) = 0 for testing)",
         run(P.partition, list("abcdefg"), {}), [list("abcde"), [], list("fg")])


@pytest.mark.task("10.3")
def test_instruction_dataset_encodes_training_text(run):
    tokenizer = P.kitdata_module("tinygpt").gpt2_encoding()
    entries = [WITH_INPUT, WITHOUT_INPUT]
    want = [tokenizer.encode(PREAMBLE + "\n\n### Instruction:\nGive the opposite of the following word.\n\n### Input:\nearly"
                             "\n\n### Response:\nThe opposite of \"early\" is \"late\"."),
            tokenizer.encode(PREAMBLE + "\n\n### Instruction:\nWhat is 12 plus 30?\n\n### Response:\n12 plus 30 is 42.")]
    got = run(P.dataset_encode, entries)
    _one(f"len(InstructionDataset({entries}, tokenizer))", got["len"], 2)
    check.cases([f"InstructionDataset([...], tokenizer).encoded_texts[{i}], entry {e}" for i, e in enumerate(entries)],
                got["encoded_texts"], want)
    check.cases([f"InstructionDataset([...], tokenizer)[{i}], entry {e}" for i, e in enumerate(entries)], got["items"], want)


@pytest.mark.task("10.4")
def test_collate_book_example(run):
    batch = [[0, 1, 2, 3, 4], [5, 6], [7, 8, 9]]
    got = run(P.collate, batch, {})
    called = check.call("custom_collate_fn", batch)
    check.cases([f"{called}: inputs", f"{called}: targets", f"{called}: dtypes", f"{called}: the batch afterwards (unchanged)"],
                [got["inputs"], got["targets"], got["dtypes"], got["batch_unchanged"]],
                [torch.tensor([[0, 1, 2, 3, 4], [5, 6, PAD, PAD, PAD], [7, 8, 9, PAD, PAD]]),
                 torch.tensor([[1, 2, 3, 4, PAD], [6, PAD, IGNORE, IGNORE, IGNORE], [8, 9, PAD, IGNORE, IGNORE]]),
                 ["torch.int64", "torch.int64"], batch])
    _one(check.call("custom_collate_fn", batch, device="meta") + ": the tensors' devices",
         run(P.collate, batch, {"device": "meta"})["devices"], ["meta", "meta"])


@pytest.mark.task("10.4")
def test_collate_allowed_max_length(run):
    batch = [[0, 1, 2, 3, 4], [5, 6], [7, 8, 9]]
    got = run(P.collate, batch, {"allowed_max_length": 3})
    called = check.call("custom_collate_fn", batch, allowed_max_length=3)
    check.cases([f"{called}: inputs", f"{called}: targets"], [got["inputs"], got["targets"]],
                [torch.tensor([[0, 1, 2], [5, 6, PAD], [7, 8, 9]]), torch.tensor([[1, 2, 3], [6, PAD, IGNORE], [8, 9, PAD]])])


@pytest.mark.task("10.5")
def test_extract_response(run):
    prompt = PREAMBLE + "\n\n### Instruction:\nWhat is 12 plus 30?"
    generated = prompt + "\n\n### Response:\n12 plus 30 is 42.\n"
    check.cases([check.call("extract_response", generated, prompt)], run(P.extract_many, [[generated, prompt]]), ["12 plus 30 is 42."])


@pytest.mark.task("10.6")
def test_score_responses_book_prompt_and_skipping(run):
    entries = [dict(WITH_INPUT, model_response="\"late\""), dict(WITHOUT_INPUT, model_response="42"),
               dict(WITHOUT_INPUT, model_response="forty"), dict(WITHOUT_INPUT, model_response="42!")]
    answers = ["85", "Score: 70", "I cannot say.", "420"]
    got = run(P.score_scripted, entries, answers)
    called = f"score_responses(entries, judge), the judge answering {answers}"
    _one(f"{called} (no number in the third answer, 420 is out of 0-100: skipped)", got.get("scores"), [85, 70])
    _one(f"{called}: number of warnings for unparsable answers", len(got["warnings"]), 2)
    want_prompt = ("Given the input `" + PREAMBLE + "\n\n### Instruction:\nWhat is 12 plus 30?` and correct output "
                   "`12 plus 30 is 42.`, score the model response `42` on a scale from 0 to 100, where 100 is the best "
                   "score. Respond with the integer number only.")
    _one(f"{called}: the second prompt sent to the judge (book section 7.8)", got["prompts"][1], want_prompt)


@pytest.mark.task("10.7")
def test_ollama_judge_against_fake_server(run):
    reply = {"chunks": ["Sco", "re: ", "85"], "after": ["(nothing is read after the done line)"]}
    hosts = ["http://{addr}", "{addr}"]  # "http://" is added when the host has no scheme
    got = [run(P.ollama_chat, [reply], ["Rate this answer."], {"model": "llama3", "timeout": 10}, host=h) for h in hosts]
    calls = [f'OllamaJudge(model="llama3", host="{h.format(addr="127.0.0.1:PORT")}")("Rate this answer.")' for h in hosts]
    check.cases(calls, [g["answers"][0].get("answer", g["answers"][0].get("raised")) for g in got], ["Score: 85", "Score: 85"])
    request = got[0]["requests"][0]
    _one(f"{calls[0]}: the request's method and path", [request["method"], request["path"]], ["POST", "/api/chat"])
    _one(f"{calls[0]}: the JSON it posts", request["body"],
         {"model": "llama3", "messages": [{"role": "user", "content": "Rate this answer."}],
          "options": {"seed": 123, "temperature": 0, "num_ctx": 2048}, "stream": True})


def _raises_ollama_error(called: str, answer: dict, says: str = "") -> None:
    check.that("RuntimeError" in answer.get("raised", []) and says in answer.get("message", ""),
               {"zh": f"{called} 应抛出 OllamaError{f'（提示 {says!r}）' if says else ''}，实际：{answer.get('raised', answer.get('answer'))}",
                "en": f"{called} should raise OllamaError{f' saying {says!r}' if says else ''}; got {answer.get('raised', answer.get('answer'))}"})


@pytest.mark.task("10.7")
def test_ollama_judge_errors(run):
    _raises_ollama_error('OllamaJudge(host="http://127.0.0.1:PORT", timeout=5)("p") with no server on PORT',
                         run(P.ollama_no_server, {"timeout": 5}, timeout=30), "ollama serve")
    bad = run(P.ollama_chat, [{"lines": ["<html>not json</html>"]}], ["p"], {"timeout": 10})["answers"][0]
    _raises_ollama_error('OllamaJudge(timeout=10)("p") on a server that answers "<html>not json</html>"', bad)
    slow = run(P.ollama_chat, [{"chunks": ["1", "2"], "stall": 1.5}], ["p"], {"timeout": 0.3}, timeout=30)["answers"][0]
    _raises_ollama_error('OllamaJudge(timeout=0.3)("p") on a server that stalls for 1.5 s', slow)
