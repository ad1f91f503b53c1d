"""The LLM client against a scripted OpenAI-compatible server on a real socket: a good stream arrives piece
by piece; a server that is down, slow, failing or talking nonsense is one exception, LLMUnavailable, and
never a hang, a crash or a log line with the conversation in it."""

import logging
import socket

import pytest

from chat.assistant.llm import LLMClient, LLMUnavailable, completions_url
from utils.llm_servers import fake_llm_server, replies, sse_chunk, stalls, streams

MESSAGES = [
    {"role": "system", "content": "Antwoord kort."},
    {"role": "user", "content": "Vraag: wat werkte?"},
]


def test_a_streamed_answer_arrives_piece_by_piece_with_the_request_as_openai_specifies():
    with fake_llm_server(streams(["Een budget", "coach hielp", " [casus 3]."])) as server:
        pieces = list(LLMClient(server.url, "smollm2", timeout_s=5).stream_chat(MESSAGES))
    assert pieces == ["Een budget", "coach hielp", " [casus 3]."]
    [request] = server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["body"]["messages"] == MESSAGES
    assert request["body"]["stream"] is True
    assert request["body"]["model"] == "smollm2"
    assert request["body"]["max_tokens"] > 0


def test_a_server_without_a_model_name_gets_no_model_field():
    with fake_llm_server(streams(["Ja."])) as server:
        list(LLMClient(server.url, None, timeout_s=5).stream_chat(MESSAGES))
    assert "model" not in server.requests[0]["body"]


@pytest.mark.parametrize(
    ("configured", "endpoint"),
    [
        ("http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1/chat/completions"),
        ("http://127.0.0.1:11434/v1/", "http://127.0.0.1:11434/v1/chat/completions"),
        ("http://llm.gemeente.local/v1/chat/completions", "http://llm.gemeente.local/v1/chat/completions"),
    ],
)
def test_the_url_is_the_api_base_or_the_endpoint_itself(configured, endpoint):
    assert completions_url(configured) == endpoint


def test_events_split_anywhere_with_crlf_comments_and_other_fields_are_read_whole():
    stream = (
        b": keep-alive\r\n\r\nevent: message\r\nid: 1\r\n"
        + sse_chunk("Schulden").replace(b"\n", b"\r\n")
        + sse_chunk(" eerst.")
        + b"retry: 1000\n\n"
        + sse_chunk(finish="stop")
        + b"data: [DONE]\n\n"
    )

    def behave(handler, stop):
        handler.start_events()
        for at in range(0, len(stream), 7):  # slices that cut lines, CRLFs and UTF-8 anywhere
            handler.send(stream[at : at + 7])

    with fake_llm_server(behave) as server:
        assert "".join(LLMClient(server.url, None, timeout_s=5).stream_chat(MESSAGES)) == "Schulden eerst."


def test_a_server_that_is_down_is_unavailable():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(LLMUnavailable, match="cannot reach"):
        list(LLMClient(f"http://127.0.0.1:{port}/v1", None, timeout_s=5).stream_chat(MESSAGES))


def test_a_server_that_never_starts_answering_times_out():
    with fake_llm_server(stalls(30)) as server, pytest.raises(LLMUnavailable, match="no answer within"):
        list(LLMClient(server.url, None, timeout_s=0.3).stream_chat(MESSAGES))


def test_a_server_that_stalls_mid_answer_times_out_after_the_pieces_it_sent():
    received = []
    with fake_llm_server(stalls(30, after=["Een begin"])) as server, pytest.raises(LLMUnavailable):
        for piece in LLMClient(server.url, None, timeout_s=0.3).stream_chat(MESSAGES):
            received.append(piece)
    assert received == ["Een begin"]


def test_a_server_that_trickles_forever_is_cut_off_by_the_stream_deadline():
    with (
        fake_llm_server(streams(["bla "] * 100, pause=0.05)) as server,
        pytest.raises(LLMUnavailable, match="took longer"),
    ):
        list(LLMClient(server.url, None, timeout_s=5, max_stream_s=0.5).stream_chat(MESSAGES))


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (replies(b'{"detail": "model not found"}', status=404, content_type="application/json"), "HTTP 404"),
        (replies(b"Internal error", status=500, content_type="text/plain"), "HTTP 500"),
        (
            replies(b"<html><body>Inloggen bij de proxy</body></html>", content_type="text/html"),
            "did not stream",
        ),
        (replies(b"data: dit is geen json\n\n"), "not JSON"),
        (replies(b'data: {"id": 1, "object": "text_completion"}\n\n'), "other than a chat-completion"),
        (
            replies(b'data: {"error": {"message": "context length exceeded"}}\n\n'),
            "other than a chat-completion",
        ),
        (replies(b'data: ["choices"]\n\n'), "other than a chat-completion"),
        (replies(sse_chunk("Een half antwoord")), "ended before the answer was complete"),
        (replies(b"data: \xff\xfe\n\n"), "not UTF-8"),
        (replies(b"data: " + b"x" * 200_000), "overlong line"),
        (replies(b"".join(b"data: " + b"x" * 60_000 + b"\n" for _ in range(4)) + b"\n"), "overlong event"),
        (replies(sse_chunk(finish="stop") + b"data: [DONE]\n\n"), "without any text"),
    ],
    ids=[
        "404",
        "500",
        "html-page",
        "not-json",
        "not-a-chunk",
        "error-object",
        "json-list",
        "cut-off",
        "not-utf8",
        "endless-line",
        "huge-event",
        "empty-answer",
    ],
)
def test_a_server_answering_garbage_is_unavailable(behaviour, reason):
    with fake_llm_server(behaviour) as server, pytest.raises(LLMUnavailable, match=reason):
        list(LLMClient(server.url, None, timeout_s=5).stream_chat(MESSAGES))


def test_a_rambling_answer_is_cut_off_at_the_maximum_length():
    with fake_llm_server(streams(["abcdefghij"] * 50)) as server:
        answer = "".join(LLMClient(server.url, None, timeout_s=5, max_answer_chars=25).stream_chat(MESSAGES))
    assert answer == "abcdefghijabcdefghijabcde"


def test_a_misconfigured_url_is_unavailable_rather_than_a_crash():
    with pytest.raises(LLMUnavailable):
        list(LLMClient("llm.gemeente.local:8080", None, timeout_s=1).stream_chat(MESSAGES))


def test_neither_the_question_nor_the_answer_is_logged_when_the_server_fails(caplog):
    secret_question = [{"role": "user", "content": "Vertrouwelijk: schuld bij de woningcorporatie"}]
    caplog.set_level(logging.DEBUG)
    with (
        fake_llm_server(stalls(30, after=["Vertrouwelijk antwoord"])) as server,
        pytest.raises(LLMUnavailable),
    ):
        list(LLMClient(server.url, None, timeout_s=0.3).stream_chat(secret_question))
    assert caplog.records, "the failure is logged"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Vertrouwelijk" not in logged
    assert "woningcorporatie" not in logged
