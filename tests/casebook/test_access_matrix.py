"""The access matrix, generated: every role × every route of the app × every event of the room. Each route
declares its rule (casebook/policy.py); a route or event without one fails here. The table below is the
specification: which roles a rule lets in, given who is who in the seeded world. Nobody gets in where the
table says closed; everyone the table lets in is not refused.

The world: team Noord's case, its room session (led by the Noord coach), and one bottleneck on it. The Noord
manager, a provider and a partner are invited to the session (and so to the case); a second provider and
partner were invited but their invitation ran out; a third provider's invitation was withdrawn. A coach and
a manager of team Zuid, the administrator, and someone not signed in complete the roles."""

import asyncio
import re
from datetime import timedelta

import httpx
import pytest
import socketio
from fastapi.routing import APIRoute, iter_route_contexts
from sqlmodel import Session, select

from casebook import policy
from casebook.accounts.models import Role
from casebook.app import create_asgi_app
from casebook.cases import flows as case_flows
from casebook.cases.models import BottleneckIn, CaseParticipant
from casebook.db import make_engine
from casebook.policy import Rule
from casebook.settings import Settings
from casebook.timeutil import utcnow
from chat import flows as chat_flows
from chat import methods
from chat.discussions.models import SessionCreate, SessionParticipant
from utils.factories import csrf_of, make_case, make_user, token_for
from utils.servers import ThreadedServer

ROLES = (
    "admin",
    "manager",
    "manager_other",
    "coach",
    "coach_other",
    "provider",
    "provider_ended",
    "provider_withdrawn",
    "partner",
    "partner_ended",
    "anonymous",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
MEMBERS = frozenset({"manager", "coach", "provider", "partner"})  # current session invitations
#: The specification: who each rule lets in, in this world.
OPEN: dict[Rule, frozenset[str]] = {
    Rule.public: frozenset(ROLES),
    Rule.signed_in: SIGNED_IN,
    Rule.case_creator: frozenset({"admin", "manager", "manager_other", "coach", "coach_other"}),
    Rule.case_viewer: frozenset({"admin", "manager", "coach", "provider", "partner"}),
    Rule.case_editor: frozenset({"admin", "manager", "coach"}),
    Rule.session_member: MEMBERS,
    Rule.session_manager: frozenset({"manager", "coach"}),
    Rule.facilitator: frozenset({"coach"}),
    Rule.management: frozenset({"admin", "manager", "manager_other"}),
    Rule.bottleneck_viewer: frozenset({"admin", "manager", "coach", "provider", "partner"}),
    Rule.bottleneck_manager: frozenset({"admin", "manager"}),
    Rule.admin: frozenset({"admin"}),
}
#: Requests that change what they touch get a scratch case or session of their own, so the world stays put.
ERASING = {("DELETE", "/api/v1/cases/{case_id}"), ("POST", "/cases/{case_id}/delete")}
WITHDRAWING = {("DELETE", "/api/v1/sessions/{session_id}/participants/{username}")}
SOCKET_REFUSALS = {"unauthorized", "not_invited", "not_joined", "access_revoked", "forbidden"}


# ---- the world, seeded once for the module -----------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory, databases, models_ready):
    data_dir = tmp_path_factory.mktemp("matrix")
    settings = Settings(data_dir=data_dir, secret_key="matrix", database_url=databases.new(data_dir))
    engine = make_engine(settings.sqlalchemy_url)
    with Session(engine, expire_on_commit=False) as db:
        users = {
            "admin": make_user(db, "admin", Role.admin, teams=()),
            "manager": make_user(db, "manager", Role.manager),
            "manager_other": make_user(db, "manager_other", Role.manager, teams=("Wijkteam Zuid",)),
            "coach": make_user(db, "coach", Role.coach),
            "coach_other": make_user(db, "coach_other", Role.coach, teams=("Wijkteam Zuid",)),
        }
        for name in ("provider", "provider_ended", "provider_withdrawn"):
            users[name] = make_user(db, name, Role.provider, teams=())
        for name in ("partner", "partner_ended"):
            users[name] = make_user(db, name, Role.partner, teams=())
        case = make_case(db, users["coach"], title="Schulden en een wachtlijst")
        discussion = chat_flows.plan_discussion(
            db_session=db,
            user=users["coach"],
            data=SessionCreate(
                case_id=case.id,
                participants=[
                    "manager",
                    "provider",
                    "provider_ended",
                    "provider_withdrawn",
                    "partner",
                    "partner_ended",
                ],
            ),
        )
        chat_flows.revoke_participant(
            db_session=db, session_id=discussion.id, user=users["coach"], username="provider_withdrawn"
        )
        ended = [users["provider_ended"].id, users["partner_ended"].id]
        for row in [
            *db.exec(select(CaseParticipant).where(CaseParticipant.user_id.in_(ended))),
            *db.exec(select(SessionParticipant).where(SessionParticipant.user_id.in_(ended))),
        ]:
            row.expires_at = utcnow() - timedelta(days=1)
            db.add(row)
        db.commit()
        bottleneck = case_flows.add_bottleneck(
            db_session=db,
            user=users["coach"],
            case=case,
            data=BottleneckIn(law="Participatiewet", kind="mandaat"),
        )
        tokens = {name: token_for(db, user) for name, user in users.items()}
        tokens["anonymous"] = {}
        yield {
            "settings": settings,
            "engine": engine,
            "users": users,
            "tokens": tokens,
            "case_id": case.id,
            "session_id": discussion.id,
            "bottleneck_id": bottleneck.id,
        }
    engine.dispose()
    databases.drop(settings.database_url)


@pytest.fixture(scope="module")
def server(world):
    """The real app (HTTP and Socket.IO) on a port, for the TestClient and the room's clients alike."""
    app = create_asgi_app(world["settings"])
    running = ThreadedServer(app).start()
    yield {"url": running.url, "app": app.app.other_asgi_app}
    running.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server["url"], timeout=60) as client:
        yield client


# ---- routes ------------------------------------------------------------------------------------------


def routes(app) -> list[tuple[str, str, object]]:
    found = []
    for route in iter_route_contexts(app.routes):
        for method in sorted(route.methods or {"GET"}):
            if method != "HEAD":
                found.append((method, route.path, route))
    return found


def test_every_route_declares_its_rule(server):
    undeclared = [
        f"{method} {path}"
        for method, path, route in routes(server["app"])
        if path not in policy.PUBLIC_PATHS
        and not (isinstance(route.original_route, APIRoute) and policy.rule_of(route.endpoint))
    ]
    assert undeclared == [], "declare a rule with @policy.rule(...) on: " + ", ".join(undeclared)


def test_every_rule_has_a_row_in_the_specification():
    assert set(Rule) == set(OPEN)


def _scratch_case(world) -> int:
    engine = world["engine"]
    with Session(engine, expire_on_commit=False) as db:
        return make_case(db, world["users"]["coach"], title="Kladcasus").id


def _scratch_session(world) -> int:
    with Session(world["engine"], expire_on_commit=False) as db:
        coach = db.merge(world["users"]["coach"])
        return chat_flows.plan_discussion(
            db_session=db,
            user=coach,
            data=SessionCreate(case_id=world["case_id"], participants=["manager", "provider", "partner"]),
        ).id


def _path(world, method: str, path: str) -> str:
    ids = {
        "case_id": world["case_id"],
        "session_id": world["session_id"],
        "bottleneck_id": world["bottleneck_id"],
        "cluster_id": 1,
        "tag_id": 1,
        "card_id": 1,
        "notification_id": 1,
        "action_id": 1,
        "username": "partner",
        "code": "nl",
    }
    if (method, path) in ERASING:
        ids["case_id"] = _scratch_case(world)
    if (method, path) in WITHDRAWING:
        ids["session_id"] = _scratch_session(world)
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(ids[m.group(1)]), path)


def _request(http, world, role: str, method: str, path: str):
    http.cookies.clear()
    headers = dict(world["tokens"][role])
    url = _path(world, method, path)
    if method in ("GET", "DELETE"):
        return http.request(method, url, headers=headers, follow_redirects=False)
    if path.startswith("/api/"):
        return http.request(method, url, headers=headers, json={}, follow_redirects=False)
    form = {"csrf_token": csrf_of(http)} if role == "anonymous" else {}
    return http.request(method, url, headers=headers, data=form, follow_redirects=False)


def _refused(response, rule: Rule) -> bool:
    """401/403, or (a page) sent to the login form; public pages such as / and /logout send there themselves."""
    to_login = response.status_code in (302, 303) and response.headers.get("location", "").startswith(
        "/login"
    )
    return response.status_code in (401, 403) or (to_login and rule != Rule.public)


def test_no_route_is_open_to_a_role_its_rule_keeps_out(server, http, world):
    wrong = []
    for method, path, route in routes(server["app"]):
        if path in policy.PUBLIC_PATHS:
            continue
        rule = policy.rule_of(route.endpoint)
        for role in ROLES:
            response = _request(http, world, role, method, path)
            allowed = role in OPEN[rule]
            if allowed == _refused(response, rule):
                wrong.append(
                    f"{method} {path} [{rule}] as {role}: {response.status_code} "
                    f"({'should be open' if allowed else 'should be closed'})"
                )
    assert wrong == [], "\n".join(wrong)


def test_files_and_the_api_description_are_public(http, world):
    http.cookies.clear()
    for path in ("/static/css/casebook.css", "/openapi.json"):
        assert http.get(path).status_code == 200


# ---- the room's events ------------------------------------------------------------------------------


def _payloads(session_id: int, own_seq: int) -> dict[str, dict]:
    phase = methods.get("multi_actor").phases[0].id
    return {
        "message": {"session_id": session_id, "text": "Wij kunnen starten."},
        "flag_bottleneck": {"session_id": session_id, "law": "Wmo 2015", "kind": "doorlooptijd"},
        "edit": {"session_id": session_id, "seq": own_seq, "text": "Wij kunnen volgende week starten."},
        "report": {"session_id": session_id, "seq": 1},
        "agreement": {"session_id": session_id, "description": "Aanvraag indienen", "owner_role": "coach"},
        "domain": {"session_id": session_id, "domain": "financiën"},
        "hand": {"session_id": session_id, "raised": True},
        "phase": {"session_id": session_id, "phase": phase},
        "hide": {"session_id": session_id, "seq": own_seq},
        "roster": {"session_id": session_id, "names": ["Kees Hoekstra"]},
        "close": {"session_id": session_id},
        "assistant": {"session_id": session_id, "enabled": True},
    }


async def _room_as(url: str, token: dict, session_id: int, events: list[str]) -> dict[str, dict]:
    """Connect as the role, join, then send each event; the answer per event (connect refused: 'unauthorized')."""
    client = socketio.AsyncClient(reconnection=False)
    auth = {"token": token["Authorization"][7:]} if token else {}
    try:
        await client.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)
    except socketio.exceptions.ConnectionError:
        return {event: {"ok": False, "code": "unauthorized"} for event in ["join", *events]}
    answers = {"join": await client.call("join", {"session_id": session_id, "last_seq": 0}, timeout=15)}
    own_seq = 1
    for event in events:
        answer = await client.call(event, _payloads(session_id, own_seq)[event], timeout=15)
        if event == "message" and answer.get("ok"):
            own_seq = answer["seq"]
        answers[event] = answer
    await client.disconnect()
    return answers


def test_every_room_event_declares_its_rule(server):
    handled = set(server["app"].state.room.sio.handlers["/"])
    assert handled - set(policy.SOCKET_EVENTS) == set()


def test_no_room_event_is_open_to_a_role_its_rule_keeps_out(server, world):
    events = [e for e in policy.SOCKET_EVENTS if e not in ("connect", "disconnect", "join", "close")]
    wrong = []
    order = [r for r in ROLES if r != "coach"] + ["coach"]  # the facilitator closes the session last
    for role in order:
        answers = asyncio.run(
            _room_as(server["url"], world["tokens"][role], world["session_id"], [*events, "close"])
        )
        for event, answer in answers.items():
            allowed = role in OPEN[policy.SOCKET_EVENTS[event]] and (
                policy.SOCKET_EVENTS[event] == Rule.facilitator or role in MEMBERS
            )
            refused = not answer.get("ok") and answer.get("code") in SOCKET_REFUSALS
            if allowed == refused:
                wrong.append(
                    f"{event} as {role}: {answer} ({'should be open' if allowed else 'should be closed'})"
                )
    assert wrong == [], "\n".join(wrong)
