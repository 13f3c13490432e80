"""The student release holds the student's commands only, a .gitignore, no authoring guide, and its
``submit`` writes a zip that the grader's intake reads with every chapter. Its Makefile and README are
the kit's student blocks; ``--chapters`` releases a week's chapters, and given code of one released
chapter that reproduces another released chapter's solution is withheld (the leak check catches it
otherwise). About 15 s."""
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from grader import REPO_ROOT
from grader.layout import ASSIGNMENTS, SOLUTIONS
from grader.release.build import without_header
from grader.release.dist import find_leaks, write_student_dist
from grader.release.given import Solution, matches, withhold

STUDENT_TARGETS = {"setup", "test", "play", "autoplay", "run", "quiz", "submit"}
KIT_ONLY_TARGETS = {"check", "release", "snapshots", "mutants", "grade", "demo", "student-dist", "selfgrade"}


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    dest = tmp_path_factory.mktemp("release") / "student"
    assert write_student_dist(dest).leaks == []
    return dest


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """The release of ch06 and ch07 together (prefixes, as a TA types them)."""
    dest = tmp_path_factory.mktemp("week") / "student"
    done = write_student_dist(dest, ["ch06", "ch07"])
    assert done.leaks == [], done.leaks
    return dest, done.withheld


def _rules(makefile: str) -> dict[str, list[str]]:
    """target -> recipe lines, read the way make reads a simple Makefile."""
    rules: dict[str, list[str]] = {}
    current = None
    for line in makefile.splitlines():
        rule = re.match(r"^([A-Za-z0-9_.$()/-]+):(?!=)", line)
        if rule:
            current = rules.setdefault(rule[1], [])
        elif line.startswith("\t") and current is not None:
            current.append(line)
        elif not line.startswith("#"):
            current = None
    return rules


def _variables(makefile: str) -> dict[str, str]:
    return {m[1]: m[2].strip() for m in re.finditer(r"^(?:export )?([A-Z_]+)\s*[:?]?=(.*)$", makefile, re.M)}


def _grader(dist, *args):
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=dist, capture_output=True, text=True, timeout=300)


def test_only_the_students_commands(dist):
    out = _grader(dist, "--help").stdout
    assert "{test,run,submit,quiz}" in out  # no release, snapshots, mutants, grade or demo
    assert _grader(dist, "demo").returncode == 2  # argparse: not a command here


def test_release_files(dist):
    assert ".venv/" in (dist / ".gitignore").read_text() and "outputs/" in (dist / ".gitignore").read_text()
    assert not (dist / "quizzes" / "README.md").exists() and list((dist / "quizzes").glob("*.yaml"))
    assert "MOD=" in (dist / "Makefile").read_text() and "submit" in (dist / "Makefile").read_text()


def test_submit_from_the_release(dist, tmp_path):
    done = _grader(dist, "submit", "2023001", "--out", str(tmp_path), "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    names = zipfile.ZipFile(tmp_path / "2023001.zip").namelist()
    chapters = {n.split("/")[0] for n in names}
    assert chapters == {p.name for p in (dist / "assignments").iterdir() if p.name.startswith("ch")}
    assert "tasks still TODO" in done.stdout and "hand it in" in done.stdout


def test_student_makefile_is_the_kits_student_part(dist):
    kit, student = (REPO_ROOT / "Makefile").read_text(), (dist / "Makefile").read_text()
    kit_rules, student_rules = _rules(kit), _rules(student)
    assert STUDENT_TARGETS <= set(student_rules) and not KIT_ONLY_TARGETS & set(student_rules)
    for target, recipe in student_rules.items():
        assert kit_rules[target] == recipe, target
    kit_vars = _variables(kit)
    assert {"CH", "MOD", "ID", "ARGS", "TORCH", "LANG_OPT"} <= set(_variables(student))
    assert all(kit_vars[name] == value for name, value in _variables(student).items())


def test_student_readme_commands_exist(dist):
    readme, makefile = (dist / "README.md").read_text(), (dist / "Makefile").read_text()
    kit_readme = (REPO_ROOT / "README.md").read_text()
    assert all(line in kit_readme for line in readme.splitlines()[2:])
    rules = _rules(makefile)
    used = re.findall(r"\bmake ([a-z-]+)((?: [A-Z_]+=\S+)*)", readme)
    assert {"test", "quiz", "run", "submit", "setup"} <= {target for target, _ in used}
    for target, assignments in used:
        assert target in rules, target
        for name in re.findall(r"([A-Z_]+)=", assignments):
            assert f"$({name})" in makefile, name
    assert "make setup TORCH=cpu" in readme and "Windows" in readme and "python -m grader" in readme
    pins = re.findall(r"^(torch(?:vision)?==\S+)", (REPO_ROOT / "requirements.txt").read_text(), re.M)
    assert f"pip install {' '.join(pins)} --index-url https://download.pytorch.org/whl/cpu" in readme


def _make(dist, *args, env=None):
    return subprocess.run(["make", "--no-print-directory", *args, f"PY={sys.executable}"], cwd=dist, capture_output=True,
                          text=True, timeout=120, env=env)


def test_make_commands_expand_as_documented(dist):
    run = _make(dist, "-n", "-o", ".venv/.setup-stamp", "run", "MOD=ch04.mnist_resnet", "LANG_UI=en", "ARGS=--epochs 1")
    assert "-m grader run ch04.mnist_resnet --target assignments --lang en --epochs 1" in run.stdout, run.stdout + run.stderr
    quiz = _make(dist, "-n", "-o", ".venv/.setup-stamp", "quiz")
    assert re.search(r"-m grader quiz\s*$", quiz.stdout, re.M), quiz.stdout
    cpu = _make(dist, "-n", "-W", "requirements.txt", "setup", "TORCH=cpu").stdout
    assert "--index-url https://download.pytorch.org/whl/cpu torch==" in cpu and "torchvision==" in cpu
    assert "--index-url" not in _make(dist, "-n", "-W", "requirements.txt", "setup").stdout


def test_torch_cpu_falls_back_with_a_message(dist):
    """PyTorch's index is unreachable here: a dead local port stands for it; pip resolves without installing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DRY_RUN="1", PIP_IGNORE_INSTALLED="1")
    done = _make(dist, "torch-cpu", "TORCH_INDEX=http://127.0.0.1:9/simple", env=env)
    assert done.returncode == 0 and "falling back to the default index" in done.stdout, done.stdout + done.stderr


def test_week_release_holds_its_chapters_only(week):
    dest, _ = week
    assert {p.name for p in (dest / "assignments").iterdir()} == {"ch06_attention", "ch07_gpt", "kitdata"}
    assert {p.name for p in (dest / "tests_public").iterdir() if p.is_dir()} == {"ch06_attention", "ch07_gpt"}
    assert {p.stem for p in (dest / "quizzes").glob("*.yaml")} == {"ch00_ai_basics", "ch06_attention", "ch07_gpt"}


def _region(path, task):
    text = path.read_text()
    body = text.split(f"### BEGIN SOLUTION {task}\n", 1)[1].split("### END SOLUTION", 1)[0]
    return [x.strip() for x in body.splitlines() if x.strip() and not x.strip().startswith("#")]


def test_given_copy_of_a_released_chapters_solution_is_withheld(dist, week, tmp_path):
    answer = _region(SOLUTIONS / "ch06_attention" / "attention.py", "6.7")[:3]  # MultiHeadAttention.__init__

    def holds_answer(path):
        lines = [x.strip() for x in path.read_text().splitlines() if x.strip()]
        return any(lines[i : i + 3] == answer for i in range(len(lines)))

    given_copy = "ch07_gpt/previous_chapters.py"
    assert holds_answer(ASSIGNMENTS / given_copy)  # the kit's skeleton carries it, as the contract asks
    dest, withheld = week
    assert not holds_answer(dest / "assignments" / given_copy) and not holds_answer(dist / "assignments" / given_copy)
    assert any("MultiHeadAttention.__init__" in n and "task 6.7" in n for n in withheld)
    alone = tmp_path / "ch07"
    assert write_student_dist(alone, ["ch07_gpt"]) == ([], [])  # after ch06's deadline: shipped whole
    assert holds_answer(alone / "assignments" / given_copy)
    # the leak check itself: the unwithheld copy in a release of both chapters fails it
    shutil.copytree(dest, tmp_path / "leaky")
    (tmp_path / "leaky" / "assignments" / given_copy).write_bytes(without_header((ASSIGNMENTS / given_copy).read_bytes()))
    leaks = find_leaks(tmp_path / "leaky", ["ch06_attention", "ch07_gpt"])
    assert leaks and all("reproduces ch06_attention task 6" in x for x in leaks), leaks


def test_withhold_keeps_signature_and_docstring():
    solution = Solution("ch01_x", "1.2", "f", "x.py:1", ("total = first_value + second_value", "total *= scale_factor", "results.append(total)"))
    source = (
        "def f(first_value, second_value, scale_factor):\n    \"\"\"Doc.\"\"\"\n"
        "    total = first_value + second_value\n    total *= scale_factor\n    results.append(total)\n\n"
        "total = first_value + second_value\ntotal *= scale_factor\nresults.append(total)\n"
    )
    text, notes = withhold(source, [solution])
    assert notes == ["f: withheld, it reproduces ch01_x task 1.2 (x.py:1)"]
    assert '    """Doc."""\n' in text and 'raise NotImplementedError("TODO 1.2: f (ch01_x), withheld")' in text
    assert [line for line, _ in matches(text, [solution])] == [text.splitlines().index("total = first_value + second_value") + 1]
