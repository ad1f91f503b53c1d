"""Audit export speed: seconds to stream N audit events as CSV through the admin's export route.

Usage: python bench/audit.py [--events 100000] [--database-url postgresql://…] [--out bench/results/audit.json]

Builds a fresh data dir (SQLite by default) with N events spread over 50 users and a year, then downloads
/beheer/audit.csv as an administrator (the real route: query in id ranges, CSV writing, streaming) and times
it from request to last byte, twice (the spread shows how much the machine's load weighs); also the filtered
exports of one user and one action. Target (issue 10): 100k events < 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fastapi.testclient import TestClient  # noqa: E402
from sqlmodel import Session  # noqa: E402

from casebook.accounts.models import Role, User  # noqa: E402
from casebook.app import create_app  # noqa: E402
from casebook.audit.models import AuditEvent  # noqa: E402
from casebook.db import make_engine, migrate  # noqa: E402
from casebook.settings import Settings  # noqa: E402
from casebook.timeutil import utcnow  # noqa: E402
from utils.factories import make_user, token_for  # noqa: E402

ACTIONS = [
    "case.view",
    "case.update",
    "search",
    "case.similar",
    "session.view",
    "case.create",
    "cases.export",
]


def fill(engine, events: int) -> dict[str, str]:
    """N events by 50 users over the past year; returns the administrator's bearer header."""
    rng = random.Random(10)
    with Session(engine) as db_session:
        users = [
            User(username=f"gebruiker-{i}", display_name=f"gebruiker {i}", role=Role.coach, password_hash="!")
            for i in range(50)
        ]  # actors only: nobody logs in as them, so no password is hashed
        db_session.add_all(users)
        db_session.commit()
        admin = token_for(db_session, make_user(db_session, "beheerder", Role.admin, teams=()))
        now = utcnow()
        for start in range(0, events, 10_000):
            db_session.connection().execute(
                AuditEvent.__table__.insert(),
                [
                    {
                        "at": now - timedelta(minutes=rng.randrange(525_600)),
                        "actor_id": rng.choice(users).id,
                        "action": rng.choice(ACTIONS),
                        "object_type": "case",
                        "object_id": rng.randrange(1, 10_000),
                        "detail": f"results={rng.randrange(20)}",
                    }
                    for _ in range(min(10_000, events - start))
                ],
            )
            db_session.commit()
        return admin


def timed_download(client: TestClient, params: dict) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds of this process (client and server both run here, so on a shared machine
    the CPU time is what the export costs, the wall time what its user waited), rows and bytes."""
    began, cpu_began = time.perf_counter(), time.process_time()
    lines = size = 0
    with client.stream("GET", "/beheer/audit.csv", params=params) as response:
        assert response.status_code == 200, response.status_code
        for chunk in response.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    return time.perf_counter() - began, time.process_time() - cpu_began, lines - 1, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--out", type=Path, default=Path("bench/results/audit.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), secret_key="bench", database_url=args.database_url)
        engine = make_engine(settings.sqlalchemy_url)
        migrate(engine)
        began = time.perf_counter()
        admin = fill(engine, args.events)
        filled = time.perf_counter() - began
        with TestClient(create_app(settings), headers=admin) as client:
            results = []
            for name, params in (
                ("all events", {}),
                ("all, again", {}),
                ("one user", {"username": "gebruiker-7"}),
                ("one action", {"action": "case.view"}),
            ):
                seconds, cpu, rows, size = timed_download(client, params)
                results.append(
                    {
                        "export": name,
                        "rows": rows,
                        "bytes": size,
                        "seconds": round(seconds, 3),
                        "cpu_seconds": round(cpu, 3),
                        "rows_per_second": round(rows / seconds),
                    }
                )
        engine.dispose()
    backend = "postgresql" if args.database_url else "sqlite"
    print(f"audit export, {args.events:,} events on {backend} (filled in {filled:.1f} s); target: all < 5 s")
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'export':<12} {'rows':>9} {'MB':>7} {'seconds':>8} {'cpu s':>7} {'rows/s':>10}")
    for r in results:
        print(
            f"{r['export']:<12} {r['rows']:>9,} {r['bytes'] / 1e6:>7.1f} {r['seconds']:>8.2f} {r['cpu_seconds']:>7.2f} "
            f"{r['rows_per_second']:>10,}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "events": args.events,
                "backend": backend,
                "results": results,
                "load_average": os.getloadavg()[0],
                "target_seconds": 5,
                "met": results[0]["seconds"] < 5,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
