"""Build real objects through the service layer, as a user of the product would."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from casebook.accounts import service as account_service
from casebook.accounts.models import Role, User
from casebook.cases import flows as case_flows
from casebook.cases.models import Case, CaseIn

PASSWORD = "correct horse battery"


def make_user(
    db_session: Session,
    username: str,
    role: Role | str = Role.coach,
    teams: tuple[str, ...] = ("Wijkteam Noord",),
) -> User:
    user = account_service.create_user(
        db_session=db_session, username=username, password=PASSWORD, role=Role(role), teams=list(teams)
    )
    db_session.commit()
    return user


def make_case(db_session: Session, user: User, **fields) -> Case:
    data = {
        "title": "Schulden en wachten op Wmo-besluit",
        "narrative": "[CLIENT] heeft schulden.",
        "life_domains": ["financiën"],
        **fields,
    }
    return case_flows.create_case(db_session=db_session, user=user, data=CaseIn.model_validate(data))


def token_for(db_session: Session, user: User) -> dict[str, str]:
    token = account_service.create_token(db_session=db_session, user=user)
    db_session.commit()
    return {"Authorization": f"Bearer {token}"}


def csrf_of(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the real form; returns the session's CSRF token for later form posts."""
    csrf = csrf_of(client)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf
