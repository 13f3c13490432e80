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


@pytest.mark.task("10.1")
def test_format_input_with_and_without_input(run):
    got = run(P.format_many, [WITH_INPUT, WITHOUT_INPUT, {"instruction": "Name a colour.", "output": "Blue."}])
    check.equal(got[0], PREAMBLE + "\n\n### Instruction:\nGive the opposite of the following word.\n\n### Input:\nearly",
                what="format_input (with an input)")
    check.equal(got[1], PREAMBLE + "\n\n### Instruction:\nWhat is 12 plus 30?", what="format_input (empty input: no Input section)")
    check.equal(got[2], PREAMBLE + "\n\n### Instruction:\nName a colour.", what="format_input (no `input` key: no Input section)")


@pytest.mark.task("10.2")
def test_partition_data_book_sizes(run):
    data = list(range(1100))
    train, test, val = run(P.partition, data, {})
    check.equal([len(train), len(test), len(val)], [935, 110, 55], what="partition_data sizes (1,100 entries)")
    check.equal([train, test, val], [data[:935], data[935:1045], data[1045:]], what="partition_data (in order, no shuffling)")
    check.equal(run(P.partition, list("abcdefg"), {}), [list("abcde"), [], list("fg")],
                what="partition_data(7 entries): int(5.95) = 5 for training, int(0.7) = 0 for testing")


@pytest.mark.task("10.3")
def test_instruction_dataset_encodes_training_text(run):
    tokenizer = P.kitdata_module("tinygpt").gpt2_encoding()
    entries = [WITH_INPUT, WITHOUT_INPUT]
    want = [tokenizer.encode(PREAMBLE + "\n\n### Instruction:\nGive the opposite of the following word.\n\n### Input:\nearly"
                             "\n\n### Response:\nThe opposite of \"early\" is \"late\"."),
            tokenizer.encode(PREAMBLE + "\n\n### Instruction:\nWhat is 12 plus 30?\n\n### Response:\n12 plus 30 is 42.")]
    got = run(P.dataset_encode, entries)
    check.equal(got["len"], 2, what="len(InstructionDataset)")
    check.equal(got["encoded_texts"], want, what="InstructionDataset.encoded_texts")
    check.equal(got["items"], want, what="InstructionDataset[i]")


@pytest.mark.task("10.4")
def test_collate_book_example(run):
    batch = [[0, 1, 2, 3, 4], [5, 6], [7, 8, 9]]
    got = run(P.collate, batch, {})
    check.equal(got["inputs"], torch.tensor([[0, 1, 2, 3, 4], [5, 6, PAD, PAD, PAD], [7, 8, 9, PAD, PAD]]),
                what="custom_collate_fn inputs (book section 7.3)")
    check.equal(got["targets"], torch.tensor([[1, 2, 3, 4, PAD], [6, PAD, IGNORE, IGNORE, IGNORE], [8, 9, PAD, IGNORE, IGNORE]]),
                what="custom_collate_fn targets (book section 7.3)")
    check.equal(got["dtypes"], ["torch.int64", "torch.int64"], what="custom_collate_fn dtypes")
    check.equal(run(P.collate, batch, {"device": "meta"})["devices"], ["meta", "meta"],
                what='custom_collate_fn(device="meta"): the tensors\' devices')


@pytest.mark.task("10.4")
def test_collate_allowed_max_length(run):
    batch = [[0, 1, 2, 3, 4], [5, 6], [7, 8, 9]]
    got = run(P.collate, batch, {"allowed_max_length": 3})
    check.equal(got["inputs"], torch.tensor([[0, 1, 2], [5, 6, PAD], [7, 8, 9]]), what="inputs cut to allowed_max_length=3")
    check.equal(got["targets"], torch.tensor([[1, 2, 3], [6, PAD, IGNORE], [8, 9, PAD]]), what="targets cut to allowed_max_length=3")


@pytest.mark.task("10.5")
def test_extract_response(run):
    prompt = PREAMBLE + "\n\n### Instruction:\nWhat is 12 plus 30?"
    generated = prompt + "\n\n### Response:\n12 plus 30 is 42.\n"
    check.equal(run(P.extract_many, [[generated, prompt]]), ["12 plus 30 is 42."], what="extract_response")


@pytest.mark.task("10.6")
def test_score_responses_book_prompt_and_skipping(run):
    entries = [dict(WITH_INPUT, model_response="\"late\""), dict(WITHOUT_INPUT, model_response="42"),
               dict(WITHOUT_INPUT, model_response="forty"), dict(WITHOUT_INPUT, model_response="42!")]
    got = run(P.score_scripted, entries, ["85", "Score: 70", "I cannot say.", "420"])
    check.equal(got.get("scores"), [85, 70], what="score_responses (no number in the third answer, 420 is out of 0-100: skipped)")
    check.equal(len(got["warnings"]), 2, what="number of warnings for unparsable answers")
    want_prompt = ("Given the input `" + PREAMBLE + "\n\n### Instruction:\nWhat is 12 plus 30?` and correct output "
                   "`12 plus 30 is 42.`, score the model response `42` on a scale from 0 to 100, where 100 is the best "
                   "score. Respond with the integer number only.")
    check.equal(got["prompts"][1], want_prompt, what="the prompt sent to the judge (book section 7.8)")


@pytest.mark.task("10.7")
def test_ollama_judge_against_fake_server(run):
    got = run(P.ollama_chat, [{"chunks": ["Sco", "re: ", "85"], "after": ["(nothing is read after the done line)"]}],
              ["Rate this answer."], {"model": "llama3", "timeout": 10})
    check.equal(got["answers"][0].get("answer"), "Score: 85", what="OllamaJudge: the streamed contents joined")
    request = got["requests"][0]
    check.equal([request["method"], request["path"]], ["POST", "/api/chat"], what="OllamaJudge: method and path")
    check.equal(request["body"], {"model": "llama3", "messages": [{"role": "user", "content": "Rate this answer."}],
                                  "options": {"seed": 123, "temperature": 0, "num_ctx": 2048}, "stream": True},
                what="OllamaJudge: the JSON it posts")


@pytest.mark.task("10.7")
def test_ollama_judge_errors(run):
    got = run(P.ollama_no_server, {"timeout": 5}, timeout=30)
    check.that("RuntimeError" in got.get("raised", []) and "ollama serve" in got.get("message", ""),
               {"zh": f"没有服务器时应抛出 OllamaError 并提示运行 `ollama serve`，实际：{got.get('raised', got.get('answer'))}",
                "en": f"with no server, raise OllamaError saying to run `ollama serve`; got {got.get('raised', got.get('answer'))}"})
    bad = run(P.ollama_chat, [{"lines": ["<html>not json</html>"]}], ["p"], {"timeout": 10})["answers"][0]
    check.that("RuntimeError" in bad.get("raised", []),
               {"zh": f"服务器回答了不是 JSON 的行，应抛出 OllamaError，实际：{bad.get('raised', bad.get('answer'))}",
                "en": f"a line that is not JSON should raise OllamaError; got {bad.get('raised', bad.get('answer'))}"})
