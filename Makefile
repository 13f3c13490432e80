# The kit's commands. Every target installs what it needs first (`make setup` is idempotent).
PY      := .venv/bin/python
STAMP   := .venv/.setup-stamp
CH      ?=
TARGET  ?= assignments
LANG_OPT := $(if $(LANG_UI),--lang $(LANG_UI),)
ARGS    ?=
GAMES   ?= 20
SUBMISSIONS ?= examples/class
OUT     ?= grading-out
JOBS    ?= 2

export TIKTOKEN_CACHE_DIR := $(CURDIR)/.cache/tiktoken
export KIT_CACHE_DIR ?= $(CURDIR)/.cache/kitdata
export KIT_OFFLINE ?= 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export MPLBACKEND := Agg

.PHONY: setup test check release snapshots mutants play autoplay run quiz demo grade \
        bench-2048 bench-grade bench-class bench-train bench-attention bench-pretrain bench-transfer-qa selfgrade fuzz-intake student-dist clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-test.txt pyproject.toml $(wildcard scripts/*.py)
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-test.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	if [ -f scripts/fetch_gpt2_bpe.py ]; then $(PY) scripts/fetch_gpt2_bpe.py; fi
	touch $(STAMP)

## Students: the public tests against assignments/ (CH=ch01_game2048 for one chapter; ARGS=-v for tracebacks)
test: setup
	$(PY) -m grader test $(CH) --target $(TARGET) $(LANG_OPT) $(ARGS)

## Play your 2048 / watch your AI (ARGS="--depth 2 --delay 0.05 --seed 1"; TARGET=solutions for the reference)
play: setup
	$(PY) -m grader run ch01_game2048.play --target $(TARGET) $(LANG_OPT) $(ARGS)

autoplay: setup
	$(PY) -m grader run ch01_game2048.autoplay --target $(TARGET) $(LANG_OPT) $(ARGS)

## Students: run a chapter's program on your code, e.g. make run MOD=ch04_cnn.mnist_resnet ARGS="--epochs 3"
run: setup
	$(PY) -m grader run $(MOD) --target $(TARGET) $(LANG_OPT) $(ARGS)

quiz: setup
	$(PY) -m grader quiz $(CH) $(LANG_OPT) $(ARGS)

## TAs: grade a folder of submissions; `make demo` grades a generated sample class
grade: setup
	$(PY) -m grader grade $(SUBMISSIONS) --out $(OUT) --jobs $(JOBS) $(ARGS)

demo: setup
	$(PY) -m grader demo

## Maintainers
release: setup
	$(PY) -m grader release

snapshots: setup
	$(PY) -m grader snapshots $(CH)

mutants: setup
	$(PY) -m grader mutants $(CH) --jobs $(JOBS)

student-dist: setup
	$(PY) -m grader release --check --student-dist build/student

## The kit's own test suite (CI runs this)
check: setup
	$(PY) -m ruff check grader tests_grader bench scripts
	$(PY) -m mypy
	cd solutions && ../$(PY) -m kitdata  # the offline data and the prepare steps (cached), before any test times out
	$(PY) -m grader release --check
	$(PY) -m grader release --check --student-dist build/student
	$(PY) -m grader snapshots --check
	$(PY) -m grader test --target solutions --hidden -q -p no:cacheprovider
	$(PY) -m grader test --expect-todo -p no:cacheprovider
	cd build/student && ../../$(PY) -m grader test --expect-todo -p no:cacheprovider
	cd build/student && ../../$(PY) -m grader test --target ../../solutions -q -p no:cacheprovider
	$(PY) -m pytest tests_grader -q -p no:cacheprovider
	$(PY) bench/bench_class.py --quick
	$(PY) -m grader mutants --jobs $(JOBS)

bench-2048: setup
	$(PY) bench/bench_2048.py --games $(GAMES) --jobs $(JOBS)

bench-grade: setup
	$(PY) bench/bench_grade.py

## 300 generated submissions over the fast chapters, graded straight and with five SIGKILLs (check runs --quick)
bench-class: setup
	$(PY) bench/bench_class.py --jobs $(JOBS)

## The intake fuzzer's long profile (`check` runs the short one)
fuzz-intake: setup
	HYPOTHESIS_PROFILE=long $(PY) -m pytest tests_grader/test_intake_fuzz.py -q -p no:cacheprovider

bench-train: setup
	$(PY) bench/bench_train.py

bench-transfer-qa: setup
	$(PY) bench/bench_transfer_qa.py

bench-attention: setup
	$(PY) bench/bench_attention.py

## The reference graded by `grade` with the training runs: full marks; the skeleton: 0 (CI runs the quick mode)
selfgrade: setup
	KIT_SELFGRADE_FULL=1 $(PY) -m pytest tests_grader/test_selfgrade.py -q -p no:cacheprovider

bench-pretrain: setup
	$(PY) bench/bench_pretrain.py

clean:
	rm -rf build grading-out examples/class examples/out .pytest_cache
