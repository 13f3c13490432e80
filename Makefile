# The kit's commands. Every target installs what it needs first (`make setup` is idempotent).
# The lines between `#> student` and `#< student` are also the student release's Makefile
# (`grader/release/dist.py` extracts them): edit them here, nowhere else.
#> student
PY      := .venv/bin/python
STAMP   := .venv/.setup-stamp
CH      ?=
MOD     ?=
ID      ?=
TARGET  ?= assignments
LANG_OPT := $(if $(LANG_UI),--lang $(LANG_UI),)
ARGS    ?=
TORCH   ?=
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
TORCH_PINS  := $(shell grep -E '^torch(vision)?==' requirements.txt)
PIP     := $(PY) -m pip install -q --disable-pip-version-check

export TIKTOKEN_CACHE_DIR := $(CURDIR)/.cache/tiktoken
export KIT_CACHE_DIR ?= $(CURDIR)/.cache/kitdata
export KIT_OFFLINE ?= 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export MPLBACKEND := Agg

.PHONY: setup torch-cpu test play autoplay run quiz submit

## make setup (TORCH=cpu: PyTorch's CPU build, ~1 GB instead of ~6 GB with CUDA)
setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml $(wildcard requirements-test.txt scripts/*.py)
	test -x $(PY) || python3 -m venv .venv
	$(if $(filter cpu,$(TORCH)),$(MAKE) --no-print-directory torch-cpu)
	$(PIP) $(addprefix -r ,$(wildcard requirements.txt requirements-test.txt))
	$(PIP) --no-deps --no-build-isolation -e .
	if [ -f scripts/fetch_gpt2_bpe.py ]; then $(PY) scripts/fetch_gpt2_bpe.py; fi
	touch $(STAMP)

torch-cpu:
	$(PIP) --retries 0 --timeout 20 --index-url $(TORCH_INDEX) $(TORCH_PINS) \
	  || echo "TORCH=cpu: no CPU build from $(TORCH_INDEX) (unreachable?); falling back to the default index (on Linux the CUDA build, ~6 GB) / 无法从 PyTorch 的 CPU 源安装，改用默认源"

## make test (CH=ch01 for one chapter, a prefix is enough; ARGS=-v for tracebacks; LANG_UI=en)
test: setup
	@$(PY) -m grader test $(CH) --target $(TARGET) $(LANG_OPT) $(ARGS) || true   # the summary says what failed; no make noise

## make play / make autoplay ARGS="--depth 2 --delay 0.05 --seed 1"
play: setup
	$(PY) -m grader run ch01_game2048.play --target $(TARGET) $(LANG_OPT) $(ARGS)

autoplay: setup
	$(PY) -m grader run ch01_game2048.autoplay --target $(TARGET) $(LANG_OPT) $(ARGS)

## make run MOD=ch04_cnn.mnist_resnet ARGS="--epochs 3" (MOD=ch04.mnist_resnet works too)
run: setup
	$(PY) -m grader run $(MOD) --target $(TARGET) $(LANG_OPT) $(ARGS)

## make quiz CH=ch06 (make quiz alone lists the banks)
quiz: setup
	$(PY) -m grader quiz $(CH) $(LANG_OPT) $(ARGS)

## make submit ID=2023001 writes 2023001.zip for your TA and checks it as the grader will
submit: setup
	$(PY) -m grader submit $(ID) --target $(TARGET) $(LANG_OPT)
#< student

GAMES   ?= 20
SUBMISSIONS ?= examples/class
OUT     ?= grading-out
JOBS    ?= 2

.PHONY: check release snapshots mutants demo grade bench-2048 bench-grade bench-train bench-attention bench-pretrain \
        bench-finetune bench-class bench-course bench-transfer-qa bench-loops selfgrade fuzz-intake student-dist nbgrader clean

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

## The chapters as an nbgrader course (make check fails when exports/nbgrader/ drifts)
nbgrader: setup
	$(PY) -m grader export nbgrader exports/nbgrader

## make student-dist CH="ch06 ch07": the week's release of those chapters (default: every chapter)
student-dist: setup
	$(PY) -m grader release --check --student-dist build/student $(if $(CH),--chapters $(CH),)

## The kit's own test suite (CI runs this)
check: setup
	$(PY) -m ruff check grader tests_grader bench scripts
	$(PY) -m mypy
	cd solutions && ../$(PY) -m kitdata  # the offline data and the prepare steps (cached), before any test times out
	$(PY) -m grader release --check
	$(PY) -m grader release --check --student-dist build/student
	$(PY) -m grader snapshots --check
	$(PY) -m grader export nbgrader exports/nbgrader --check
	$(PY) -m grader test --target solutions --hidden -q -p no:cacheprovider
	$(PY) -m grader test --expect-todo -p no:cacheprovider
	cd build/student && ../../$(PY) -m grader test --expect-todo -p no:cacheprovider
	cd build/student && ../../$(PY) -m grader test --target ../../solutions -q -p no:cacheprovider
	$(PY) -m pytest tests_grader -q -p no:cacheprovider --durations=20
	$(PY) bench/bench_class.py --quick
	$(PY) -m grader mutants --quick --jobs $(JOBS)  # every mutant: make mutants (maintainers)

bench-2048: setup
	$(PY) bench/bench_2048.py --games $(GAMES) --jobs $(JOBS)

bench-grade: setup
	$(PY) bench/bench_grade.py

## 300 generated submissions over the fast chapters, graded straight and with five SIGKILLs (check runs --quick)
bench-class: setup
	$(PY) bench/bench_class.py --jobs $(JOBS)

## The whole course graded for 5 students who did every chapter, training runs included: CPU/wall per student and chapter
bench-course: setup
	$(PY) bench/bench_course.py --jobs $(JOBS)

## What a broken submission costs: an all-loops entry per fast chapter, graded alone (≤ 60 s each, score 0)
bench-loops: setup
	$(PY) bench/bench_loops.py

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

bench-finetune: setup
	$(PY) bench/bench_finetune.py

clean:
	rm -rf build grading-out examples/class examples/out .pytest_cache
