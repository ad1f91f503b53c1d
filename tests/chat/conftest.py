"""A real server (FastAPI + Socket.IO, uvicorn in a thread) per test and Socket.IO clients that keep what they
receive, so tests read as what a participant sees. Tests drive clients with asyncio.run (no plugin needed)."""

import asyncio
from collections import defaultdict

import httpx
import pytest
import socketio

from casebook.accounts.models import Role
from casebook.app import create_asgi_app
from chat import flows as chat_flows
from chat.discussions.models import SessionCreate
from utils.factories import PASSWORD, make_case, make_user, token_for
from utils.servers import ThreadedServer


@pytest.fixture
def live_server(settings):
    server = ThreadedServer(create_asgi_app(settings)).start()
    yield server
    server.stop()


class RoomClient:
    """One participant's Socket.IO connection; records every event it receives."""

    def __init__(self, url: str, *, token: str | None = None, cookie: str | None = None):
        self.url, self.token, self.cookie = url, token, cookie
        self.received: dict[str, list] = defaultdict(list)
        self.by_seq: dict[int, dict] = {}
        self.duplicates = 0
        self._changed = asyncio.Event()
        self.new_socket()

    def new_socket(self, url: str | None = None) -> None:
        """A fresh connection object (e.g. after a server restart), keeping what was received so far."""
        self.url = url or self.url
        self.sio = socketio.AsyncClient(reconnection=False)
        for name in ("message", "message_partial", "presence", "phase", "error", "report", "connect_error"):
            self.sio.on(name, self._recorder(name))

    def _recorder(self, name: str):
        async def record(data):
            self.received[name].append(data)
            if name == "message":
                if data["seq"] in self.by_seq:
                    self.duplicates += 1
                self.by_seq[data["seq"]] = data
            self._changed.set()

        return record

    async def connect(self, session_id: int | None = None) -> None:
        auth = {"token": self.token} if self.token else {}
        if session_id is not None:
            auth["session_id"] = session_id
        headers = {"Cookie": f"casebook_session={self.cookie}"} if self.cookie else {}
        await self.sio.connect(
            self.url, auth=auth, headers=headers, transports=["websocket"], wait_timeout=10
        )

    async def call(self, event: str, payload) -> dict:
        return await self.sio.call(event, payload, timeout=15)

    async def join(self, session_id: int, last_seq: int = 0) -> dict:
        return await self.call("join", {"session_id": session_id, "last_seq": last_seq})

    async def enter(self, session_id: int) -> dict:
        """Connect and join the session, as a participant opening the room does."""
        await self.connect()
        return await self.join(session_id)

    async def say(self, session_id: int, text: str, client_id: str | None = None) -> dict:
        return await self.call("message", {"session_id": session_id, "text": text, "client_id": client_id})

    @property
    def contiguous_seq(self) -> int:
        seq = 0
        while seq + 1 in self.by_seq:
            seq += 1
        return seq

    async def wait_for(self, condition, timeout: float = 10.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError("timed out waiting for room events")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.5))
            except TimeoutError:
                pass

    async def close(self) -> None:
        await self.sio.disconnect()


@pytest.fixture
def room(db_session):
    """A case with a planned session: coach (facilitator) and provider invited, partner not invited."""
    coach = make_user(db_session, "coach", Role.coach)
    provider = make_user(db_session, "aanbieder", Role.provider, teams=())
    outsider = make_user(db_session, "buitenstaander", Role.partner, teams=())
    case = make_case(db_session, coach)
    discussion = chat_flows.plan_discussion(
        db_session=db_session,
        user=coach,
        data=SessionCreate(case_id=case.id, participants=["aanbieder"], roster=["Kees Hoekstra"]),
    )
    return {
        "discussion": discussion,
        "case": case,
        "coach": coach,
        "provider": provider,
        "outsider": outsider,
        "tokens": {
            name: token_for(db_session, user)["Authorization"][7:]
            for name, user in (("coach", coach), ("provider", provider), ("outsider", outsider))
        },
    }


@pytest.fixture
def client_for(live_server, room):
    def build(name: str) -> RoomClient:
        return RoomClient(live_server.url, token=room["tokens"][name])

    return build


def login_cookie(base_url: str, username: str) -> str:
    """Log in through the real form and return the signed session cookie."""
    import re

    with httpx.Client(base_url=base_url) as http:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/login").text).group(1)
        response = http.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf})
        assert response.status_code == 303, response.status_code  # a failed login answers 200 with the form
        return http.cookies["casebook_session"]


@pytest.fixture
def start_server(settings):
    """Start (or restart, on the same port) a server over the test's database; stopped after the test."""
    started: list[ThreadedServer] = []

    def start(port: int | None = None) -> ThreadedServer:
        server = ThreadedServer(create_asgi_app(settings), port=port).start()
        started.append(server)
        return server

    yield start
    for server in started:
        if server.thread.is_alive():
            server.stop()


@pytest.fixture
def token_client(room):
    return lambda url, name: RoomClient(url, token=room["tokens"][name])


@pytest.fixture
def new_client(live_server):
    def build(*, token: str | None = None, cookie: str | None = None) -> RoomClient:
        return RoomClient(live_server.url, token=token, cookie=cookie)

    return build


@pytest.fixture
def cookie_for(live_server):
    return lambda username: login_cookie(live_server.url, username)


@pytest.fixture
def client_at():
    """A client for any server URL and token (for servers the test starts itself)."""
    return lambda url, token: RoomClient(url, token=token)
