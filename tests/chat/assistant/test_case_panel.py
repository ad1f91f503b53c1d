"""The assistant beside the room: a chat panel on the case page where a coach prepares a discussion. The
conversation is not stored unless the coach saves an answer to the case (as a note, anonymised)."""

from sqlmodel import Session, select

from casebook.cases.models import CaseNote
from utils.factories import csrf_of, log_in


def notes(casebook) -> list[CaseNote]:
    with Session(casebook["client"].app.state.engine) as db_session:
        return list(db_session.exec(select(CaseNote)))


def test_a_coach_asks_in_the_panel_and_only_a_saved_answer_is_kept_anonymised(casebook):
    client, case_id = casebook["client"], casebook["cases"]["dementia"]
    log_in(client, "coach-noord")
    csrf = csrf_of(client, f"/cases/{case_id}")
    page = client.get(f"/cases/{case_id}")
    assert f'hx-get="/cases/{case_id}/assistant"' in page.text
    panel = client.get(f"/cases/{case_id}/assistant")
    assert panel.status_code == 200 and "wordt niet bewaard" in panel.text

    turn = client.post(
        f"/cases/{case_id}/assistant",
        headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
        data={
            "message": "Jan de Vries vraagt: hebben we eerder schulden gezien waarbij de jurist "
            "het Wmo-besluit niet tekende?"
        },
    )
    assert turn.status_code == 200
    assert f'href="/cases/{casebook["cases"]["debts"]}"' in turn.text and "Jan de Vries" not in turn.text
    assert "Bewaar bij de casus" in turn.text and notes(casebook) == []

    saved = client.post(
        f"/cases/{case_id}/notes",
        headers={"X-CSRF-Token": csrf},
        data={"question": "Wat zei Jan de Vries (06-12345678)?", "answer": "Vergelijkbare casussen…"},
    )
    assert saved.status_code == 200 and "Bewaard" in saved.text
    [note] = notes(casebook)
    assert note.case_id == case_id and "Jan de Vries" not in note.text and "06-12345678" not in note.text
    assert "Vraag aan de assistent" in client.get(f"/cases/{case_id}/assistant").text


def test_an_empty_question_in_the_panel_gets_a_dutch_reason_and_others_cannot_save(casebook):
    client, case_id = casebook["client"], casebook["cases"]["debts"]
    log_in(client, "coach-noord")
    csrf = csrf_of(client, f"/cases/{case_id}")
    empty = client.post(f"/cases/{case_id}/assistant", headers={"X-CSRF-Token": csrf}, data={"message": " "})
    assert empty.status_code == 422 and "leeg" in empty.text
    log_in(client, "coach-zuid")
    csrf = csrf_of(client, "/cases")
    assert (
        client.post(
            f"/cases/{case_id}/notes", headers={"X-CSRF-Token": csrf}, data={"question": "x", "answer": "y"}
        ).status_code
        == 403
    )
    assert client.get(f"/cases/{case_id}/assistant").status_code == 403
