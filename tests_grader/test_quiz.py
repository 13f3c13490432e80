"""Tests of the self-check quizzes: schema and banks, answer files, TA grading, the interactive runner."""
from __future__ import annotations

import copy
import csv
import io
import json
import os
import random
import re
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from rich.console import Console

from grader.quiz import cli, history
from grader.quiz.answers import from_file, split_letters, split_pairs
from grader.i18n import default_lang as detect_lang
from grader.quiz.check import main as check_main
from grader.quiz.present import parse_typed, present
from grader.quiz.render import show_feedback, show_question
from grader.quiz.schema import BLANK_RE, TYPES, has_answer_keys, load_bank, strip_answer_keys, validate_all
from grader.quiz.scoring import fmt_points, score
from grader.quiz.style import CHOICE_FIELD, MAX_LONGEST_SHARE, choice_ids, fill, commented_blank_lines, letter_references, longest_share, text_fields

ROOT = Path(__file__).resolve().parents[1]
QUIZZES = ROOT / "quizzes"
DATA = Path(__file__).resolve().parent / "data" / "quiz"
DEMO_DIR = DATA / "quizzes"
ANSWERS = DATA / "answers"
MY_BANKS = ["ch00_ai_basics", "ch01_game2048", "ch02_backprop", "ch03_iris", "ch04_cnn"]


def demo() -> dict:
    return load_bank(DEMO_DIR / "ch99_demo.yaml")


def run_cli(*argv: str) -> int:
    return cli.main([*map(str, argv)])


@pytest.fixture(autouse=True)
def _wide_console(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("QUIZ_HISTORY_DIR", str(tmp_path / "history"))


# ---------------------------------------------------------------- banks and validator

def test_all_banks_valid() -> None:
    assert validate_all(QUIZZES) == []


@pytest.mark.parametrize("name", MY_BANKS)
def test_my_banks_shape(name: str) -> None:
    bank = load_bank(QUIZZES / f"{name}.yaml")
    assert bank["mode"] == "self-check"
    assert len(bank["questions"]) >= 14
    assert {q["type"] for q in bank["questions"]} == set(TYPES)
    assert all(q["id"].startswith(name[:4] + "-") for q in bank["questions"])


@pytest.mark.parametrize("path", sorted(QUIZZES.glob("*.yaml")), ids=lambda p: p.stem)
def test_completed_code_compiles(path: Path) -> None:
    for q in load_bank(path)["questions"]:
        if q["type"] == "code_blanks":
            terms = {t["id"]: t["text"] for t in q["terms"]}
            compile(BLANK_RE.sub(lambda m: terms[q["answer"][m.group(1)]], q["code"]), q["id"], "exec")


@pytest.mark.parametrize("path", sorted(QUIZZES.glob("*.yaml")), ids=lambda p: p.stem)
def test_keys_score_full_marks(path: Path) -> None:
    bank = load_bank(path)
    for q in bank["questions"]:
        key = " ".join(kw for p in q["key_points"] for kw in p["keywords"]) if q["type"] == "short" else q["answer"]
        assert score(q, from_file(q, key)) == 1, q["id"]


def _bank_problems(tmp_path: Path, banks: dict[str, dict], raw: str | None = None) -> list[str]:
    """Problems of `banks` (file stem -> bank) written to `tmp_path`, plus a file holding `raw`."""
    for name, bank in banks.items():
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    if raw is not None:
        (tmp_path / "ch98_broken.yaml").write_text(raw, encoding="utf-8")
    return validate_all(tmp_path)


def _q(bank: dict, n: int) -> dict:
    return bank["questions"][n - 1]


BROKEN = {
    "chapter": (lambda b: b.update(chapter="ch98_other"), "chapter must equal the file name"),
    "mode": (lambda b: b.update(mode="exam"), "mode must be one of"),
    "empty questions": (lambda b: b.update(questions=[]), "questions must be a non-empty list"),
    "unknown type": (lambda b: _q(b, 1).update(type="essay"), "demo-q01: type must be one of"),
    "typo key": (lambda b: _q(b, 1).update(explaination=_q(b, 1)["explanation"]), "unknown key 'explaination'"),
    "missing en": (lambda b: _q(b, 1)["prompt"].pop("en"), "demo-q01: prompt.en is missing or empty"),
    "empty zh": (lambda b: _q(b, 2)["explanation"].update(zh="  "), "demo-q02: explanation.zh is missing or empty"),
    "untranslated zh": (lambda b: _q(b, 2)["prompt"].update(zh="Which are even?"), "prompt.zh has no Chinese text"),
    "no explanation": (lambda b: _q(b, 1).pop("explanation"), "demo-q01: explanation must be a mapping"),
    "option text": (lambda b: _q(b, 1)["options"][0].pop("zh"), "options 'a'.zh is missing or empty"),
    "single unknown": (lambda b: _q(b, 1).update(answer="z"), "demo-q01: answer refers to unknown option 'z'"),
    "single list": (lambda b: _q(b, 1).update(answer=["b"]), "demo-q01: answer must be one option id"),
    "multiple unknown": (lambda b: _q(b, 2)["answer"].append("x"), "demo-q02: answer refers to unknown option 'x'"),
    "duplicate option": (lambda b: _q(b, 2)["options"][1].update(id="a"), "options 'a': duplicate id"),
    "duplicate option text": (lambda b: _q(b, 2)["options"][1].update(en="two"), "same en text as 'a'"),
    "matching unknown": (lambda b: _q(b, 3)["answer"].update({"2": "Z"}), "answer for left item '2' refers to unknown right item 'Z'"),
    "matching missing": (lambda b: _q(b, 3)["answer"].pop("3"), "left item '3' has no answer"),
    "matching extra": (lambda b: _q(b, 3)["answer"].update({"7": "A"}), "answer names unknown left item '7'"),
    "matching short right": (lambda b: _q(b, 3).update(right=_q(b, 3)["right"][:2]), "right needs at least as many items as left"),
    "blank unanswered": (lambda b: _q(b, 4).update(code=_q(b, 4)["code"] + "# ___3___\n"), "blank '3' has no answer"),
    "blank not in code": (lambda b: _q(b, 4)["answer"].update({"9": "A"}), "answer names unknown blank '9'"),
    "unknown term": (lambda b: _q(b, 4)["answer"].update({"2": "Q"}), "answer for blank '2' refers to unknown term 'Q'"),
    "no blanks": (lambda b: _q(b, 4).update(code="pass\n"), "code must be a listing with blanks"),
    "empty term": (lambda b: _q(b, 4)["terms"][0].update(text=""), "terms 'A': text is missing or empty"),
    "short answer": (lambda b: _q(b, 5).update(answer="x"), "a short question has no answer field"),
    "no reference": (lambda b: _q(b, 5).pop("reference"), "demo-q05: reference must be a mapping"),
    "upper keyword": (lambda b: _q(b, 5)["key_points"][0].update(keywords=["Scatter"]), "keywords must be non-empty lowercase strings"),
    "no keywords": (lambda b: _q(b, 5)["key_points"][1].pop("keywords"), "key_points[2].keywords must be a non-empty list"),
    "duplicate id": (lambda b: _q(b, 2).update(id="demo-q01"), "demo-q01: id already used in ch99_demo.yaml"),
    "letter in explanation": (lambda b: _q(b, 1)["explanation"].update(en="b is right: 2 + 2 = 4."),
                              "demo-q01: explanation.en names choice letter(s) b that display re-letters"),
    "letters in zh": (lambda b: _q(b, 2)["explanation"].update(zh="a、c、d 是偶数。"), "explanation.zh names choice letter(s) a, c, d"),
    "letter in option": (lambda b: _q(b, 2)["options"][4].update(en="both a and c"), "options 'e'.en names choice letter(s) a, c"),
    "matching pairs": (lambda b: _q(b, 3)["explanation"].update(en="Answer: 1B 2A 3D."), "demo-q03: explanation.en names choice letter(s) B, A, D"),
    "unknown placeholder": (lambda b: _q(b, 1)["explanation"].update(en="{z} is wrong."), "placeholder(s) {z} name no choice"),
    "comment on a blank": (lambda b: _q(b, 4).update(code=_q(b, 4)["code"].replace("___1___", "___1___  # start at zero")),
                           "demo-q04: code line 2 has a blank and a comment"),
    "longest answer": (lambda b: _q(b, 1)["options"][1].update(en="four, because 2 + 2 = 4"),
                       "the answer is the uniquely longest option in 1 of 1 single-choice questions in en (100% > 35%)"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_validator_detects(tmp_path: Path, case: str) -> None:
    bank = demo()
    break_it, expected = BROKEN[case]
    break_it(bank)
    problems = _bank_problems(tmp_path, {"ch99_demo": bank})
    assert any(expected in p for p in problems), problems


def test_demo_bank_is_clean(tmp_path: Path) -> None:
    """The BROKEN cases above fail because of what they change, not because the demo bank was bad already."""
    assert _bank_problems(tmp_path, {"ch99_demo": demo()}) == []


# ---------------------------------------------------------------- choice letters, longest option, code comments

LOWER_IDS, UPPER_IDS = set("abcde"), set("ABCDEFG")
LETTER_REFS = [
    ("a is a trap.", LOWER_IDS, ["a"]),
    ("c, d and e are correct.", LOWER_IDS, ["c", "d", "e"]),
    ("This one is wrong (a).", LOWER_IDS, ["a"]),
    ("Option b describes V2.", LOWER_IDS, ["b"]),
    ("a、c 正确。", LOWER_IDS, ["a", "c"]),
    ("选项 b 错在以为标点被丢掉了。", LOWER_IDS, ["b"]),
    ("The loss is negative, so a is false.", LOWER_IDS, ["a"]),
    ("In c, 768 is divisible by 8.", LOWER_IDS, ["c"]),
    ("B is wrong.", LOWER_IDS, ["B"]),
    ("a swaps them; c forgets the shift; a skips it.", LOWER_IDS, ["a", "c", "a"]),
    ("A and C are distractors.", UPPER_IDS, ["A", "C"]),
    ("Matching: 1B 2A 3D.", UPPER_IDS, ["B", "A", "D"]),
    ("It falls back to A. C describes beam search.", UPPER_IDS, ["A", "C"]),
    ("The course covers A (chapter 8).", UPPER_IDS, ["A"]),
    ("Data preparation (A → B → C).", UPPER_IDS, ["A", "B", "C"]),
    ("D = 一个完整 Transformer 块。", UPPER_IDS, ["D"]),
    ("设 a 是一个 NumPy 数组。", LOWER_IDS, ["a"]),  # a variable in prose: write `a`
]
NOT_LETTER_REFS = [
    ("A square is a number times itself.", UPPER_IDS),
    ("In 2048 a 2 or a 4 appears.", LOWER_IDS),
    ("It is a compatibility choice: a model trained elsewhere.", LOWER_IDS),
    ("Usual suspects: a missing derivative; a transpose on the wrong side.", LOWER_IDS),
    ("w·x + b and e^(−x) and a = σ(z) and |a − n| / max(|a|, |n|)", LOWER_IDS),
    ("`b` is the bias and `a` the activation", LOWER_IDS),
    ("{b} is right and {a} is not", LOWER_IDS),
    ("e.g. the loss; i.e. a mean", LOWER_IDS),
    ("Use a 1×1 convolution (a shortcut) and a d-dimensional vector with a −0.17 minimum.", LOWER_IDS),
    ("Conv2d outputs 3-D logits.", UPPER_IDS),
    ("A `TransformerBlock` is two halves. A -100 in the targets affects only the loss.", UPPER_IDS),
    ("Options a to e are not mentioned here.", {"x", "y"}),
    ("torch.from_numpy(a) shares memory, so a[0] = 5 shows in t; 1/(a(1-a)) and a - y", LOWER_IDS),
    ("torch.autograd.grad(loss, (w1, b)) returns ∂L/∂b; (a + b) mod M depends on a mod M", LOWER_IDS),
]


@pytest.mark.parametrize(("text", "ids", "letters"), LETTER_REFS, ids=[c[0] for c in LETTER_REFS])
def test_letter_references_found(text: str, ids: set[str], letters: list[str]) -> None:
    assert letter_references(text, ids) == letters


@pytest.mark.parametrize(("text", "ids"), NOT_LETTER_REFS, ids=[c[0] for c in NOT_LETTER_REFS])
def test_letter_references_not_found(text: str, ids: set[str]) -> None:
    assert letter_references(text, ids) == []


@pytest.mark.parametrize("path", sorted(QUIZZES.glob("*.yaml")), ids=lambda p: p.stem)
def test_bank_names_no_choice_letters(path: Path) -> None:
    found = [f"{q['id']} {field}: {refs}" for q in load_bank(path)["questions"] for field, text in text_fields(q)
             if (refs := letter_references(text, choice_ids(q)))]
    assert found == []


@pytest.mark.parametrize("path", sorted(QUIZZES.glob("*.yaml")), ids=lambda p: p.stem)
def test_bank_answers_not_the_longest(path: Path) -> None:
    for lang, (hits, total) in longest_share(load_bank(path)["questions"]).items():
        assert hits <= MAX_LONGEST_SHARE * total, (lang, hits, total)


@pytest.mark.parametrize("path", sorted(QUIZZES.glob("*.yaml")), ids=lambda p: p.stem)
def test_bank_blank_lines_uncommented(path: Path) -> None:
    assert [q["id"] for q in load_bank(path)["questions"]
            if q["type"] == "code_blanks" and commented_blank_lines(q["code"])] == []


def test_commented_blank_lines() -> None:
    code = 'x = ___1___  # one\ny = "# not a comment ___2___"\n# ___3___ in a comment only\nz = ___4___\n'
    assert commented_blank_lines(code) == [1]


PLACEHOLDER_LIST = re.compile(r"\{[A-Za-z]\}(?:(?:,? and |,? or |, |、|/|和|与|或|及)\{[A-Za-z]\})*")


def _sorted_list(run: str, labels: dict[str, str]) -> str:
    """A run of placeholders as shown: the display letters in alphabetical order, separators kept."""
    letters = iter(sorted(labels[x] for x in re.findall(r"\{([A-Za-z])\}", run)))
    return re.sub(r"\{[A-Za-z]\}", lambda _: next(letters), run)


def test_fill_orders_lists() -> None:
    labels = {"a": "c", "b": "a", "d": "b", "e": "e"}
    assert fill("{a}, {b} and {d} are correct; {e} is not, nor is {a}.", labels) == \
        "a, b and c are correct; e is not, nor is c."
    assert fill("{d}、{a} 正确，`{a}` 是代码。", labels) == "b、c 正确，`{a}` 是代码。"


def _screen(pres, lang: str) -> str:
    console = Console(file=io.StringIO(), record=True, width=4000, highlight=False)
    show_question(console, pres, lang, 1, 1)
    show_feedback(console, pres, 1.0, lang)
    return console.export_text()


@pytest.mark.parametrize("path", sorted(QUIZZES.glob("*.yaml")), ids=lambda p: p.stem)
def test_placeholders_show_display_letters(path: Path) -> None:
    """Each `{x}` in an explanation shows the letter printed next to choice x's text on the same screen."""
    for n, q in enumerate(load_bank(path)["questions"]):
        if q["type"] == "short":
            continue
        field = CHOICE_FIELD[q["type"]]
        for lang in ("zh", "en"):
            screen = _screen(present(q, random.Random(n)), lang)
            key = "text" if field == "terms" else lang
            shown = {text.strip(): label for label, text in (LOWER if field == "options" else UPPER).findall(screen)}
            labels = {item["id"]: shown[item[key]] for item in q[field]}
            expected = PLACEHOLDER_LIST.sub(lambda m: _sorted_list(m.group(0), labels), q["explanation"][lang])
            assert " ".join(expected.split()) in " ".join(screen.replace("│", " ").split()), (q["id"], lang)


def test_check_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_main([str(QUIZZES)]) == 0
    out = capsys.readouterr().out
    assert "ch07_gpt: answer is the uniquely longest option in zh " in out and out.rstrip().endswith("No problems.")


def test_validator_cross_bank_duplicates(tmp_path: Path) -> None:
    other = copy.deepcopy(demo())
    other["chapter"] = "ch98_copy"
    other["questions"] = other["questions"][:2]
    other["questions"][1]["id"] = "copy-q02"
    problems = _bank_problems(tmp_path, {"ch99_demo": demo(), "ch98_copy": other})
    assert "ch99_demo.yaml: demo-q01: id already used in ch98_copy.yaml" in problems
    assert "ch99_demo.yaml: demo-q02: same en prompt as ch98_copy.yaml: copy-q02" in problems
    assert "ch99_demo.yaml: demo-q02: same zh prompt as ch98_copy.yaml: copy-q02" in problems


def test_validator_bad_yaml(tmp_path: Path) -> None:
    problems = _bank_problems(tmp_path, {"ch99_demo": demo()}, raw="questions: [unclosed\n")
    assert len(problems) == 1 and "ch98_broken.yaml" in problems[0]


def test_strip_answer_keys() -> None:
    bank = demo()
    before = copy.deepcopy(bank)
    stripped = strip_answer_keys(bank)
    assert bank == before
    assert has_answer_keys(bank) and not has_answer_keys(stripped)
    for q in stripped["questions"]:
        assert not {"answer", "explanation", "reference", "key_points"} & set(q)
        assert q["prompt"] and q["type"]


def test_stripped_bank_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ch99_demo.yaml").write_text(yaml.safe_dump(strip_answer_keys(demo())), encoding="utf-8")
    assert run_cli("ch99_demo", "--quiz-dir", tmp_path, "--lang", "en") == 2
    assert "answer key" in capsys.readouterr().out


# ---------------------------------------------------------------- input parsing, language, history

def test_split_helpers() -> None:
    assert split_letters("ac") == split_letters("a,c") == split_letters(" a c ") == split_letters("a) c)") == ["a", "c"]
    assert split_pairs("1B 2A 3C") == split_pairs("1-b, 2:a 3=c".upper()) == {"1": "B", "2": "A", "3": "C"}
    assert split_pairs("BAC") == ["B", "A", "C"]


def test_typed_answers_map_back_to_bank_ids() -> None:
    bank = demo()
    single = present(_q(bank, 1), random.Random(5))
    label = single.choice_label("b")
    assert parse_typed(single, label.upper(), "en") == ("b", None)
    assert parse_typed(single, "ab", "en")[1] == "Pick exactly one letter."
    assert parse_typed(single, "z", "en")[1] == "No such choice: z."
    multiple = present(_q(bank, 2), random.Random(5))
    typed = ",".join(multiple.choice_label(i) for i in "acd")
    assert sorted(parse_typed(multiple, typed, "en")[0]) == ["a", "c", "d"]
    matching = present(_q(bank, 3), random.Random(5))
    letters = "".join(matching.choice_label(_q(bank, 3)["answer"][str(n)]) for n in (1, 2, 3))
    assert parse_typed(matching, letters, "en") == ({"1": "B", "2": "A", "3": "D"}, None)
    assert parse_typed(matching, f"1{letters[0]}", "en")[1] == "Still missing: 2, 3."
    assert parse_typed(matching, "AB", "en")[1] == "Letters in order need exactly 3 of them."
    assert parse_typed(matching, "", "en")[1] == "Please type an answer."


@pytest.mark.parametrize(("env", "lang"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({}, "en"),
    ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_CN", "LANG": "en_GB"}, "zh"),
])
def test_detect_lang(env: dict[str, str], lang: str) -> None:
    assert detect_lang(env) == lang


def test_history_review_selection(tmp_path: Path) -> None:
    assert history.history_path("ch02_backprop", {"QUIZ_HISTORY_DIR": str(tmp_path)}) == tmp_path / "ch02_backprop.jsonl"
    path = tmp_path / "h.jsonl"
    history.append(path, {"results": {"q1": 0.0, "q2": 1.0, "q3": 0.5, "q4": 0.0}})
    with path.open("a") as f:
        f.write("not json\n")
    history.append(path, {"results": {"q1": 1.0, "q4": 0.0}})
    assert history.to_review(history.read(path), ["q1", "q2", "q3", "q4", "q5"]) == ["q3", "q4"]


# ---------------------------------------------------------------- answer files and TA grading

@pytest.mark.parametrize(("name", "score_line", "verdicts"), [
    ("all_right", "Score: 5 / 5 (100%)", {"✓ Correct": 5, "✗ Wrong": 0, "◐ Partly right": 0}),
    ("all_wrong", "Score: 0 / 5 (0%)", {"✓ Correct": 0, "✗ Wrong": 5, "◐ Partly right": 0}),
    ("partial", "Score: 2.833 / 5 (57%)", {"✓ Correct": 1, "✗ Wrong": 0, "◐ Partly right": 4}),
])
def test_answer_file_report(capsys: pytest.CaptureFixture[str], name: str, score_line: str, verdicts: dict) -> None:
    assert run_cli("ch99_demo", "--quiz-dir", DEMO_DIR, "--answers", ANSWERS / f"{name}.yaml", "--lang", "en") == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith(score_line)
    for verdict, count in verdicts.items():
        assert out.count(verdict) == count
    assert out.count("Explanation") == 5


def test_answer_file_partial_details(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("ch99", "--quiz-dir", DEMO_DIR, "--answers", ANSWERS / "partial.yaml", "--lang", "zh") == 0
    out = capsys.readouterr().out
    assert "Carol 的 ch99_demo 答案" in out
    assert "答案文件里有题库中不存在的题号：demo-q99" in out
    assert "◐ 部分正确（0.667 分）" in out and "正确答案：1B 2A 3D" in out
    assert " ✓ 散射" in out and " ✗ 短波长" in out
    assert "得分：2.833 / 5（57%）" in out


def test_partial_credit_rule() -> None:
    q = _q(demo(), 2)  # answer a, c, d
    assert [score(q, from_file(q, given)) for given in ("acd", "ac", "acb", "abe", "b", "", "abcde")] == \
        [1, 2 / 3, 1 / 3, 0, 0, 0, 1 / 3]
    assert fmt_points(2 / 3) == "0.667" and fmt_points(1.0) == "1" and fmt_points(0.5) == "0.5"


def test_grade_folder_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "grades.csv"
    assert run_cli("ch99_demo", "--quiz-dir", DEMO_DIR, "--grade", ANSWERS, "--out", out, "--lang", "en") == 0
    assert f"Wrote grades of 3 students to {out}" in capsys.readouterr().out
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["student", "total", "max", "demo-q01", "demo-q02", "demo-q03", "demo-q04", "demo-q05", "note"],
        ["Alice", "5", "5", "1", "1", "1", "1", "1", ""],
        ["all_wrong", "0", "5", "0", "0", "0", "0", "0", ""],
        ["Carol", "2.833", "5", "1", "0.333", "0.667", "0.5", "0.333",
         "The answer file names questions that are not in the bank: demo-q99"],
    ]


def test_grade_default_out_and_bad_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "dan.yaml").write_text("answers: [not, a, mapping]\n", encoding="utf-8")
    (folder / "eve.yaml").write_text("student: Alice\nchapter: ch03_iris\nanswers: {demo-q01: b}\n", encoding="utf-8")
    (folder / "zed.yaml").write_text("student: Alice\nanswers: {demo-q01: c}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run_cli("ch99_demo", "--quiz-dir", DEMO_DIR, "--grade", folder, "--lang", "en") == 0
    with (tmp_path / "quiz-ch99_demo-grades.csv").open(newline="", encoding="utf-8") as f:
        rows = {row["student"] + row["total"]: row for row in csv.DictReader(f)}
    assert rows["dan0"]["note"].startswith("unreadable:")
    assert rows["Alice1"]["note"] == "The answer file is for ch03_iris, not ch99_demo"
    assert rows["Alice0"]["note"] == "same student as eve.yaml"


@pytest.mark.parametrize(("argv", "message"), [
    (["ch77"], "No quiz bank for 'ch77'. Available: ch99_demo"),
    (["ch99_demo", "--out", "x.csv"], "--out only applies with --grade."),
    (["ch99_demo", "--answers", "missing.yaml"], "Cannot read missing.yaml"),
    (["ch99_demo", "--grade", "."], "No *.yaml answer files in ."),
])
def test_cli_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                    argv: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli(*argv, "--quiz-dir", DEMO_DIR, "--lang", "en") == 2
    assert message in capsys.readouterr().out


def test_review_without_history(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("ch99_demo", "--quiz-dir", DEMO_DIR, "--review", "--lang", "en") == 0
    assert "No attempt at ch99_demo recorded yet" in capsys.readouterr().out


def test_default_quiz_dir() -> None:
    assert cli.default_quiz_dir() == QUIZZES


# ---------------------------------------------------------------- end to end through a pseudo-terminal

HEADER = re.compile(r"Question (\d+)/(\d+) · (\S+) · ")
LOWER = re.compile(r"^ {2}([a-z])\) (.*)$", re.M)
UPPER = re.compile(r"^ {2}([A-Z])\) (.*)$", re.M)
NUMBERED = re.compile(r"^ {2}(\d+)\. (.*)$", re.M)


def _spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QUIZ_HISTORY_DIR": str(tmp_path / "history"),
           "COLUMNS": "400", "LINES": "50", "TERM": "dumb", "PYTHONIOENCODING": "utf-8"}
    return pexpect.spawn(sys.executable, ["-m", "grader.quiz", *args, "--lang", "en"], cwd=str(tmp_path),
                         env=env, encoding="utf-8", timeout=15, dimensions=(50, 400))


def _labels(screen: str, pattern: re.Pattern, items: list[dict], key: str) -> dict[str, str]:
    """Bank id -> label shown on screen, matched by the item's text."""
    shown = {text.strip(): label for label, text in pattern.findall(screen)}
    return {item["id"]: shown[item[key]] for item in items}


def _answer(child: pexpect.spawn, bank: dict, right: bool, probe: bool = False) -> tuple[int, int, str, str | None]:
    """Read the next question on screen and type a right or a wholly wrong answer.

    Returns (number, total, question id, the expected 'Correct answer' text after a wrong answer).
    With `probe`, first type two invalid answers, which must be asked again.
    """
    child.expect(HEADER)
    n, total, qid = int(child.match.group(1)), int(child.match.group(2)), child.match.group(3)
    child.expect("Your answer: ")
    screen = child.before
    if probe:
        child.sendline("zz")
        child.expect(re.escape("No such choice: z."))
        child.expect("Your answer: ")
        child.sendline("")
        child.expect(re.escape("Please type an answer."))
        child.expect("Your answer: ")
    q = next(q for q in bank["questions"] if q["id"] == qid)
    if q["type"] == "short":
        child.sendline("my answer")
        child.expect(re.escape("(y/n): "))
        child.sendline("y" if right else "n")
        return n, total, qid, None
    if q["type"] in ("single", "multiple"):
        labels = _labels(screen, LOWER, q["options"], "en")
        key = [q["answer"]] if q["type"] == "single" else q["answer"]
        correct = sorted(labels[i] for i in key)
        wrong = next(label for i, label in labels.items() if i not in key)
        child.sendline("".join(correct) if right else wrong)
        text = next(o["en"] for o in q["options"] if o["id"] == key[0])
        return n, total, qid, f"{correct[0]}) {text}" if q["type"] == "single" else ", ".join(correct)
    if q["type"] == "matching":
        slots = {item_id: label for item_id, label in _labels(screen, NUMBERED, q["left"], "en").items()}
        labels = _labels(screen, UPPER, q["right"], "en")
    else:
        slots = {blank: blank for blank in q["answer"]}
        labels = _labels(screen, UPPER, q["terms"], "text")
    order = sorted(slots, key=lambda k: int(slots[k]))
    pairs = {slots[k]: labels[q["answer"][k]] for k in order}
    expected = " ".join(f"{slot}{letter}" for slot, letter in pairs.items())
    if not right:
        pairs = {slot: next(x for x in sorted(labels.values()) if x != letter) for slot, letter in pairs.items()}
    child.sendline(" ".join(f"{slot}{letter}" for slot, letter in pairs.items()))
    return n, total, qid, expected


def test_interactive_run_and_review(tmp_path: Path) -> None:
    bank = load_bank(QUIZZES / "ch02_backprop.yaml")
    total = len(bank["questions"])
    wrong_at = {2, 5, 10, 12, 16, 17}  # a single, a multiple, a matching, a code-blank and a short question
    assert {bank["questions"][n - 1]["type"] for n in wrong_at} == set(TYPES)

    child = _spawn(tmp_path, "ch02_backprop", "--seed", "7")
    child.expect(re.escape(f"{bank['title']['en']} · {total} questions · seed 7"))
    missed = []
    for n in range(1, total + 1):
        shown_n, shown_total, qid, correct = _answer(child, bank, right=n not in wrong_at, probe=n == 1)
        assert (shown_n, shown_total, qid) == (n, total, bank["questions"][n - 1]["id"])
        if n in wrong_at:
            missed.append(qid)
            child.expect("✗ Wrong")
            if correct is not None:
                child.expect(re.escape(f"Correct answer: {correct}"))
        else:
            child.expect("✓ Correct")
        child.expect("Explanation")
    child.expect(re.escape(f"Score: {total - len(wrong_at)} / {total}"))
    child.expect(re.escape(f"Missed: {', '.join(missed)}."))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    record = json.loads((tmp_path / "history" / "ch02_backprop.jsonl").read_text().splitlines()[-1])
    assert record["seed"] == 7 and record["score"] == total - len(wrong_at)
    assert [q for q, p in record["results"].items() if p < 1] == missed

    child = _spawn(tmp_path, "ch02_backprop", "--review", "--seed", "8")
    child.expect(re.escape(f"Review: the {len(missed)} questions you missed"))
    for n, qid in enumerate(missed, 1):
        assert _answer(child, bank, right=True)[:3] == (n, len(missed), qid)
        child.expect("✓ Correct")
    child.expect(re.escape(f"Score: {len(missed)} / {len(missed)}"))
    child.expect("All right, well done!")
    child.expect(pexpect.EOF)

    child = _spawn(tmp_path, "ch02_backprop", "--review")
    child.expect("Nothing to review")
    child.expect(pexpect.EOF)
