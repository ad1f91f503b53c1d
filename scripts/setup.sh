#!/usr/bin/env bash
# One-time (idempotent) setup: system packages, virtual environment, Python packages,
# deduce's lookup tables. Called by `make run` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if [ ! -x /usr/bin/chromium ]; then
    echo ">> installing Debian's chromium for the browser tests"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
fi

PY=${PYTHON:-python3.11}
if [ ! -x .venv/bin/python ]; then
    echo ">> creating .venv"
    $PY -m venv .venv
fi

if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    echo ">> installing torch (CPU) first, then the project"
    .venv/bin/pip install --quiet --upgrade pip
    .venv/bin/pip install --quiet "torch==2.13.0"
    .venv/bin/pip install --quiet -e ".[dev]"
    touch .venv/.installed
fi

if [ ! -f .venv/.deduce-built ]; then
    echo ">> building deduce's lookup tables (once, about 100 s)"
    HF_HUB_OFFLINE=1 .venv/bin/python -m casebook.anonymise.warmup
    touch .venv/.deduce-built
fi
