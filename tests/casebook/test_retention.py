"""Room transcripts are not kept forever: a configurable number of days after a session ended, its messages
are condensed into the casebook entry and deleted. The clock is the test's: every run is given its `now`."""

import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select
from typer.testing import CliRunner

from casebook import cli
from casebook.accounts.models import Role
from casebook.app import create_app
from casebook.audit.models import AuditEvent
from casebook.timeutil import as_utc, utcnow
from chat import flows as chat_flows
from chat.discussions.models import DiscussionSession, SessionCreate, SessionStatus
from chat.stream.models import BottleneckFlagIn, Message
from utils.factories import log_in, make_case, make_user

DAYS = 30
SHORT_REMARK = "ok, mee eens over de kwartelkoning"  # too short to be the phase's key contribution
KEY_REMARK = (
    "De aanvraag voor de Wmo-voorziening ligt al zes weken stil bij de backoffice, terwijl de schuld bij "
    "de verhuurder oploopt; we spreken af dat de jurist vandaag belt."
)


@pytest.fixture
def people(db_session):
    coach = make_user(db_session, "coach")
    provider = make_user(db_session, "aanbieder", Role.provider, teams=())
    case = make_case(db_session, coach)
    return {"coach": coach, "provider": provider, "case": case}


def held_session(db_session, people, *, close: bool = True) -> DiscussionSession:
    coach = people["coach"]
    discussion = chat_flows.plan_discussion(
        db_session=db_session,
        user=coach,
        data=SessionCreate(case_id=people["case"].id, participants=["aanbieder"]),
    )
    chat_flows.post_message(db_session=db_session, discussion=discussion, user=coach, text=KEY_REMARK)
    chat_flows.post_message(
        db_session=db_session, discussion=discussion, user=people["provider"], text=SHORT_REMARK
    )
    chat_flows.flag_bottleneck(
        db_session=db_session,
        discussion=discussion,
        user=coach,
        data=BottleneckFlagIn(
            session_id=discussion.id,
            law="Wmo 2015",
            rule="",
            kind="doorlooptijd",
            description="Zes weken wachten",
            client_id="b-1",
        ),
    )
    if close:
        chat_flows.close_discussion(db_session=db_session, discussion=discussion, user=coach)
    db_session.refresh(discussion)
    return discussion


def messages_of(db_session, session_id: int) -> list[Message]:
    db_session.expire_all()
    return list(db_session.exec(select(Message).where(Message.session_id == session_id)))


def run_at(db_session, now, days: int = DAYS):
    return chat_flows.apply_retention(db_session=db_session, now=now, days=days)


def test_a_transcript_is_kept_until_the_retention_period_has_passed(db_session, people):
    discussion = held_session(db_session, people)
    closed = as_utc(discussion.closed_at)
    assert run_at(db_session, closed + timedelta(days=DAYS) - timedelta(minutes=1)).sessions == 0
    assert len(messages_of(db_session, discussion.id)) >= 4


def test_after_the_period_the_messages_are_deleted_and_the_entry_stays_on_the_case(db_session, people):
    discussion = held_session(db_session, people)
    result = run_at(db_session, as_utc(discussion.closed_at) + timedelta(days=DAYS, minutes=1))
    assert result.sessions == 1 and result.messages >= 4
    assert messages_of(db_session, discussion.id) == []
    db_session.refresh(discussion)
    assert discussion.transcript_deleted_at is not None
    assert "Wmo-voorziening ligt al zes weken stil" in discussion.summary  # the key contribution, condensed
    assert "Knelpunt: Wmo 2015" in discussion.summary
    assert "niet nagekeken" in discussion.summary and discussion.published_at is not None
    stored = " ".join(
        str(v) for row in db_session.exec(select(DiscussionSession)) for v in row.model_dump().values()
    )
    assert "kwartelkoning" not in stored


def test_an_entry_the_coach_published_is_kept_as_written(db_session, people):
    discussion = held_session(db_session, people)
    chat_flows.publish_entry(
        db_session=db_session,
        discussion=discussion,
        user=people["coach"],
        summary="Afgesproken: de jurist belt vandaag.",
    )
    run_at(db_session, as_utc(discussion.closed_at) + timedelta(days=DAYS + 1))
    db_session.refresh(discussion)
    assert (
        discussion.summary == "Afgesproken: de jurist belt vandaag."
        and messages_of(db_session, discussion.id) == []
    )


def test_a_session_never_closed_is_condensed_once_nothing_happened_for_the_whole_period(db_session, people):
    discussion = held_session(db_session, people, close=False)
    last = max(as_utc(m.created_at) for m in messages_of(db_session, discussion.id))
    assert run_at(db_session, last + timedelta(days=DAYS - 1)).sessions == 0
    assert run_at(db_session, last + timedelta(days=DAYS + 1)).sessions == 1
    db_session.refresh(discussion)
    assert discussion.status == SessionStatus.closed and messages_of(db_session, discussion.id) == []


def test_a_second_run_finds_nothing_more_to_do(db_session, people):
    discussion = held_session(db_session, people)
    later = as_utc(discussion.closed_at) + timedelta(days=DAYS + 1)
    assert run_at(db_session, later).sessions == 1
    assert run_at(db_session, later + timedelta(days=1)).sessions == 0


def test_the_deletion_is_audited_with_the_number_of_messages_only(db_session, people):
    discussion = held_session(db_session, people)
    run_at(db_session, as_utc(discussion.closed_at) + timedelta(days=DAYS + 1))
    [event] = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "session.transcript_deleted")
    ).all()
    assert event.object_id == discussion.id and event.detail.startswith("messages=")


def test_the_transcript_page_says_the_transcript_was_deleted(client, db_session, people):
    discussion = held_session(db_session, people)
    run_at(db_session, as_utc(discussion.closed_at) + timedelta(days=DAYS + 1))
    log_in(client, "coach")
    page = client.get(f"/sessions/{discussion.id}/transcript")
    assert page.status_code == 200 and "bewaartermijn" in page.text and "kwartelkoning" not in page.text


def _age(db_session, discussion: DiscussionSession, days: int) -> None:
    """Move the session's end `days` into the past (the server runs on the real clock)."""
    discussion.closed_at = utcnow() - timedelta(days=days)
    db_session.add(discussion)
    db_session.commit()


def test_the_command_line_applies_the_configured_period(db_session, people, settings, monkeypatch):
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
    discussion = held_session(db_session, people)
    _age(db_session, discussion, 10)
    monkeypatch.setenv("CASEBOOK_TRANSCRIPT_RETENTION_DAYS", "14")
    kept = CliRunner().invoke(cli.app, ["retention", "run"])
    assert kept.exit_code == 0 and "0 transcript(en)" in kept.output
    removed = CliRunner().invoke(cli.app, ["retention", "run", "--days", "7"])
    assert removed.exit_code == 0 and "1 transcript(en)" in removed.output
    assert messages_of(db_session, discussion.id) == []


def test_the_server_applies_retention_by_itself(db_session, people, settings):
    discussion = held_session(db_session, people)
    _age(db_session, discussion, DAYS + 1)
    fast = settings.model_copy(update={"housekeeping_seconds": 0.2})
    with TestClient(create_app(fast)):
        deadline = time.monotonic() + 15
        while messages_of(db_session, discussion.id) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert messages_of(db_session, discussion.id) == []
