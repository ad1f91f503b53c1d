"""Two cycles of bench/crash.py's crash proof (the bench runs 20): a real `casebook serve` gets SIGKILL at a
random moment while room clients send acknowledged messages, a writer creates and deletes cases through the
API and `casebook import` imports more; after a restart every acknowledged message is stored once at the seq
its acknowledgement named (seqs gap-free, a fresh join replays exactly them), every acknowledged case exists
once, every acknowledged deletion stays deleted, and the persisted search index holds exactly the cases in
the database (each found by a search on its own word). The second cycle starts from the first one's restart.
On the test's database: SQLite, or PostgreSQL with CASEBOOK_TEST_DATABASE_URL."""

import importlib.util
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "crash.py"


@pytest.fixture(scope="module")
def crash():
    spec = importlib.util.spec_from_file_location("bench_crash", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_acknowledged_message_and_case_survives_sigkill_once_and_the_index_agrees(crash, settings):
    options = crash.Options(
        clients=2, in_flight=3, case_writers=1, import_cases=3, kill_after=(0.8, 2.0), seed=9
    )
    results = crash.run_on(settings.data_dir, settings.database_url, 2, options)
    for result in results:
        assert result.ok, asdict(result)
        assert not result.refusals, result.refusals
    assert all(r.messages_acked > 0 and r.cases_acked > 0 for r in results)  # the kill fell mid-burst
    assert results[-1].messages_checked == sum(r.messages_acked + r.messages_resent for r in results)
