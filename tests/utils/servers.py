"""Real servers for tests: `casebook serve` processes (browser, scale-out) and the ASGI app under uvicorn in a
thread (the room, the access matrix)."""

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis
import uvicorn

from casebook.anonymise.shared import SharedMaps
from casebook.db import database_key, make_engine
from casebook.settings import Settings
from chat.sockets import channel_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThreadedServer:
    """uvicorn serving the real ASGI app (as `casebook serve` does) in a background thread of the test process,
    so a test can reach into the app's state while clients talk to it over real sockets."""

    def __init__(self, app, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False, lifespan="on"
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> "ThreadedServer":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@contextmanager
def serve_process(log_path: Path, **env: str):
    """Start `casebook serve` with `env` added to the environment, wait until it answers, yield its URL;
    stop it afterwards (killed if it does not stop within 10 s)."""
    port = free_port()
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **env}
    if "DATABASE_URL" not in env:
        full_env.pop("DATABASE_URL", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "casebook.cli", "serve", "--port", str(port)],
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    with running(process, f"{url}/login", log_path, "server", seconds=90):
        yield url


@contextmanager
def running(process: subprocess.Popen, probe_url: str, log_path: Path, what: str, seconds: float):
    """Wait until ``probe_url`` answers 200 (fail with the log's tail if ``process`` dies or ``seconds`` pass),
    then stop ``process`` when the block ends (killed if it does not stop within 10 s)."""
    try:
        _wait_until_up(process, probe_url, log_path, what, seconds)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def two_serve_processes(tmp_path: Path, database_url: str, redis_url: str, **env: str):
    """Two `casebook serve` processes scaled out as in production: one PostgreSQL database, one Redis, one
    secret key, each with a data dir (and so a search index) of its own. Yields their two URLs."""
    shared = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CASEBOOK_SECRET_KEY": "gedeeld-geheim",
        **env,
    }
    try:
        with (
            serve_process(tmp_path / "een.log", CASEBOOK_DATA_DIR=str(tmp_path / "een"), **shared) as one,
            serve_process(tmp_path / "twee.log", CASEBOOK_DATA_DIR=str(tmp_path / "twee"), **shared) as two,
        ):
            yield one, two
    finally:
        forget_in_redis(database_url, redis_url, shared["CASEBOOK_SECRET_KEY"])


def forget_in_redis(database_url: str, redis_url: str, secret: str) -> None:
    """Delete what servers of this database kept in Redis (pseudonym maps, roster counters): the database goes
    when the test ends, so would they, but only after their TTL."""
    settings = Settings(database_url=database_url, redis_url=redis_url, secret_key=secret)
    engine = make_engine(settings.sqlalchemy_url)
    maps = SharedMaps(redis_url, database_key(engine), secret)
    engine.dispose()
    client = redis.Redis.from_url(redis_url)
    for pattern in (f"{maps.prefix}:*", f"{channel_for(settings)}:*"):
        for key in client.scan_iter(pattern):
            client.delete(key)
    client.close()


def _wait_until_up(
    process: subprocess.Popen, probe_url: str, log_path: Path, what: str, seconds: float
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(probe_url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail(
        f"{what} did not start (exit code {process.poll()}): " + log_path.read_text(errors="replace")[-2000:]
    )
