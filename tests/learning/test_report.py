"""The quarterly management report for the council: HTML with the charts, PDF and CSV, anonymised, with
the rules that cost the most and the workarounds recorded for them."""

from casebook.accounts.models import Role
from utils.factories import make_case, make_user, token_for

RULE = {
    "law": "Werkinstructie Wmo-backoffice",
    "kind": "mandaat",
    "level": "internal_instruction",
    "delay_days": 40,
    "rule": "Elk advies langs de jurist",
    "description": "Advies wachtte op de jurist.",
    "workaround": "Wijkcoach belde zelf met Pieter Bakker van de backoffice om het te versnellen.",
}


def test_the_report_of_a_quarter_comes_as_html_pdf_and_csv_without_anything_that_identifies(
    client, db_session
):
    coach = make_user(db_session, "coach")
    for number, held_at in enumerate(("2025-04-03", "2025-05-20", "2025-06-11")):
        make_case(
            db_session,
            coach,
            external_id=f"KENMERK-{number}",
            title=f"Gezin Oosterhout {number}",
            held_at=held_at,
            bottlenecks=[RULE],
        )
    headers = token_for(db_session, make_user(db_session, "manager", Role.manager))
    html = client.get("/dashboard/rapportage?kwartaal=2025-Q2", headers=headers)
    csv = client.get("/dashboard/rapportage.csv?kwartaal=2025-Q2", headers=headers)
    pdf = client.get("/dashboard/rapportage.pdf?kwartaal=2025-Q2", headers=headers)
    assert html.status_code == csv.status_code == pdf.status_code == 200
    assert "Werkinstructie Wmo-backoffice" in html.text and "120 dagen vertraging in 3 casussen" in html.text
    assert "de backoffice om het te versnellen" in html.text  # the workaround, as stored (anonymised)
    assert html.text.count("<desc") >= 7
    assert "Werkinstructie Wmo-backoffice" in csv.text and ";dagen vertraging;120" in csv.text
    assert (
        pdf.headers["content-type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
        and len(pdf.content) > 2000
    )
    for text in (html.text, csv.text):
        assert "Bakker" not in text and "Pieter" not in text
        assert "KENMERK" not in text and "Oosterhout" not in text


def test_an_empty_quarter_gets_a_dutch_message_and_coaches_get_no_report(client, db_session):
    coach = make_user(db_session, "coach")
    make_case(db_session, coach, held_at="2025-04-03", bottlenecks=[RULE])
    headers = token_for(db_session, make_user(db_session, "manager", Role.manager))
    for path in ("/dashboard/rapportage", "/dashboard/rapportage.csv", "/dashboard/rapportage.pdf"):
        response = client.get(f"{path}?kwartaal=2019-Q3", headers=headers)
        assert response.status_code == 422
        assert "geen casussen besproken in 2019-Q3" in response.text
    assert (
        client.get("/dashboard/rapportage?kwartaal=2025-Q2", headers=token_for(db_session, coach)).status_code
        == 403
    )
