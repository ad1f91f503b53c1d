"""A streaming client for any OpenAI-compatible chat-completions server the municipality runs itself
(Ollama, vLLM, llama.cpp's server): it sends the messages and yields the answer's text as it arrives.

Everything that can go wrong on the other side (refused connection, no first token in time, a stalled
stream, an HTTP error, a body that is not the server-sent events of the protocol) is one exception,
:class:`LLMUnavailable`, so the caller has one thing to catch before it falls back to the built-in
assistant. Every read is bounded: the answer's length, each line, each event, and the stream's duration.
Neither the prompt nor the answer is ever logged or put into an exception: they may quote case texts."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator

import httpx

logger = logging.getLogger(__name__)

_LINE_BREAK_RE = re.compile(rb"\r\n|\r|\n")

#: An answer longer than this is cut off: the room shows short answers, and a looping model stops here.
MAX_ANSWER_CHARS = 4_000
#: What the server is asked to produce at most (a token is a few characters).
MAX_ANSWER_TOKENS = 600
#: One line of the event stream; a chunk of OpenAI's protocol is a few hundred bytes.
MAX_LINE_BYTES = 64_000
#: One event (its data lines together).
MAX_EVENT_BYTES = 128_000
#: However steadily tokens trickle in, the whole answer takes no longer than this.
MAX_STREAM_SECONDS = 120.0
#: A server that does not accept the connection within this is as good as down.
MAX_CONNECT_SECONDS = 5.0


class LLMUnavailable(Exception):
    """The server gave no usable answer: down, too slow, an HTTP error, or not speaking the protocol.
    The message names what went wrong in general terms only (never the prompt or the answer)."""


def completions_url(url: str) -> str:
    """The chat-completions endpoint for CASEBOOK_LLM_URL, given as the API base that OpenAI's clients
    take (``http://127.0.0.1:11434/v1``) or as the endpoint itself."""
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else f"{url}/chat/completions"


class LLMClient:
    """One OpenAI-compatible server. ``timeout_s`` is how long the server may keep the caller waiting:
    for the connection (at most :data:`MAX_CONNECT_SECONDS`), for the first token, and between two
    pieces of the stream. ``model`` may be None for servers that serve one model (llama.cpp's)."""

    def __init__(
        self,
        url: str,
        model: str | None,
        timeout_s: float,
        *,
        max_answer_chars: int = MAX_ANSWER_CHARS,
        max_tokens: int = MAX_ANSWER_TOKENS,
        max_stream_s: float = MAX_STREAM_SECONDS,
    ) -> None:
        self.url = completions_url(url)
        self.model = model
        self.timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, MAX_CONNECT_SECONDS))
        self.max_answer_chars = max_answer_chars
        self.max_tokens = max_tokens
        self.max_stream_s = max_stream_s

    def stream_chat(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """The answer's text in the pieces the server streams, at most ``max_answer_chars`` in all (a longer
        answer is cut off there). Raises :class:`LLMUnavailable` (possibly after some pieces) when the
        server fails; an answer without any text is a failure too. Closing the iterator early closes the
        connection."""
        body = {"messages": messages, "stream": True, "max_tokens": self.max_tokens, "temperature": 0.2}
        if self.model:
            body["model"] = self.model
        deadline = time.monotonic() + self.max_stream_s
        produced = 0
        try:
            with (
                httpx.Client(timeout=self.timeout, trust_env=False) as client,
                client.stream(
                    "POST", self.url, json=body, headers={"Accept": "text/event-stream"}
                ) as response,
            ):
                _check_response(response)
                for piece in _content_pieces(_events(response.iter_bytes())):
                    if time.monotonic() > deadline:
                        raise _unavailable(f"the answer took longer than {self.max_stream_s:g} s")
                    piece = piece[: self.max_answer_chars - produced]
                    produced += len(piece)
                    if piece:
                        yield piece
                    if produced >= self.max_answer_chars:
                        return
        except httpx.TimeoutException as exc:
            raise _unavailable(f"no answer within {self.timeout.read:g} s ({type(exc).__name__})") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise _unavailable(f"cannot reach the server ({type(exc).__name__})") from None
        if not produced:
            raise _unavailable("the server answered without any text")


def _unavailable(reason: str) -> LLMUnavailable:
    logger.warning("LLM server unavailable: %s", reason)
    return LLMUnavailable(reason)


def _check_response(response: httpx.Response) -> None:
    """An HTTP error or a body that is not an event stream ends here; the body is not read (an error page
    may echo the prompt)."""
    if response.status_code != 200:
        raise _unavailable(f"the server answered HTTP {response.status_code}")
    content_type = response.headers.get("content-type", "")
    if not content_type.startswith("text/event-stream"):
        raise _unavailable(f"the server did not stream events (content type {content_type[:60]!r})")


def _lines(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Lines of the stream without their line ending (LF, CRLF or CR), each at most MAX_LINE_BYTES; work
    linear in the stream however the server slices it."""
    line = bytearray()
    after_cr = False
    for chunk in chunks:
        if after_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]  # the LF of a CRLF split over two chunks
        if not chunk:
            continue
        after_cr = chunk.endswith(b"\r")
        *complete, rest = _LINE_BREAK_RE.split(chunk)
        for piece in complete:
            line += piece
            _check_line(line)
            yield bytes(line)
            line.clear()
        line += rest
        _check_line(line)
    if line:
        yield bytes(line)


def _check_line(line: bytearray) -> None:
    if len(line) > MAX_LINE_BYTES:
        raise _unavailable("the server sent an overlong line")


def _events(chunks: Iterator[bytes]) -> Iterator[str]:
    """The data of each server-sent event (data lines joined by newlines); comments and other fields
    (event, id, retry) are skipped, as the protocol says."""
    data: list[bytes] = []
    size = 0
    for line in _lines(chunks):
        if not line:
            if data:
                yield _decode(b"\n".join(data))
            data, size = [], 0
        elif line.startswith(b"data:"):
            value = line[5:]
            data.append(value[1:] if value.startswith(b" ") else value)
            size += len(value)
            if size > MAX_EVENT_BYTES:
                raise _unavailable("the server sent an overlong event")
    if data:
        yield _decode(b"\n".join(data))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _unavailable("the server sent text that is not UTF-8") from None


def _content_pieces(events: Iterator[str]) -> Iterator[str]:
    """The text of each chat-completion chunk until ``[DONE]``; a stream that ends without ``[DONE]`` or
    a finish reason was cut off, and anything that is not such a chunk is garbage."""
    finished = False
    for data in events:
        if data.strip() == "[DONE]":
            return
        try:
            chunk = json.loads(data)
        except ValueError:
            raise _unavailable("the server sent an event that is not JSON") from None
        if not isinstance(chunk, dict) or "error" in chunk or not isinstance(chunk.get("choices"), list):
            raise _unavailable("the server sent something other than a chat-completion chunk")
        for choice in chunk["choices"][:1]:
            if not isinstance(choice, dict):
                raise _unavailable("the server sent a malformed choice")
            delta = choice.get("delta")
            content = delta.get("content") if isinstance(delta, dict) else None
            if isinstance(content, str):
                yield content
            finished = finished or bool(choice.get("finish_reason"))
    if not finished:
        raise _unavailable("the stream ended before the answer was complete")
