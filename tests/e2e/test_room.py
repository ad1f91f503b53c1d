"""Two real browsers in one live room: a coach plans a session from the case page, a provider joins; they
exchange messages (anonymised on the way), the coach moves the phase, the provider flags a rule bottleneck
that lands on the case."""

import pytest

from casebook.accounts.models import Role
from utils.browser import log_in
from utils.factories import make_case, make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def provider_page(new_page):
    return new_page()


def _say(page, text: str) -> None:
    page.fill("#composer-text", text)
    page.click("#composer button[type=submit]")


def test_a_coach_and_a_provider_discuss_a_case_live(server, server_db, page, provider_page):
    coach = make_user(server_db, "coach", Role.coach)
    make_user(server_db, "aanbieder", Role.provider, teams=())
    case = make_case(server_db, coach, title="Vastgelopen bijstandsaanvraag")

    log_in(page, server, "coach")
    page.goto(f"{server}/cases/{case.id}")
    page.click("#casusoverleg summary")
    page.fill("#plan-session input[name=participants]", "aanbieder")
    page.click("#plan-session button.primary")
    page.wait_for_url(f"{server}/sessions/*")
    room_url = page.url
    page.locator("#connection", has_text="verbonden").wait_for()

    log_in(provider_page, server, "aanbieder")
    provider_page.goto(f"{server}/sessions")
    provider_page.click("main a.button[href^='/sessions/']")
    provider_page.wait_for_url(room_url)
    page.locator("#presence li", has_text="zorgaanbieder").wait_for()
    provider_page.locator("#presence li", has_text="wijkcoach").wait_for()

    _say(page, "Welkom allemaal, we beginnen zo.")
    provider_page.locator("#stream li", has_text="Welkom allemaal").wait_for()
    _say(provider_page, "Mevrouw Sanne Jansen wacht al zes weken op het besluit.")
    seen = page.locator("#stream li", has_text="wacht al zes weken")
    seen.wait_for()
    assert "Sanne" not in seen.inner_text() and "[PERSOON-" in seen.inner_text()

    page.select_option("#phase-select", "knelpunten")
    page.click("#phase-go")
    provider_page.locator("#phase-name", has_text="Waar zaten regels in de weg?").wait_for()
    assert "wet of regel" in provider_page.inner_text("#phase-prompt")

    form = provider_page.locator("#bottleneck-form")
    form.locator("input[name=law]").fill("Participatiewet art. 34")
    form.locator("select[name=kind]").select_option("toegangscriteria")
    form.locator("textarea[name=description]").fill("Zes weken zonder inkomen door de vermogenstoets")
    form.locator("input[name=delay_days]").fill("42")
    form.locator("button[type=submit]").click()
    page.locator("#stream li", has_text="Knelpunt: Participatiewet art. 34").wait_for()
    provider_page.locator("#stream li", has_text="Knelpunt: Participatiewet art. 34").wait_for()

    seqs = [
        int(s)
        for s in provider_page.locator("#stream li[data-seq]").evaluate_all(
            "items => items.map(i => i.dataset.seq)"
        )
    ]
    assert seqs == list(range(1, len(seqs) + 1))  # in order, no gaps, no doubles

    page.goto(f"{server}/cases/{case.id}")
    assert "Participatiewet art. 34" in page.inner_text(".col-side")
    assert "42" in page.inner_text(".col-side")
