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

# The assistant's local language model server (the optional extra `llm`), when asked: CASEBOOK_WITH_LLM=1
# (`make test` asks, so its LLM tests run against a real model). llama-cpp-python builds from source once
# (about 5 minutes of one core); the wheel is kept outside the repo, so later setups install it in seconds.
if [ "${CASEBOOK_WITH_LLM:-0}" = 1 ] && { [ ! -f .venv/.llm-installed ] || [ pyproject.toml -nt .venv/.llm-installed ]; }; then
    # Built for AVX2 machines, not for this one CPU (-march=native): a native build crashed in its first
    # decode on a CPU with AVX-512 FP16, and a cached wheel must run on whichever machine takes it next.
    # --no-cache-dir: pip's own cache keys a built wheel by the source only, not by these build flags.
    WHEELS=${CASEBOOK_WHEEL_DIR:-$HOME/.cache/casebook-wheels}/avx2
    LLAMA=$(sed -n 's/.*"llama-cpp-python\[server\]==\([0-9.]*\)".*/\1/p' pyproject.toml)
    if ! ls "$WHEELS"/llama_cpp_python-"$LLAMA"-*.whl >/dev/null 2>&1; then
        echo ">> building llama-cpp-python $LLAMA (once, about 5 minutes; the wheel is kept in $WHEELS)"
        # Text models only: the multimodal library (mtmd, a third of the build) is loaded only for images.
        CMAKE_ARGS="${CMAKE_ARGS:-} -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" \
            CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
            .venv/bin/pip wheel --quiet --no-cache-dir --no-deps "llama-cpp-python==$LLAMA" -w "$WHEELS"
    fi
    .venv/bin/pip install --quiet --no-deps --force-reinstall "$WHEELS"/llama_cpp_python-"$LLAMA"-*.whl
    .venv/bin/pip install --quiet --find-links "$WHEELS" -e ".[dev,llm]"
    touch .venv/.llm-installed
fi
