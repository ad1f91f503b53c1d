"""Benchmark of the live room (not a test): a real `casebook serve` process on loopback, raw Engine.IO/Socket.IO
websocket clients (light enough that the client side is not what is measured).

For 10, 50 and 200 clients in one room, every client sends in turn at a fixed total rate (20 messages/s by
default); latency is send -> receive at every client (anonymisation, storage and broadcast included).
The server's CPU time per message and the load average are set next to them (the machine may be
shared). Then a burst (every client sends at once) gives stored messages/s and deliveries/s. Finally N idle,
authenticated connections (2,000 by default) give memory per connection from the server's RSS.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/room.py [--clients 10 50 200] [--rate 20] [--seconds 10] [--idle 2000]
        [--redis-url redis://127.0.0.1:6379/0]

Prints a table and writes JSON to bench/results/room-<time>.json."""

import argparse
import asyncio
import itertools
import json
import logging
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.accounts import service as account_service  # noqa: E402
from casebook.accounts.models import Role  # noqa: E402
from casebook.cases import service as case_service  # noqa: E402
from casebook.cases.models import CaseIn  # noqa: E402
from casebook.db import make_engine, migrate  # noqa: E402
from chat.discussions import service as discussion_service  # noqa: E402
from chat.discussions.models import SessionCreate  # noqa: E402

USERS = 10
SAMPLE_TEXTS = [
    "Mevrouw Jansen wacht al zes weken op het besluit over de bijzondere bijstand.",
    "De schuldhulpverlening kan pas starten als de beschikking binnen is; dat duurt te lang.",
    "Kunnen we het noodfonds inzetten zodat de energie niet wordt afgesloten?",
    "Ik bel morgen met de woningcorporatie over een betalingsregeling.",
    "De vermogenstoets uit de Participatiewet sluit haar uit door het spaargeld voor de uitvaart.",
]


# ---- setup ------------------------------------------------------------------------------------


def prepare(data_dir: Path) -> tuple[int, list[str]]:
    """A migrated database with users, a case and one session everyone is invited to; returns tokens."""
    engine = make_engine(f"sqlite:///{data_dir / 'casebook.db'}")
    migrate(engine)
    with Session(engine, expire_on_commit=False) as db:
        coach = account_service.create_user(
            db_session=db,
            username="coach",
            password="benchmark-pass",
            role=Role.coach,
            teams=["Wijkteam Noord"],
        )
        others = [
            account_service.create_user(
                db_session=db, username=f"deelnemer{n}", password="benchmark-pass", role=Role.provider
            )
            for n in range(USERS - 1)
        ]
        db.commit()
        case = case_service.create(
            db_session=db, user=coach, data=CaseIn(title="Benchmarkcasus", team="Wijkteam Noord")
        )
        discussion = discussion_service.create(
            db_session=db,
            user=coach,
            data=SessionCreate(case_id=case.id, participants=[u.username for u in others]),
        )
        tokens = [account_service.create_token(db_session=db, user=u) for u in [coach, *others]]
        db.commit()
    engine.dispose()
    return discussion.id, tokens


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: Path, redis_url: str | None = None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    # The bench spreads hundreds of sockets over a few users and sends as fast as it can: lift the per-user
    # room limits (5 sockets, 10 events/s), which would otherwise refuse most of them.
    env = {
        **os.environ,
        "CASEBOOK_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        "CASEBOOK_ROOM_MAX_CONNECTIONS_PER_USER": "0",
        "CASEBOOK_ROOM_EVENTS_PER_SECOND": "0",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if redis_url:  # as scaled out: broadcasts, pseudonym maps and roster counters go through Redis
        env.update({"REDIS_URL": redis_url, "CASEBOOK_SECRET_KEY": "benchmark-secret"})
    process = subprocess.Popen(
        [sys.executable, "-m", "casebook.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=1).status_code == 200:
                return process, port
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not start")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# ---- a minimal Socket.IO client over one websocket ----------------------------------------------


class Client:
    """Engine.IO v4 / Socket.IO v5 text frames: '0' open, '2'/'3' ping/pong, '40' connect, '42' event,
    '42<id>' event with ack, '43<id>' ack."""

    def __init__(self, port: int, token: str, on_message=None):
        self.url = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
        self.token, self.on_message = token, on_message
        self.ws = None
        self._acks: dict[int, asyncio.Future] = {}
        self._ids = itertools.count(1)
        self._reader = None

    async def connect(self) -> None:
        self.ws = await websockets.connect(self.url, max_size=2**22, ping_interval=None, compression=None)
        opened = await self.ws.recv()
        assert opened.startswith("0"), opened
        await self.ws.send("40" + json.dumps({"token": self.token}))
        connected = await self.ws.recv()
        if not connected.startswith("40"):
            raise RuntimeError(f"refused: {connected[:200]}")
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                if frame == "2":
                    await self.ws.send("3")
                elif frame.startswith("42"):
                    name, data = json.loads(frame[2:])[:2]
                    if name == "message" and self.on_message:
                        self.on_message(data)
                elif frame.startswith("43"):
                    bracket = frame.index("[")
                    future = self._acks.pop(int(frame[2:bracket]), None)
                    if future and not future.done():
                        future.set_result(json.loads(frame[bracket:])[0])
        except websockets.ConnectionClosed:
            pass

    async def emit(self, event: str, data: dict) -> None:
        await self.ws.send("42" + json.dumps([event, data]))

    async def call(self, event: str, data: dict, timeout: float = 30) -> dict:
        ack_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = future
        await self.ws.send(f"42{ack_id}" + json.dumps([event, data]))
        return await asyncio.wait_for(future, timeout)

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
        if self.ws:
            await self.ws.close()


# ---- scenarios ----------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc), to set next to the wall-clock latencies."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def room_of(port: int, tokens: list[str], session_id: int, count: int, on_message):
    clients = [Client(port, tokens[n % len(tokens)], on_message) for n in range(count)]
    for batch in range(0, count, 50):
        await asyncio.gather(*(c.connect() for c in clients[batch : batch + 50]))
    for client in clients:
        answer = await client.call("join", {"session_id": session_id, "last_seq": 10**9})
        assert answer.get("ok"), answer
    return clients


async def steady(
    port: int, tokens: list[str], session_id: int, count: int, rate: float, seconds: float
) -> dict:
    """Every client sends in turn; total `rate` messages/s; latency measured at every receiving client."""
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    received = 0

    def on_message(event: dict) -> None:
        nonlocal received
        started = sent_at.get(event.get("client_id"))
        if started is not None:
            latencies.append((time.perf_counter() - started) * 1000)
            received += 1

    clients = await room_of(port, tokens, session_id, count, on_message)
    await asyncio.sleep(1 + count / 40)  # let the join/presence broadcasts (count x count) drain first
    total = int(rate * seconds)
    begin = time.perf_counter()
    for number in range(total):
        target = begin + number / rate
        await asyncio.sleep(max(0.0, target - time.perf_counter()))
        client_id = f"s{count}-{number}"
        sent_at[client_id] = time.perf_counter()
        await clients[number % count].emit(
            "message",
            {
                "session_id": session_id,
                "client_id": client_id,
                "text": SAMPLE_TEXTS[number % len(SAMPLE_TEXTS)],
            },
        )
    expected = total * count
    deadline = time.perf_counter() + 30
    while received < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - begin
    for client in clients:
        await client.close()
    return {
        "clients": count,
        "messages": total,
        "rate_target": rate,
        "deliveries_expected": expected,
        "deliveries": received,
        "lost": expected - received,
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies, default=float("nan")),
        "elapsed_s": elapsed,
    }


async def burst(port: int, tokens: list[str], session_id: int, count: int, per_client: int) -> dict:
    """Every client sends `per_client` messages as fast as acks come back; measures stored msgs/s."""
    received = 0

    def on_message(_event: dict) -> None:
        nonlocal received
        received += 1

    clients = await room_of(port, tokens, session_id, count, on_message)
    await asyncio.sleep(1 + count / 40)

    async def send(index: int, client: Client) -> None:
        for number in range(per_client):
            await client.call(
                "message",
                {
                    "session_id": session_id,
                    "client_id": f"b{count}-{index}-{number}",
                    "text": SAMPLE_TEXTS[number % len(SAMPLE_TEXTS)],
                },
            )

    begin = time.perf_counter()
    await asyncio.gather(*(send(i, c) for i, c in enumerate(clients)))
    stored_s = time.perf_counter() - begin
    expected = count * per_client * count
    deadline = time.perf_counter() + 60
    while received < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    delivered_s = time.perf_counter() - begin
    for client in clients:
        await client.close()
    messages = count * per_client
    return {
        "clients": count,
        "messages": messages,
        "msgs_per_s": messages / stored_s,
        "deliveries_per_s": received / delivered_s,
        "lost": expected - received,
    }


async def idle(port: int, tokens: list[str], pid: int, count: int) -> dict:
    before = rss_kib(pid)
    clients, errors = [], 0
    begin = time.perf_counter()
    for batch in range(0, count, 100):
        group = [Client(port, tokens[n % len(tokens)]) for n in range(batch, min(count, batch + 100))]
        results = await asyncio.gather(*(c.connect() for c in group), return_exceptions=True)
        errors += sum(isinstance(r, Exception) for r in results)
        clients += [c for c, r in zip(group, results) if not isinstance(r, Exception)]
    connect_s = time.perf_counter() - begin
    await asyncio.sleep(25)  # past one ping interval: every connection must answer the server's ping
    alive = sum(1 for c in clients if c.ws.state.name == "OPEN")
    after = rss_kib(pid)
    for client in clients:
        await client.close()
    return {
        "connections": count,
        "alive_after_ping": alive,
        "errors": errors,
        "connect_s": connect_s,
        "rss_before_mib": before / 1024,
        "rss_after_mib": after / 1024,
        "kib_per_connection": (after - before) / max(alive, 1),
    }


# ---- main -------------------------------------------------------------------------------------


def main() -> None:
    logging.getLogger("websockets").setLevel(logging.WARNING)  # frames would carry message text
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=5, help="messages per client in the burst")
    parser.add_argument("--idle", type=int, default=2000)
    parser.add_argument(
        "--redis-url", help="serve with REDIS_URL, as several processes would (one serves here)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as tmp:
        data_dir = Path(tmp)
        session_id, tokens = prepare(data_dir)
        process, port = start_server(data_dir, args.redis_url)
        try:
            results = asyncio.run(run_all(args, port, tokens, session_id, process.pid))
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    print_table(results)
    out = ROOT / "bench" / "results" / f"room-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten: {out.relative_to(ROOT)}")


async def run_all(args, port: int, tokens: list[str], session_id: int, pid: int) -> dict:
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "settings": vars(args),
        "steady": [],
        "burst": [],
        "idle": None,
    }
    for count in args.clients:
        load, cpu_before = os.getloadavg()[0], cpu_seconds(pid)
        row = await steady(port, tokens, session_id, count, args.rate, args.seconds)
        row["server_cpu_s"] = cpu_seconds(pid) - cpu_before
        row["server_cpu_ms_per_msg"] = row["server_cpu_s"] * 1000 / max(row["messages"], 1)
        row["load_avg_1min"] = load
        results["steady"].append(row)
    for count in args.clients:
        results["burst"].append(await burst(port, tokens, session_id, count, args.burst))
    if args.idle:
        results["idle"] = await idle(port, tokens, pid, args.idle)
    return results


def print_table(results: dict) -> None:
    redis = ", Redis" if results["settings"]["redis_url"] else ""
    print(
        f"\nLive room on loopback, {results['machine']['cpus']} CPUs, SQLite{redis}, anonymisation + storage "
        "included"
    )
    print(
        f"{'clients':>7} | {'msg/s sent':>10} | {'p50 ms':>7} | {'p99 ms':>7} | {'max ms':>7} | {'lost':>4} | "
        f"{'server CPU ms/msg':>17} | {'load':>5} | {'burst msg/s':>11} | {'deliveries/s':>12}"
    )
    print("-" * 118)
    for steady_row, burst_row in zip(results["steady"], results["burst"]):
        print(
            f"{steady_row['clients']:>7} | {steady_row['rate_target']:>10.0f} | {steady_row['p50_ms']:>7.1f} | "
            f"{steady_row['p99_ms']:>7.1f} | {steady_row['max_ms']:>7.1f} | {steady_row['lost']:>4} | "
            f"{steady_row['server_cpu_ms_per_msg']:>17.1f} | {steady_row['load_avg_1min']:>5.1f} | "
            f"{burst_row['msgs_per_s']:>11.0f} | {burst_row['deliveries_per_s']:>12.0f}"
        )
    idle_row = results["idle"]
    if idle_row:
        print(
            f"\nidle: {idle_row['alive_after_ping']}/{idle_row['connections']} connections alive after a ping "
            f"interval, {idle_row['errors']} errors, RSS {idle_row['rss_before_mib']:.0f} -> "
            f"{idle_row['rss_after_mib']:.0f} MiB = {idle_row['kib_per_connection']:.1f} KiB per connection"
        )


if __name__ == "__main__":
    main()
