"""Scaled out, a user's budget of questions to the assistant is one budget over every process (Redis), not
one per process: spreading questions over processes buys nothing. Without Redis reachable, a process counts
on its own. On the Redis that runs beside the tests."""

import uuid

import pytest
import redis

from casebook.settings import Settings
from chat.assistant import service as assistant_service
from chat.assistant.budget import SharedQuestionBudget
from chat.limits import UserLimits
from utils.services import require_redis

RATE = 20 / 60  # the default: 20 questions a minute
BURST = 5


@pytest.fixture
def prefix():
    """A prefix of this test's own, its keys deleted afterwards."""
    url = require_redis()
    name = f"casebook-test-{uuid.uuid4().hex[:10]}"
    yield name
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{name}:*"):
        client.delete(key)
    client.close()


def test_a_burst_spread_over_two_processes_is_one_burst_and_another_user_keeps_theirs(prefix):
    one, two = (SharedQuestionBudget(require_redis(), prefix, rate=RATE, burst=BURST) for _ in range(2))
    taken = [(one if i % 2 else two).take(7) for i in range(BURST)]
    assert taken == [None] * BURST
    wait = one.take(7)
    assert wait is not None and 0 < wait <= 1 / RATE
    assert two.take(7) is not None
    assert one.take(8) is None and two.take(8) is None


def test_the_wait_it_gives_is_the_time_until_the_next_question_is_allowed(prefix):
    fast = SharedQuestionBudget(require_redis(), prefix, rate=20.0, burst=1)  # one question per 50 ms
    assert fast.take(1) is None
    wait = fast.take(1)
    assert wait is not None and 0 < wait <= 0.05


def test_without_redis_a_process_counts_on_its_own_rather_than_refusing_or_allowing_everything(prefix):
    unreachable = SharedQuestionBudget("redis://127.0.0.1:1/0", prefix, rate=RATE, burst=BURST)
    assert [unreachable.take(3) for _ in range(BURST)] == [None] * BURST
    assert unreachable.take(3) is not None


def test_the_app_shares_the_budget_in_redis_when_scaled_out_and_keeps_it_in_memory_otherwise(tmp_path):
    alone = Settings(data_dir=tmp_path, secret_key="x")
    scaled_out = alone.model_copy(update={"redis_url": require_redis()})
    assert isinstance(assistant_service.question_limits(alone), UserLimits)
    assert isinstance(assistant_service.question_limits(scaled_out), SharedQuestionBudget)
