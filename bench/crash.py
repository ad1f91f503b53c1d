"""Crash proof of the live room, case writes and the search index (issue 9; not a test, but
tests/test_crash_recovery.py runs two cycles of it in the suite).

Each cycle starts a real `casebook serve` process on a fresh port over a fresh data dir and database (SQLite
by default, a database of its own on the PostgreSQL of `--database-url` otherwise), opens a room with
python-socketio clients and, at once:
  - every client sends room messages as fast as acknowledgements come back (a few in flight each); every
    acknowledgement {ok, seq} is recorded against the message's client_id;
  - case writers POST /api/v1/cases (each case carries one made-up word found nowhere else) and DELETE every
    third case they created; every 201 and 204 is recorded;
  - one `casebook import` process imports a JSONL file of cases into the same database.
At a random moment of the burst (after its first acknowledged message and case) the server gets SIGKILL.
The import is let finish (an import by command line reaches a running server's index only at its next start),
the server is restarted on the same port over the same data, and each client resends what it sent without an
acknowledgement, with the same client_id (as static/room.js does with its outbox). Then:
  - messages: every acknowledged client_id is stored exactly once, at the seq its acknowledgement named; the
    session's seqs are 1..last_seq without a gap; a fresh client's join replays exactly what is stored;
  - cases: every acknowledged case (201 or a successful import) exists exactly once; every acknowledged
    deletion stays deleted;
  - index: the case ids in the persisted index (search.meta.json, and the vector ids in search.faiss, with
    the chunk counts the meta names and no id twice) are exactly the cases in the database; every stored
    case is found by GET /api/v1/search on its word (no deleted case is), and GET /cases/{id}/similar of
    every stored case names only stored cases.
Prints a table per cycle and the totals, writes JSON to bench/results/crash-<time>.json and exits 1 on any
loss, duplicate, gap or disagreement.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/crash.py [--cycles 20] [--database-url postgresql://postgres@127.0.0.1:5432/test]
        [--clients 3] [--in-flight 4] [--case-writers 2] [--import-cases 6] [--kill-after 1.5 5] [--seed 1]"""

import argparse
import asyncio
import contextlib
import json
import logging
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import socketio
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.accounts import service as account_service  # noqa: E402
from casebook.accounts.models import Role  # noqa: E402
from casebook.db import make_engine, migrate  # noqa: E402

TEAM = "Wijkteam Crashtest"
PASSWORD = "crash-test-wachtwoord"
MESSAGE_TEXTS = (
    "Ik bel morgen met de woningcorporatie over een betalingsregeling.",
    "De beschikking voor de bijzondere bijstand is nog steeds niet binnen.",
    "Kunnen we het noodfonds inzetten zodat de energie niet wordt afgesloten?",
    "Afspraak: de schuldhulpverlening start zodra het besluit er is.",
)


@dataclass
class Options:
    clients: int = 3  # room clients, each its own participant
    in_flight: int = 4  # messages a client has sent without an acknowledgement yet, at most
    case_writers: int = 2  # concurrent POST /api/v1/cases loops
    import_cases: int = 6  # lines of the `casebook import` file per cycle
    # The kill falls uniformly in this window, counted from the burst's first acknowledged message and case
    # (not from its start: on a loaded machine the first acknowledgements can take seconds).
    kill_after: tuple[float, float] = (1.5, 5.0)
    seed: int = 1


# ---- what the clients were told --------------------------------------------------------------------


@dataclass
class Ledger:
    """Every acknowledgement a client got from one database, over all cycles on it."""

    messages: dict[str, int] = field(default_factory=dict)  # client_id -> seq of its acknowledgement
    cases: dict[str, str] = field(default_factory=dict)  # external_id -> its word (201 or imported)
    case_ids: dict[str, int] = field(default_factory=dict)  # external_id -> id from its 201
    deleted: set[str] = field(default_factory=set)  # external_ids whose DELETE got a 204
    uncertain: set[str] = field(default_factory=set)  # a DELETE cut off by the kill: either way
    words: set[str] = field(default_factory=set)


@dataclass
class CycleResult:
    cycle: int
    kill_at_s: float
    messages_acked: int  # acknowledged before the kill, this cycle
    messages_resent: int  # sent without acknowledgement before the kill, resent after the restart
    resent_already_stored: int  # ... of which the restarted server said duplicate (stored, ack lost)
    messages_checked: int  # every acknowledgement on this database so far
    messages_lost: int
    messages_duplicated: int
    messages_moved: int  # stored at another seq than the acknowledgement said
    seq_gap_free: bool
    replay_agrees: bool
    cases_acked: int  # 201s and imported lines this cycle
    imported: int
    cases_checked: int
    cases_lost: int
    cases_duplicated: int
    deletes_acked: int
    deleted_back: int  # acknowledged deletions found again
    unacked_cases_stored: int  # POSTs cut off by the kill that were stored anyway (fine: at most once)
    index_cases: int
    db_cases: int
    index_agrees: bool
    index_detail: str
    search_misses: int
    restart_s: float
    refusals: dict[str, int] = field(default_factory=dict)
    search_detail: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.messages_lost == self.messages_duplicated == self.messages_moved == 0
            and self.seq_gap_free
            and self.replay_agrees
            and self.cases_lost == self.cases_duplicated == self.deleted_back == 0
            and self.index_agrees
            and self.search_misses == 0
        )


# ---- databases and servers ----------------------------------------------------------------------


def sqlalchemy_url(database_url: str | None, data_dir: Path) -> str:
    if database_url:
        return database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{(data_dir / 'casebook.db').resolve()}"


@contextlib.contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A database of its own on the PostgreSQL of `server_url` (dropped afterwards); yields its URL."""
    url = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"casebook_crash_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url.render_as_string(hide_password=False)).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    try:
        yield (
            url.set(database=name)
            .render_as_string(hide_password=False)
            .replace("postgresql+psycopg://", "postgresql://", 1)
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    # The clients send as fast as acknowledgements come back: lift the per-user room limits.
    env = {
        **os.environ,
        "CASEBOOK_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        "CASEBOOK_ROOM_MAX_CONNECTIONS_PER_USER": "0",
        "CASEBOOK_ROOM_EVENTS_PER_SECOND": "0",
    }
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


class Server:
    """One `casebook serve` process at a time on a fixed port, over one data dir and database."""

    def __init__(self, data_dir: Path, database_url: str | None):
        self.data_dir, self.database_url = data_dir, database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        began = time.monotonic()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "casebook.cli", "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=server_env(self.data_dir, self.database_url),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = began + 120
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return time.monotonic() - began
            except httpx.TransportError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"server did not start (exit {self.process.poll()}): {self.log_tail()}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        if self.process:
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""


@dataclass
class Room:
    session_id: int
    tokens: list[str]  # one per room client (client i uses tokens[i % len]); the coach's first


def prepare(url: str, clients: int) -> tuple[list[str], list[str]]:
    """Migrate the database and add a coach of TEAM and providers; returns (usernames, API tokens), coach first."""
    engine = make_engine(url)
    migrate(engine)
    try:
        with Session(engine, expire_on_commit=False) as db:
            suffix = uuid.uuid4().hex[:6]
            users = [
                account_service.create_user(
                    db_session=db,
                    username=f"crash-coach-{suffix}",
                    password=PASSWORD,
                    role=Role.coach,
                    teams=[TEAM],
                )
            ]
            users += [
                account_service.create_user(
                    db_session=db,
                    username=f"crash-deelnemer-{suffix}-{n}",
                    password=PASSWORD,
                    role=Role.provider,
                )
                for n in range(max(0, clients - 1))
            ]
            db.commit()
            tokens = [account_service.create_token(db_session=db, user=user) for user in users]
            db.commit()
            return [user.username for user in users], tokens
    finally:
        engine.dispose()


def open_room(server: Server, usernames: list[str], tokens: list[str]) -> Room:
    """Through the API, as the coach: a case and a discussion session on it with the providers invited."""
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=60
    ) as http:
        case = http.post("/api/v1/cases", json={"title": "Crashtest-casus", "team": TEAM})
        case.raise_for_status()
        session = http.post(
            "/api/v1/sessions", json={"case_id": case.json()["id"], "participants": usernames[1:]}
        )
        session.raise_for_status()
    return Room(session.json()["id"], tokens)


# ---- the burst ------------------------------------------------------------------------------------

SYLLABLE_START, SYLLABLE_END = "bdfgklmnprstvz", "aeiou"


def new_word(rng: random.Random, ledger: Ledger) -> str:
    """A made-up lowercase word (survives the anonymiser, matches no Dutch word): one case's search key."""
    while True:
        word = "".join(rng.choice(SYLLABLE_START) + rng.choice(SYLLABLE_END) for _ in range(5))
        if word not in ledger.words:
            ledger.words.add(word)
            return word


def new_external_id() -> str:
    return f"CB-{uuid.uuid4().hex[:8].upper()}"  # the product's own format


def case_json(external_id: str, word: str) -> dict:
    return {
        "external_id": external_id,
        "title": f"Crashcasus {word}",
        "team": TEAM,
        "narrative": f"[CLIENT] heeft schulden; {word} wacht op een besluit van de gemeente.",
        "life_domains": ["financiën"],
    }


async def connect(
    url: str, token: str, session_id: int, on_message=None
) -> tuple[socketio.AsyncClient, dict]:
    sio = socketio.AsyncClient(reconnection=False)
    if on_message:
        sio.on("message", on_message)
    await sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=15)
    answer = await sio.call("join", {"session_id": session_id, "last_seq": 10**9}, timeout=30)
    if not answer.get("ok"):
        raise RuntimeError(f"join refused: {answer}")
    return sio, answer


@dataclass
class Burst:
    sent: list[dict[str, str]]  # per client: client_id -> text, in sending order
    acked: set[str]
    cases_acked: int
    imported: int
    deletes_acked: int
    unacked_posts: set[str]
    kill_at_s: float
    refusals: Counter


async def burst(
    server: Server,
    room: Room,
    ledger: Ledger,
    cycle: int,
    options: Options,
    rng: random.Random,
    data_dir: Path,
) -> Burst:
    url = server.url
    clients = [
        (await connect(url, room.tokens[i % len(room.tokens)], room.session_id))[0]
        for i in range(options.clients)
    ]
    sent: list[dict[str, str]] = [{} for _ in clients]
    acked: set[str] = set()
    refusals: Counter = Counter()
    stop = asyncio.Event()
    counts = Counter()
    unacked_posts: set[str] = set()

    async def send_one(sio, client_id: str, text_: str) -> None:
        answer = await sio.call(
            "message", {"session_id": room.session_id, "text": text_, "client_id": client_id}, timeout=60
        )
        if answer.get("ok"):
            ledger.messages[client_id] = answer["seq"]
            acked.add(client_id)
        else:
            refusals[answer.get("code", "?")] += 1

    async def sender(index: int, sio) -> None:
        slots = asyncio.Semaphore(options.in_flight)
        tasks: set[asyncio.Task] = set()
        number = 0
        try:
            while not stop.is_set():
                await slots.acquire()
                if stop.is_set():
                    break
                client_id = f"c{cycle}-{index}-{number}"
                text_ = f"{MESSAGE_TEXTS[number % len(MESSAGE_TEXTS)]} ({number})"
                sent[index][client_id] = text_
                number += 1
                task = asyncio.create_task(send_one(sio, client_id, text_))
                tasks.add(task)
                task.add_done_callback(lambda t: (tasks.discard(t), slots.release()))
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def case_writer(index: int) -> None:
        headers = {"Authorization": f"Bearer {room.tokens[0]}"}
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
            number = 0
            while not stop.is_set():
                external_id, word = new_external_id(), new_word(rng, ledger)
                unacked_posts.add(external_id)
                try:
                    response = await http.post("/api/v1/cases", json=case_json(external_id, word))
                except httpx.TransportError:
                    return
                if response.status_code != 201:
                    refusals[f"POST {response.status_code}"] += 1
                    continue
                unacked_posts.discard(external_id)
                ledger.cases[external_id] = word
                ledger.case_ids[external_id] = response.json()["id"]
                counts["cases"] += 1
                number += 1
                if number % 3 == 0:
                    ledger.uncertain.add(external_id)
                    try:
                        deleted = await http.delete(f"/api/v1/cases/{ledger.case_ids[external_id]}")
                    except httpx.TransportError:
                        return
                    if deleted.status_code == 204:
                        ledger.deleted.add(external_id)
                        ledger.uncertain.discard(external_id)
                        counts["deletes"] += 1
                    else:
                        refusals[f"DELETE {deleted.status_code}"] += 1

    import_file = data_dir / f"import-{cycle}.jsonl"
    import_lines = {new_external_id(): new_word(rng, ledger) for _ in range(options.import_cases)}
    import_file.write_text(
        "".join(json.dumps(case_json(e, w), ensure_ascii=False) + "\n" for e, w in import_lines.items())
    )
    importer = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "casebook.cli",
        "import",
        str(import_file),
        cwd=ROOT,
        env=server_env(data_dir, server.database_url),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )

    began = time.monotonic()
    workers = [asyncio.create_task(sender(i, sio)) for i, sio in enumerate(clients)]
    workers += [asyncio.create_task(case_writer(i)) for i in range(options.case_writers)]
    deadline = began + 120
    while not (acked and counts["cases"]) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await asyncio.sleep(rng.uniform(*options.kill_after))
    kill_at = time.monotonic() - began
    server.kill()
    stop.set()
    for worker in workers:
        worker.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    for sio in clients:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(sio.disconnect(), 5)

    _out, err = await asyncio.wait_for(importer.communicate(), 300)
    imported = 0
    if importer.returncode == 0:
        for external_id, word in import_lines.items():
            ledger.cases[external_id] = word
        imported = len(import_lines)
    else:
        refusals[f"import exit {importer.returncode}"] += 1
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return Burst(
        sent, acked, counts["cases"] + imported, imported, counts["deletes"], unacked_posts, kill_at, refusals
    )


async def resend(server: Server, room: Room, ledger: Ledger, outcome: Burst) -> tuple[int, int]:
    """Each client reconnects and resends, in order and with the same client_id, what got no acknowledgement."""
    resent = already = 0
    for index, sent in enumerate(outcome.sent):
        waiting = [(cid, text_) for cid, text_ in sent.items() if cid not in outcome.acked]
        if not waiting:
            continue
        sio, _ = await connect(server.url, room.tokens[index % len(room.tokens)], room.session_id)
        try:
            for client_id, text_ in waiting:
                answer = await sio.call(
                    "message",
                    {"session_id": room.session_id, "text": text_, "client_id": client_id},
                    timeout=60,
                )
                if not answer.get("ok"):
                    outcome.refusals[f"resend {answer.get('code')}"] += 1
                    continue
                ledger.messages[client_id] = answer["seq"]
                resent += 1
                already += bool(answer.get("duplicate"))
        finally:
            await sio.disconnect()
    return resent, already


# ---- verification -----------------------------------------------------------------------------------


async def replayed(server: Server, room: Room) -> dict[int, str | None]:
    """seq -> client_id of every event a fresh client's join (last_seq 0) replays."""
    events: dict[int, str | None] = {}
    got = asyncio.Event()

    async def on_message(event):
        events[event["seq"]] = event.get("client_id")
        got.set()

    sio = socketio.AsyncClient(reconnection=False)
    sio.on("message", on_message)
    await sio.connect(server.url, auth={"token": room.tokens[0]}, transports=["websocket"], wait_timeout=15)
    try:
        answer = await sio.call("join", {"session_id": room.session_id, "last_seq": 0}, timeout=60)
        deadline = time.monotonic() + 30
        while len(events) < answer.get("replayed", 0) and time.monotonic() < deadline:
            got.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(got.wait(), 0.5)
    finally:
        await sio.disconnect()
    return events


def index_case_ids(data_dir: Path) -> tuple[set[int], set[int], str]:
    """Case ids in the persisted index: in search.meta.json and among the vector ids of search.faiss; and
    what else is wrong between the two (a chunk count that differs, a vector id held twice), or ""."""
    from search.chunking import MAX_CHUNKS_PER_CASE
    from search.vector_index import VectorIndex

    meta = json.loads((data_dir / "search" / "search.meta.json").read_text())
    vectors = VectorIndex.load(data_dir / "search" / "search.faiss")
    _, ids = vectors.all_vectors()
    chunks = Counter(int(i) // MAX_CHUNKS_PER_CASE for i in ids)
    wrong = [c for c, entry in meta["cases"].items() if chunks.get(int(c), 0) != entry["chunks"]]
    twice = len(ids) - len(set(ids.tolist()))
    problems = (f"chunk counts differ for cases {wrong[:5]} " if wrong else "") + (
        f"{twice} vector ids twice" if twice else ""
    )
    return {int(c) for c in meta["cases"]}, set(chunks), problems


async def search_misses(server: Server, room: Room, ledger: Ledger, stored: dict[str, int]) -> list[str]:
    """Every stored case with a word is the hit of a search on it, no deleted one is, and the similar cases of
    every stored case are stored cases. Returns what went wrong. Cases are told apart by external id: SQLite
    hands the id of a deleted case to the next new one when it was the highest."""
    misses = []
    async with httpx.AsyncClient(
        base_url=server.url, timeout=60, headers={"Authorization": f"Bearer {room.tokens[0]}"}
    ) as http:
        for external_id, word in ledger.cases.items():
            response = await http.get("/api/v1/search", params={"q": word, "k": 5})
            response.raise_for_status()
            hits = {hit["external_id"] for hit in response.json()["hits"]}
            if (external_id in hits) != (external_id in stored):
                state = f"stored as case {stored[external_id]}" if external_id in stored else "not stored"
                found = [(h["external_id"], h["title"]) for h in response.json()["hits"]]
                misses.append(f"{external_id} ({state}): search {word!r} -> {found}")
            if external_id in stored:
                similar = await http.get(f"/api/v1/cases/{stored[external_id]}/similar", params={"k": 10})
                similar.raise_for_status()
                gone = [h["external_id"] for h in similar.json()["hits"] if h["external_id"] not in stored]
                if gone:
                    misses.append(f"{external_id}: similar cases not in the database: {gone}")
    return misses


def verify(
    server: Server,
    room: Room,
    ledger: Ledger,
    outcome: Burst,
    cycle: int,
    resent: tuple[int, int],
    restart_s: float,
) -> tuple[CycleResult, list, dict[str, int]]:
    """What the database and the persisted index hold against the ledger; also returns the session's stored
    (seq, client_id) rows and the stored cases (external_id -> id) for the replay and search checks."""
    engine = make_engine(sqlalchemy_url(server.database_url, server.data_dir))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("select seq, client_id from message where session_id = :s order by seq"),
                {"s": room.session_id},
            ).all()
            last_seq = connection.execute(
                text("select last_seq from discussion_session where id = :s"), {"s": room.session_id}
            ).scalar_one()
            case_rows = connection.execute(text('select id, external_id from "case"')).all()
    finally:
        engine.dispose()
    seqs = [seq for seq, _ in rows]
    by_client = Counter(client_id for _, client_id in rows if client_id)
    seq_of = {client_id: seq for seq, client_id in rows if client_id}
    lost = sum(1 for cid in ledger.messages if by_client[cid] == 0)
    duplicated = sum(1 for cid in ledger.messages if by_client[cid] > 1)
    moved = sum(1 for cid, seq in ledger.messages.items() if by_client[cid] == 1 and seq_of[cid] != seq)

    db_ids = {case_id for case_id, _ in case_rows}
    per_external = Counter(external_id for _, external_id in case_rows)
    stored = {external_id: case_id for case_id, external_id in case_rows}
    expected = {e for e in ledger.cases if e not in ledger.deleted and e not in ledger.uncertain}
    cases_lost = sum(1 for e in expected if per_external[e] == 0)
    cases_duplicated = sum(1 for e in ledger.cases if per_external[e] > 1)
    deleted_back = sum(1 for e in ledger.deleted if per_external[e] > 0)

    meta_ids, vector_ids, problems = index_case_ids(server.data_dir)
    agrees = meta_ids == vector_ids == db_ids and not problems
    detail = (
        ""
        if agrees
        else (
            f"db-only {sorted(db_ids - meta_ids)[:5]} index-only {sorted(meta_ids - db_ids)[:5]} "
            f"vector/meta differ {sorted(vector_ids ^ meta_ids)[:5]} {problems}"
        )
    )
    return (
        CycleResult(
            cycle=cycle,
            kill_at_s=round(outcome.kill_at_s, 2),
            messages_acked=len(outcome.acked),
            messages_resent=resent[0],
            resent_already_stored=resent[1],
            messages_checked=len(ledger.messages),
            messages_lost=lost,
            messages_duplicated=duplicated,
            messages_moved=moved,
            seq_gap_free=seqs == list(range(1, len(seqs) + 1)) and last_seq == len(seqs),
            replay_agrees=False,  # below
            cases_acked=outcome.cases_acked,
            imported=outcome.imported,
            cases_checked=len(expected),
            cases_lost=cases_lost,
            cases_duplicated=cases_duplicated,
            deletes_acked=outcome.deletes_acked,
            deleted_back=deleted_back,
            unacked_cases_stored=sum(1 for e in outcome.unacked_posts if e in stored),
            index_cases=len(meta_ids),
            db_cases=len(db_ids),
            index_agrees=agrees,
            index_detail=detail,
            search_misses=0,
            restart_s=round(restart_s, 2),
            refusals=dict(outcome.refusals),
        ),
        rows,
        stored,
    )


async def cycle_on(
    server: Server, room: Room, ledger: Ledger, cycle: int, options: Options, rng: random.Random
) -> CycleResult:
    """One burst-kill-restart-verify cycle on a running server (left running afterwards)."""
    outcome = await burst(server, room, ledger, cycle, options, rng, server.data_dir)
    restart_s = await asyncio.to_thread(server.start)
    resent = await resend(server, room, ledger, outcome)
    result, rows, stored = verify(server, room, ledger, outcome, cycle, resent, restart_s)
    replay = await replayed(server, room)
    result.replay_agrees = replay == {seq: client_id for seq, client_id in rows}
    misses = await search_misses(server, room, ledger, stored)
    result.search_misses, result.search_detail = len(misses), misses
    return result


def run_async(coroutine):
    """asyncio.run, also when this thread already runs a loop (pytest after Playwright's sync API)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run_on(
    data_dir: Path, database_url: str | None, cycles: int, options: Options, first_cycle: int = 1, report=None
) -> list[CycleResult]:
    """`cycles` cycles one after another on one data dir and database (each restart starts the next cycle).
    `database_url`: a postgresql:// URL, or None for SQLite in the data dir."""
    usernames, tokens = prepare(sqlalchemy_url(database_url, data_dir), options.clients)
    ledger = Ledger()
    rng = random.Random(options.seed * 1000 + first_cycle)
    server = Server(data_dir, database_url)
    results = []
    try:
        server.start()
        room = open_room(server, usernames, tokens)
        for number in range(first_cycle, first_cycle + cycles):
            result = run_async(cycle_on(server, room, ledger, number, options, rng))
            results.append(result)
            if report:
                report(result)
    except Exception:
        sys.stderr.write(f"server log:\n{server.log_tail()}\n")
        raise
    finally:
        server.stop()
    return results


def run_fresh(cycles: int, database_url: str | None, options: Options, report=None) -> list[CycleResult]:
    """Each cycle on a fresh data dir, database and port."""
    results = []
    for number in range(1, cycles + 1):
        with (
            tempfile.TemporaryDirectory(prefix="casebook-crash-") as tmp,
            postgres_database(database_url) if database_url else contextlib.nullcontext() as url,
        ):
            results += run_on(Path(tmp), url, 1, options, first_cycle=number, report=report)
    return results


# ---- output -------------------------------------------------------------------------------------------

COLUMNS = (
    ("cycle", 5),
    ("kill s", 6),
    ("msg ack", 7),
    ("resent", 6),
    ("(dup)", 5),
    ("found", 6),
    ("lost", 4),
    ("dup", 3),
    ("moved", 5),
    ("seq ok", 6),
    ("replay", 6),
    ("case ack", 8),
    ("found", 5),
    ("lost", 4),
    ("dup", 3),
    ("del", 3),
    ("back", 4),
    ("index", 10),
    ("miss", 4),
    ("restart s", 9),
)


def header() -> str:
    return (
        " | ".join(f"{name:>{width}}" for name, width in COLUMNS)
        + "\n"
        + "-" * (sum(w + 3 for _, w in COLUMNS) - 3)
    )


def row(r: CycleResult) -> str:
    values = (
        r.cycle,
        f"{r.kill_at_s:.2f}",
        r.messages_acked,
        r.messages_resent,
        r.resent_already_stored,
        r.messages_checked - r.messages_lost,
        r.messages_lost,
        r.messages_duplicated,
        r.messages_moved,
        "yes" if r.seq_gap_free else "NO",
        "yes" if r.replay_agrees else "NO",
        r.cases_acked,
        r.cases_checked - r.cases_lost,
        r.cases_lost,
        r.cases_duplicated,
        r.deletes_acked,
        r.deleted_back,
        f"{'yes' if r.index_agrees else 'NO'} {r.index_cases}/{r.db_cases}",
        r.search_misses,
        f"{r.restart_s:.1f}",
    )
    return " | ".join(f"{v!s:>{w}}" for v, (_, w) in zip(values, COLUMNS))


def totals(results: list[CycleResult]) -> dict:
    return {
        "cycles": len(results),
        "ok_cycles": sum(r.ok for r in results),
        "messages_acked": sum(r.messages_acked + r.messages_resent for r in results),
        "messages_lost": sum(r.messages_lost for r in results),
        "messages_duplicated": sum(r.messages_duplicated for r in results),
        "messages_moved": sum(r.messages_moved for r in results),
        "resent_already_stored": sum(r.resent_already_stored for r in results),
        "cases_acked": sum(r.cases_acked for r in results),
        "cases_lost": sum(r.cases_lost for r in results),
        "cases_duplicated": sum(r.cases_duplicated for r in results),
        "deletes_acked": sum(r.deletes_acked for r in results),
        "deleted_back": sum(r.deleted_back for r in results),
        "index_disagreements": sum(not r.index_agrees for r in results),
        "search_misses": sum(r.search_misses for r in results),
        "seq_gaps": sum(not r.seq_gap_free for r in results),
        "replay_mismatches": sum(not r.replay_agrees for r in results),
        "restart_s_max": max((r.restart_s for r in results), default=0.0),
    }


def main() -> None:
    logging.getLogger("websockets").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server, e.g. postgresql://postgres@127.0.0.1:5432/test (a database "
        "of its own is created per cycle and dropped); default SQLite",
    )
    parser.add_argument("--clients", type=int, default=Options.clients)
    parser.add_argument("--in-flight", type=int, default=Options.in_flight)
    parser.add_argument("--case-writers", type=int, default=Options.case_writers)
    parser.add_argument("--import-cases", type=int, default=Options.import_cases)
    parser.add_argument(
        "--kill-after", type=float, nargs=2, default=Options.kill_after, metavar=("FROM", "TO")
    )
    parser.add_argument("--seed", type=int, default=Options.seed)
    args = parser.parse_args()
    options = Options(
        clients=args.clients,
        in_flight=args.in_flight,
        case_writers=args.case_writers,
        import_cases=args.import_cases,
        kill_after=tuple(args.kill_after),
        seed=args.seed,
    )

    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"Crash cycles: SIGKILL mid-burst, restart, verify ({backend}, {os.cpu_count()} CPUs)\n")
    print(header(), flush=True)
    began = time.monotonic()
    results = run_fresh(args.cycles, args.database_url, options, report=lambda r: print(row(r), flush=True))
    summary = totals(results)
    print(
        f"\ntotal: {summary['cycles']} cycles ({summary['ok_cycles']} clean) in {time.monotonic() - began:.0f} s; "
        f"messages acknowledged {summary['messages_acked']}, lost {summary['messages_lost']}, duplicated "
        f"{summary['messages_duplicated']}, moved {summary['messages_moved']} ({summary['resent_already_stored']} "
        f"stored before the kill without their acknowledgement); cases acknowledged {summary['cases_acked']}, "
        f"lost {summary['cases_lost']}, duplicated {summary['cases_duplicated']}; deletions acknowledged "
        f"{summary['deletes_acked']}, back {summary['deleted_back']}; index disagreements "
        f"{summary['index_disagreements']}, search misses {summary['search_misses']}"
    )
    for r in results:
        if r.index_detail:
            print(f"cycle {r.cycle}: {r.index_detail}")
        for miss in r.search_detail:
            print(f"cycle {r.cycle} search miss: {miss}")
        if r.refusals:
            print(f"cycle {r.cycle} refusals: {r.refusals}")
    out = ROOT / "bench" / "results" / f"crash-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "backend": backend,
                "settings": {**vars(args), "database_url": bool(args.database_url)},
                "cycles": [asdict(r) for r in results],
                "totals": summary,
                "seconds": time.monotonic() - began,
            },
            indent=2,
        )
    )
    print(f"\nwritten: {out.relative_to(ROOT)}")
    if summary["ok_cycles"] != summary["cycles"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
