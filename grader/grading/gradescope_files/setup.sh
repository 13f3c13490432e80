#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (with network access).
#   bash setup.sh            both steps
#   bash setup.sh system     Python >= 3.11 and venv support from apt (choose Gradescope's Ubuntu 24.04 base image)
#   bash setup.sh install    the pinned requirements and the kit into $KIT_VENV, then the offline data
# AUTOGRADER_ROOT (default /autograder) and KIT_VENV (default $AUTOGRADER_ROOT/venv) can be changed
# (the kit's test runs the install step against its own venv under a fake root).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
KIT="$ROOT/source"
VENV="${KIT_VENV:-$ROOT/venv}"
export TIKTOKEN_CACHE_DIR="${TIKTOKEN_CACHE_DIR:-$ROOT/cache/tiktoken}"
export KIT_CACHE_DIR="${KIT_CACHE_DIR:-$ROOT/cache/kitdata}"
step="${1:-all}"

if [ "$step" = all ] || [ "$step" = system ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-venv python3-pip
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || { echo "the kit needs Python >= 3.11: choose the Ubuntu 24.04 base image" >&2; exit 1; }
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
fi

if [ "$step" = all ] || [ "$step" = install ]; then
    PY="$VENV/bin/python"
    "$PY" -m pip install -q --disable-pip-version-check -r "$KIT/requirements.txt"
    "$PY" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e "$KIT"
    "$PY" "$KIT/scripts/fetch_gpt2_bpe.py"
    (cd "$KIT/solutions" && KIT_OFFLINE=1 "$PY" -m kitdata)
fi
