"""API tokens end: they expire after the configured lifetime, an administrator lists and revokes them, and a
token that ended gets 401 on every route (the live room refuses it too: tests/chat/test_revoked_tokens.py)."""

from datetime import timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from casebook import cli
from casebook.accounts import service as account_service
from casebook.accounts.models import ApiToken, Role
from casebook.audit.models import AuditEvent
from casebook.timeutil import utcnow
from utils.factories import log_in, make_user

runner = CliRunner()


@pytest.fixture
def casebook_cli(settings, monkeypatch):
    """`casebook …` in-process against the test's database."""
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)

    def run(*args: str):
        return runner.invoke(cli.app, list(args))

    return run


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_new_token_works_for_the_configured_number_of_days(casebook_cli, db_session, monkeypatch):
    make_user(db_session, "anna")
    monkeypatch.setenv("CASEBOOK_TOKEN_LIFETIME_DAYS", "7")
    result = casebook_cli("token", "create", "anna")
    assert result.exit_code == 0, result.output
    row = db_session.exec(select(ApiToken)).one()
    lasts = row.expires_at.replace(tzinfo=None) - row.created_at.replace(tzinfo=None)
    assert timedelta(days=7) - timedelta(seconds=5) < lasts <= timedelta(days=7)


def test_the_default_lifetime_is_ninety_days(db_session):
    anna = make_user(db_session, "anna")
    token = account_service.create_token(db_session=db_session, user=anna)
    assert account_service.token_for(db_session=db_session, token=token, now=utcnow() + timedelta(days=89))
    assert (
        account_service.token_for(
            db_session=db_session, token=token, now=utcnow() + timedelta(days=90, minutes=1)
        )
        is None
    )


def test_an_expired_token_gets_401(client, db_session):
    anna = make_user(db_session, "anna")
    token = account_service.create_token(db_session=db_session, user=anna, lifetime=timedelta(days=1))
    db_session.commit()
    assert client.get("/api/v1/cases", headers=bearer(token)).status_code == 200
    row = db_session.exec(select(ApiToken)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db_session.add(row)
    db_session.commit()
    response = client.get("/api/v1/cases", headers=bearer(token))
    assert response.status_code == 401 and "verlopen" in response.json()["detail"]
    assert client.get("/cases", headers=bearer(token), follow_redirects=False).status_code in (303, 401)


def test_token_list_shows_every_token_with_its_status_but_never_the_token(casebook_cli, db_session):
    anna, bert = make_user(db_session, "anna"), make_user(db_session, "bert", Role.provider, teams=())
    tokens = [account_service.create_token(db_session=db_session, user=user) for user in (anna, anna, bert)]
    db_session.commit()
    account_service.revoke_tokens(db_session=db_session, target=str(_ids(db_session)[0]))
    db_session.commit()

    everyone = casebook_cli("token", "list")
    assert everyone.exit_code == 0, everyone.output
    assert "3 token(s)" in everyone.output and "bert" in everyone.output
    assert "ingetrokken" in everyone.output and "geldig" in everyone.output
    assert not any(token in everyone.output for token in tokens)

    only_anna = casebook_cli("token", "list", "anna")
    assert "2 token(s)" in only_anna.output and "bert" not in only_anna.output
    assert casebook_cli("token", "list", "niemand").exit_code == 1


def test_revoking_a_token_by_id_ends_that_token_only(casebook_cli, client, db_session):
    anna = make_user(db_session, "anna")
    first, second = (account_service.create_token(db_session=db_session, user=anna) for _ in range(2))
    db_session.commit()
    result = casebook_cli("token", "revoke", str(_ids(db_session)[0]))
    assert result.exit_code == 0 and "1 token(s) ingetrokken" in result.output
    assert client.get("/api/v1/cases", headers=bearer(first)).status_code == 401
    assert client.get("/api/v1/cases", headers=bearer(second)).status_code == 200


def test_revoking_a_username_ends_all_of_that_users_tokens_and_nobody_elses(casebook_cli, client, db_session):
    anna, bert = make_user(db_session, "anna"), make_user(db_session, "bert")
    annas = [account_service.create_token(db_session=db_session, user=anna) for _ in range(3)]
    berts = account_service.create_token(db_session=db_session, user=bert)
    db_session.commit()
    result = casebook_cli("token", "revoke", "anna")
    assert result.exit_code == 0 and "3 token(s) ingetrokken" in result.output
    assert [client.get("/api/v1/cases", headers=bearer(t)).status_code for t in annas] == [401, 401, 401]
    assert client.get("/api/v1/cases", headers=bearer(berts)).status_code == 200


def test_revoking_something_unknown_says_so(casebook_cli):
    result = casebook_cli("token", "revoke", "onbekend")
    assert result.exit_code == 1 and "Geen gebruiker of token" in result.output


def test_giving_and_revoking_tokens_is_in_the_audit_trail_without_the_token(db_session):
    anna = make_user(db_session, "anna")
    token = account_service.create_token(db_session=db_session, user=anna)
    account_service.revoke_tokens(db_session=db_session, target="anna")
    db_session.commit()
    events = db_session.exec(select(AuditEvent).where(AuditEvent.object_type == "token")).all()
    assert [e.action for e in events] == ["token.create", "token.revoke"]
    assert all(token not in e.detail for e in events)


def test_only_a_hash_of_the_token_is_stored(db_session):
    anna = make_user(db_session, "anna")
    token = account_service.create_token(db_session=db_session, user=anna)
    db_session.commit()
    row = db_session.exec(select(ApiToken)).one()
    assert token not in row.token_hash and len(row.token_hash) == 64


def _ids(db_session) -> list[int]:
    return sorted(db_session.exec(select(ApiToken.id)))


@pytest.mark.parametrize("header", [b"Bearer ", b"Bearer \xa0", b"Bearer ongeldig-token"])
def test_a_given_token_that_signs_in_nobody_is_refused_even_beside_a_valid_session(
    client, db_session, header
):
    """A bearer header skips the CSRF check, so it must never fall back to the browser's session cookie."""
    make_user(db_session, "anna")
    log_in(client, "anna")
    assert client.get("/api/v1/cases").status_code == 200  # the session alone signs her in
    response = client.get("/api/v1/cases", headers={"Authorization": header})
    assert response.status_code == 401
