"""A coach in a real browser: log in, open a case, create one with a BSN and a name, see them masked."""

import pytest

from utils.browser import log_in
from utils.factories import make_case, make_user

pytestmark = pytest.mark.e2e


def test_a_coach_logs_in_opens_a_case_and_creates_one_that_is_masked(page, server, server_db):
    coach = make_user(server_db, "coach")
    make_case(
        server_db,
        coach,
        title="Schulden en wachten op Wmo-besluit",
        narrative="[CLIENT] wacht al zes weken op een handtekening.",
    )
    log_in(page, server, "coach")

    page.click("text=Schulden en wachten op Wmo-besluit")
    assert page.locator("h1").inner_text() == "Schulden en wachten op Wmo-besluit"
    assert "wacht al zes weken" in page.content()

    page.goto(f"{server}/cases/new")
    page.fill("input[name=title]", "Energieschuld bij alleenstaande moeder")
    page.fill(
        "textarea[name=narrative]",
        "Mevrouw Sanne Jansen (BSN 111222333) belde over een afsluiting van de energie.",
    )
    page.check("input[name=ld-0-on]")
    page.click("text=Controleren en opslaan")

    masked = page.locator("mark.masked")
    assert "[BSN-1]" in masked.all_inner_texts() and "[PERSOON-1]" in masked.all_inner_texts()
    assert "111222333" not in page.inner_text(".col-main")
    page.click("button[value=save]")
    page.wait_for_url(f"{server}/cases/*")

    body = page.inner_text("main")
    assert "Energieschuld bij alleenstaande moeder" in body
    assert "111222333" not in body
    assert "Sanne" not in body and "Jansen" not in body
    assert "[BSN-1]" in body
    assert "[PERSOON-1]" in body


def test_the_form_shows_a_dutch_error_while_typing_and_keeps_the_input(page, server, server_db):
    make_user(server_db, "coach")
    log_in(page, server, "coach")
    page.goto(f"{server}/cases/new")
    page.fill("textarea[name=narrative]", "Eerste aantekeningen")
    page.fill("input[name=title]", "x")
    page.fill("input[name=title]", "")
    page.locator("#err-title").filter(has_text="leeg").wait_for()
    page.click("text=Controleren en opslaan")
    assert "nog niet in orde" in page.inner_text("main")
    assert page.input_value("textarea[name=narrative]") == "Eerste aantekeningen"


def test_in_the_human_check_the_coach_unmasks_a_public_official_and_the_bsn_stays_masked(
    page, server, server_db
):
    make_user(server_db, "coach")
    log_in(page, server, "coach")
    page.goto(f"{server}/cases/new")
    page.fill("input[name=title]", "Overleg met de wethouder")
    page.fill(
        "textarea[name=narrative]", "De wethouder Pieter de Graaf sprak met mevrouw Jansen, BSN 111222333."
    )
    page.click("text=Controleren en opslaan")

    assert page.locator("input[name=keep][value='111222333']").count() == 0  # a BSN cannot be unmasked
    page.check("input[name=keep][value='Pieter de Graaf']")
    page.click("button[value=review]")
    assert "wethouder Pieter de Graaf sprak" in page.inner_text(".col-main")
    page.click("button[value=save]")
    page.wait_for_url(f"{server}/cases/*")
    body = page.inner_text("main")
    assert "wethouder Pieter de Graaf sprak" in body
    assert "Jansen" not in body and "111222333" not in body
