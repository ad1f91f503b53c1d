"""The LLM backend's answer in a real browser: it appears in the room at once as the assistant typing, grows a
sentence at a time while the model writes, and the stored answer takes its place (one answer, no typing left).
The model is a scripted chat-completions server on a real socket that takes its time between sentences."""

import pytest

from casebook.accounts.models import Role
from chat import flows as chat_flows
from chat.discussions.models import SessionCreate
from utils.browser import log_in
from utils.factories import make_case, make_user
from utils.llm_servers import fake_llm_server, streams

pytestmark = pytest.mark.e2e

SENTENCES = [
    "De teamleider tekende na escalatie. ",
    "Er kwam een betalingsregeling. ",
    "Daarna ging het beter.",
]


@pytest.fixture
def model_server():
    with fake_llm_server(streams(SENTENCES, pause=1.5)) as server:
        yield server


@pytest.fixture
def world(server_db):
    """Made before the server starts, which indexes the cases it finds then."""
    coach = make_user(server_db, "coach", Role.coach)
    make_case(
        server_db,
        coach,
        title="Moeder met schulden; de jurist tekent het Wmo-besluit niet",
        narrative="[CLIENT] is moeder en heeft schulden. De jurist tekende het besluit niet.",
    )
    case = make_case(server_db, coach, title="Schulden en wachten op Wmo-besluit")
    return {
        "discussion": chat_flows.plan_discussion(
            db_session=server_db, user=coach, data=SessionCreate(case_id=case.id)
        )
    }


@pytest.fixture
def server_env(world, model_server):
    return {"CASEBOOK_LLM_URL": model_server.url, "CASEBOOK_LLM_TIMEOUT": "60"}


def test_the_llm_answer_grows_in_the_room_while_it_is_written(server, world, page):
    log_in(page, server, "coach")
    page.goto(f"{server}/search?q=schulden", timeout=180_000)  # loads the embedding model outside the room
    page.goto(f"{server}/sessions/{world['discussion'].id}")
    page.locator("#connection", has_text="verbonden").wait_for()

    page.fill(
        "#composer-text",
        "@assistent hebben we eerder een moeder met schulden gezien waarbij de jurist niet tekende?",
    )
    page.click("#composer button[type=submit]")
    typing = page.locator("#stream li.assistant.partial")
    typing.locator(".typing").wait_for(timeout=90_000)
    typing.locator(".text", has_text="De teamleider tekende").wait_for(timeout=90_000)
    assert "Daarna ging het beter" not in typing.inner_text()

    answer = page.locator("#stream li.assistant:not(.partial)", has_text="Daarna ging het beter")
    answer.wait_for(timeout=90_000)
    assert "De teamleider tekende na escalatie. Er kwam een betalingsregeling." in answer.inner_text()
    assert page.locator("#stream li.partial").count() == 0
    assert page.locator("#stream li.assistant").count() == 1
