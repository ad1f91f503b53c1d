"""The assistant in a real browser: a coach asks it in the room with "@assistent" and with its buttons, takes
a draft bottleneck over into the form, and switches it off."""

import pytest

from casebook.accounts.models import Role
from chat import flows as chat_flows
from chat.discussions.models import SessionCreate
from utils.browser import log_in
from utils.factories import make_case, make_user

pytestmark = pytest.mark.e2e


def _say(page, text: str) -> None:
    page.fill("#composer-text", text)
    page.click("#composer button[type=submit]")


def test_a_coach_asks_the_assistant_in_the_room_and_uses_its_draft_bottleneck(server, server_db, page):
    coach = make_user(server_db, "coach", Role.coach)
    case = make_case(
        server_db,
        coach,
        title="Schulden en wachten op Wmo-besluit",
        life_domains=["financiën", "huisvesting"],
    )
    discussion = chat_flows.plan_discussion(
        db_session=server_db, user=coach, data=SessionCreate(case_id=case.id)
    )

    log_in(page, server, "coach")
    # The server's first search loads the embedding model; on a loaded CI machine that alone can take a minute,
    # so it happens here (a search page) and not inside the room's first answer.
    page.goto(f"{server}/search?q=schulden", timeout=180_000)
    page.goto(f"{server}/sessions/{discussion.id}")
    page.locator("#connection", has_text="verbonden").wait_for()

    _say(page, "@assistent wat hebben we nog niet besproken?")
    # The question is in the stream (stored, sent back) before its answer is awaited: a failure says which.
    page.locator("#stream li.msg", has_text="nog niet besproken").wait_for(timeout=30_000)
    page.locator("#stream li.partial").or_(page.locator("#stream li.assistant")).first.wait_for(
        timeout=30_000
    )
    answer = page.locator("#stream li.assistant", has_text="financiën")
    answer.wait_for(timeout=120_000)
    assert "Assistent" in answer.inner_text()

    _say(page, "De jurist moet de Wmo-beschikking tekenen en dat duurt al 3 weken.")
    page.click("#assistant-asks button:has-text('Concept-knelpunt')")
    page.locator("#stream li.assistant", has_text="Concept-knelpunt").wait_for()
    page.click("#stream li.assistant button.use-draft")
    assert page.input_value("#bottleneck-form input[name=law]") == "Wmo 2015"
    assert page.input_value("#bottleneck-form input[name=delay_days]") == "21"

    page.uncheck("#assistant-switch")
    page.locator("#stream li.event", has_text="De assistent staat uit").wait_for()
    assert page.locator("#assistant-asks button").first.is_disabled()
