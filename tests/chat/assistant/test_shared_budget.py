"""Scaled out, a user's budget of questions to the assistant is one budget over every process (Redis), not
one per process: spreading questions over processes buys nothing. It refills at its rate, an idle bucket is
forgotten only once it is full again, and without Redis reachable a process counts on its own (and leaves
Redis alone for a while). On the Redis that runs beside the tests; the bucket's state is set directly where
a test would otherwise have to wait."""

import socket
import uuid

import pytest
import redis

from casebook.settings import Settings
from chat.assistant import budget as budget_module
from chat.assistant import service as assistant_service
from chat.assistant.budget import SharedQuestionBudget
from chat.limits import UserLimits
from utils.services import require_redis

RATE = 20 / 60  # the default: 20 questions a minute, a question every 3 s
BURST = 5


@pytest.fixture
def redis_client():
    connection = redis.Redis.from_url(require_redis(), decode_responses=True)
    yield connection
    connection.close()


@pytest.fixture
def prefix(redis_client):
    """A prefix of this test's own, its keys deleted afterwards."""
    name = f"casebook-test-{uuid.uuid4().hex[:10]}"
    yield name
    for key in redis_client.scan_iter(f"{name}:*"):
        redis_client.delete(key)


def budget(prefix: str, **options) -> SharedQuestionBudget:
    return SharedQuestionBudget(require_redis(), prefix, **{"rate": RATE, "burst": BURST, **options})


def age_bucket(redis_client, prefix: str, user_id: int, seconds: float) -> None:
    """Make the user's bucket as if its last question was `seconds` earlier."""
    key = f"{prefix}:assistant-questions:{user_id}"
    redis_client.hset(key, "stamp", f"{float(redis_client.hget(key, 'stamp')) - seconds:.6f}")


def test_a_burst_spread_over_two_processes_is_one_burst_and_another_user_keeps_theirs(prefix):
    one, two = budget(prefix), budget(prefix)
    assert [(one if i % 2 else two).take(7) for i in range(BURST)] == [None] * BURST
    assert one.take(7) is not None and two.take(7) is not None
    assert one.take(8) is None and two.take(8) is None


def test_the_budget_refills_at_its_rate_and_says_how_long_to_wait(prefix, redis_client):
    shared = budget(prefix)
    for _ in range(BURST):
        shared.take(7)
    assert 2.9 < shared.take(7) <= 3.0  # the next question in 3 s
    age_bucket(redis_client, prefix, 7, 3.1)
    assert shared.take(7) is None  # one question's worth came back, not more
    assert shared.take(7) is not None
    age_bucket(redis_client, prefix, 7, 1000)
    assert [shared.take(7) is None for _ in range(BURST + 1)] == [True] * BURST + [False]  # full, never more


def test_an_idle_bucket_is_forgotten_only_once_it_would_be_full_again(prefix, redis_client):
    shared = budget(prefix)
    shared.take(7)
    ttl = redis_client.ttl(f"{prefix}:assistant-questions:7")
    assert BURST / RATE < shared.keep_seconds and ttl == shared.keep_seconds


def test_without_redis_a_process_counts_on_its_own_and_asks_redis_again_only_after_a_pause(prefix):
    """A Redis that accepts connections and never answers: the first question waits for the timeout, the next
    ones go straight to this process's own count (the burst still holds) until the pause is over."""
    now = [0.0]
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        shared = SharedQuestionBudget(
            f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
            prefix,
            rate=RATE,
            burst=BURST,
            clock=lambda: now[0],
        )
        asked = []
        script = shared._take
        shared._take = lambda **call: asked.append(call) or script(**call)
        assert [shared.take(3) for _ in range(BURST)] == [None] * BURST
        assert shared.take(3) is not None
        assert len(asked) == 1
        now[0] += budget_module.RETRY_AFTER_SECONDS
        shared.take(3)
        assert len(asked) == 2


def test_the_app_shares_the_budget_in_redis_when_scaled_out_and_keeps_it_in_memory_otherwise(tmp_path):
    alone = Settings(data_dir=tmp_path, secret_key="x")
    scaled_out = alone.model_copy(update={"redis_url": require_redis()})
    assert isinstance(assistant_service.question_limits(alone), UserLimits)
    assert isinstance(assistant_service.question_limits(scaled_out), SharedQuestionBudget)
