"""kitdata.instructions: the generated instruction set and the book's instruction-data.json loader."""
import json
import sys

from grader.layout import SOLUTIONS

sys.path.insert(0, str(SOLUTIONS))  # kitdata is given code: the same in solutions/ and assignments/
from kitdata import fetch, instructions  # noqa: E402


def test_generated_set_is_deterministic_distinct_and_mixed():
    data = instructions.generate_instructions()
    assert data == instructions.generate_instructions()
    assert data != instructions.generate_instructions(seed=instructions.KIT_INSTRUCTIONS_SEED + 1)
    assert len(data) == 1100 and len({(e["instruction"], e["input"]) for e in data}) == 1100
    with_input = sum(1 for e in data if e["input"])
    assert 300 <= with_input <= 800, with_input
    assert all(set(e) == {"instruction", "input", "output"} and e["instruction"] and e["output"] for e in data)


def test_book_manifest_pins_the_file():
    meta = fetch.manifest("instruction-data")
    assert meta["url"].startswith("https://raw.githubusercontent.com/rasbt/LLMs-from-scratch/main/ch07/")
    assert meta["sha256"] == "7e09a9af353722ca15c18bc580f093f9c39d3178335a75177319cb1e1d163944"
    assert meta["size"] == 203524 and meta["entries"] == 1100 and "ch10_instruct" in meta["used_by"]


def test_loader_reads_the_verified_download(monkeypatch, tmp_path):
    book = [{"instruction": "i", "input": "", "output": "o"}]
    path = tmp_path / "instruction-data.json"
    path.write_text(json.dumps(book), encoding="utf-8")
    monkeypatch.setattr(fetch, "download", lambda name, offline=None: path if name == "instruction-data" else None)
    assert instructions.load_instruction_data(offline=False) == book


def test_loader_falls_back_offline(capsys):
    assert instructions.load_instruction_data(offline=True) == instructions.generate_instructions()
    err = capsys.readouterr().err
    assert "instruction-data.json" in err and "生成" in err
