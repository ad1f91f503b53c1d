"""Login throttling: a password guesser is answered 429 with Retry-After long before it gets far, without
the server computing a hash for the refused attempts, and nobody else is locked out by it."""

import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from casebook import policy
from casebook.accounts import service as account_service
from casebook.accounts.throttle import HashingBusy, LoginThrottle, TooManyAttempts
from utils.factories import PASSWORD, csrf_of, make_user

OTHER_ADDRESS = ("203.0.113.7", 50000)


class Clock:
    """A hand-wound clock: the throttle reads it instead of time.monotonic, so no test sleeps."""

    def __init__(self):
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class HashCounter:
    """Counts (and times) the Argon2 verifications the server really performs."""

    def __init__(self, real, delay: float = 0.0):
        self.real, self.delay = real, delay
        self.calls = self.running = self.most_at_once = 0
        self.lock = threading.Lock()

    def __call__(self, password, hash_):
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(self.delay)
            return self.real(password, hash_)
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttle(app, settings, clock) -> LoginThrottle:
    app.state.login_throttle = LoginThrottle.from_settings(settings, clock=clock)
    return app.state.login_throttle


@pytest.fixture
def hashes(monkeypatch) -> HashCounter:
    counter = HashCounter(account_service._password_hash.verify)
    monkeypatch.setattr(account_service._password_hash, "verify", counter)
    return counter


def attempt(client: TestClient, username: str, password: str):
    csrf = csrf_of(client)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf},
        follow_redirects=False,
    )


def fail_until_locked(client: TestClient, username: str, times: int) -> None:
    for _ in range(times):
        assert attempt(client, username, "wrong password").status_code == 401


def test_thirty_wrong_passwords_in_a_row_get_a_429_with_retry_after_well_before_the_thirtieth(
    client, db_session, settings, throttle, hashes
):
    make_user(db_session, "coach")
    statuses, first_refusal = [], None
    for _ in range(30):
        response = attempt(client, "coach", "wrong password")
        statuses.append(response.status_code)
        if response.status_code == 429 and first_refusal is None:
            first_refusal = response

    assert first_refusal is not None, statuses
    assert statuses.index(429) < 29
    assert statuses == [401] * settings.login_max_failures_per_account + [429] * (
        30 - settings.login_max_failures_per_account
    )
    retry_after = int(first_refusal.headers["Retry-After"])
    assert 1 <= retry_after <= settings.login_window_seconds
    assert f"Te veel inlogpogingen. Probeer het over {retry_after} seconden opnieuw." in first_refusal.text
    assert hashes.calls == settings.login_max_failures_per_account  # refused attempts cost no hash


def test_the_username_is_throttled_whatever_its_case(client, db_session, settings, throttle):
    make_user(db_session, "coach")
    for spelling in ["coach", "COACH", " Coach", "cOaCh", "coach "][
        : settings.login_max_failures_per_account
    ]:
        assert attempt(client, spelling, "wrong password").status_code == 401
    assert attempt(client, "Coach", "wrong password").status_code == 429


def test_the_right_password_is_still_refused_until_the_window_has_passed(
    client, db_session, settings, throttle, clock
):
    make_user(db_session, "coach")
    fail_until_locked(client, "coach", settings.login_max_failures_per_account)

    refused = attempt(client, "coach", PASSWORD)
    assert refused.status_code == 429
    assert client.get("/cases", follow_redirects=False).status_code == 303  # still not logged in

    clock.advance(settings.login_window_seconds - 5)
    almost = attempt(client, "coach", PASSWORD)
    assert almost.status_code == 429
    assert int(almost.headers["Retry-After"]) == 5

    clock.advance(5)
    assert attempt(client, "coach", PASSWORD).status_code == 303
    assert client.get("/cases").status_code == 200


def test_another_account_from_another_address_is_not_affected(app, client, db_session, settings, throttle):
    make_user(db_session, "coach")
    make_user(db_session, "colleague")
    fail_until_locked(client, "coach", settings.login_max_failures_per_account)
    assert attempt(client, "coach", PASSWORD).status_code == 429

    elsewhere = TestClient(app, client=OTHER_ADDRESS)
    assert attempt(elsewhere, "colleague", PASSWORD).status_code == 303
    # The lock is on the account, so the guessed account stays locked from every address.
    assert attempt(TestClient(app, client=OTHER_ADDRESS), "coach", PASSWORD).status_code == 429


def test_one_address_guessing_many_accounts_is_throttled_and_other_addresses_are_not(
    app, client, db_session, settings, throttle, hashes
):
    make_user(db_session, "colleague")
    for number in range(settings.login_max_failures_per_address):
        assert attempt(client, f"guess-{number}", "wrong password").status_code == 401
    refused = attempt(client, "colleague", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert hashes.calls == settings.login_max_failures_per_address

    assert attempt(TestClient(app, client=OTHER_ADDRESS), "colleague", PASSWORD).status_code == 303


def test_a_successful_login_resets_the_account_counter(client, db_session, settings, throttle):
    make_user(db_session, "coach")
    almost = settings.login_max_failures_per_account - 1
    fail_until_locked(client, "coach", almost)
    assert attempt(client, "coach", PASSWORD).status_code == 303
    fail_until_locked(client, "coach", almost)
    assert attempt(client, "coach", PASSWORD).status_code == 303


def test_a_login_that_finds_no_free_hash_slot_is_answered_503_with_retry_after(
    app, client, db_session, settings
):
    make_user(db_session, "coach")
    throttle = app.state.login_throttle = LoginThrottle.from_settings(
        settings, max_concurrent_hashes=1, hash_wait_seconds=0.05
    )
    with throttle.attempt(username="someone-else", address="198.51.100.1"):  # holds the only hash slot
        busy = attempt(client, "coach", PASSWORD)
    assert busy.status_code == 503
    assert int(busy.headers["Retry-After"]) >= 1
    assert "Probeer het over" in busy.text
    assert attempt(client, "coach", PASSWORD).status_code == 303  # and a busy answer was no failure


def test_an_api_request_that_must_wait_gets_json_detail_and_retry_after(app, client):
    @policy.rule(policy.Rule.public)  # a route without a rule is refused before it runs
    def refuse():
        raise TooManyAttempts(42)

    app.add_api_route("/api/v1/test-retry-later", refuse)
    app.add_api_route("/test-retry-later", refuse)

    response = client.get("/api/v1/test-retry-later")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "42"
    assert response.json() == {"detail": "Te veel inlogpogingen. Probeer het over 42 seconden opnieuw."}

    page = client.get("/test-retry-later")
    assert page.status_code == 429 and page.headers["Retry-After"] == "42"
    assert "Te veel inlogpogingen" in page.text


# ---- the limiter on its own ------------------------------------------------------------------------


def fail(throttle: LoginThrottle, username: str = "coach", address: str = "192.0.2.1") -> None:
    with throttle.attempt(username=username, address=address) as outcome:
        outcome.failed()


def test_forty_parallel_logins_to_one_account_compute_at_most_the_limit_of_hashes_two_at_a_time(
    engine, db_session, monkeypatch
):
    make_user(db_session, "coach")
    hashes = HashCounter(account_service._password_hash.verify, delay=0.02)
    monkeypatch.setattr(account_service._password_hash, "verify", hashes)
    throttle = LoginThrottle(
        max_failures_per_account=5, max_failures_per_address=20, max_concurrent_hashes=2, hash_wait_seconds=30
    )
    outcomes, start = [], threading.Barrier(40)

    def login(number: int) -> None:
        start.wait()
        with Session(engine) as session:
            try:
                account_service.authenticate(
                    db_session=session,
                    username="coach",
                    password=f"guess {number}",
                    throttle=throttle,
                    address=f"192.0.2.{number}",
                )
                outcomes.append(401)
            except TooManyAttempts as exc:
                outcomes.append(exc.status_code)

    threads = [threading.Thread(target=login, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 40
    assert hashes.calls <= 5 and outcomes.count(429) >= 35
    assert hashes.most_at_once <= 2


def test_no_more_hashes_run_at_once_than_allowed():
    throttle = LoginThrottle(max_concurrent_hashes=2, hash_wait_seconds=0.05)
    holding, release = threading.Barrier(3), threading.Event()

    def hold(name: str) -> None:
        with throttle.attempt(username=name, address="192.0.2.1"):
            holding.wait()
            release.wait(5)

    holders = [threading.Thread(target=hold, args=(name,)) for name in ("a", "b")]
    for holder in holders:
        holder.start()
    holding.wait()  # both slots taken
    try:
        with pytest.raises(HashingBusy) as refused, throttle.attempt(username="c", address="192.0.2.2"):
            pass
        assert refused.value.status_code == 503 and refused.value.retry_after >= 1
    finally:
        release.set()
        for holder in holders:
            holder.join()
    with throttle.attempt(username="c", address="192.0.2.2") as outcome:  # a slot is free again
        outcome.succeeded()


def test_repeated_lockouts_back_off_exponentially():
    clock = Clock()
    throttle = LoginThrottle(max_failures_per_account=3, window_seconds=60, clock=clock)
    for _ in range(3):
        fail(throttle)
    with pytest.raises(TooManyAttempts) as first:
        fail(throttle)
    assert first.value.retry_after == 60

    clock.advance(60)
    fail(throttle)  # one more try after the lock; it fails, so the next lock is twice as long
    with pytest.raises(TooManyAttempts) as second:
        fail(throttle)
    assert second.value.retry_after == 120

    clock.advance(120 + 60)  # quiet for a whole window after the lock: forgiven, three tries again
    for _ in range(3):
        fail(throttle)
    with pytest.raises(TooManyAttempts) as again:
        fail(throttle)
    assert again.value.retry_after == 60


def test_failures_older_than_the_window_are_forgotten():
    clock = Clock()
    throttle = LoginThrottle(max_failures_per_account=3, window_seconds=60, clock=clock)
    for _ in range(10):
        fail(throttle)  # never three within a minute
        clock.advance(31)


def test_the_tables_stay_bounded_under_a_flood_of_names_and_addresses():
    throttle = LoginThrottle(max_entries=50)
    for number in range(1_000):
        fail(throttle, username=f"made-up-{number}", address=f"10.0.{number // 256}.{number % 256}")
    assert len(throttle.accounts) <= 50 and len(throttle.addresses) <= 50


def test_a_flood_of_made_up_usernames_never_pushes_a_locked_account_out():
    clock = Clock()
    throttle = LoginThrottle(
        max_failures_per_account=3,
        max_failures_per_address=1_000_000,
        window_seconds=60,
        max_entries=50,
        clock=clock,
    )
    for _ in range(3):
        fail(throttle, username="coach")
    for number in range(500):  # admitted attempts with names nobody has, far more than the table holds
        fail(throttle, username=f"made-up-{number}")
    assert len(throttle.accounts) <= 50
    with pytest.raises(TooManyAttempts) as still_locked:
        fail(throttle, username="coach")
    assert still_locked.value.retry_after == 60


def test_a_table_full_of_locks_refuses_new_names_instead_of_forgetting_a_lock():
    clock = Clock()
    throttle = LoginThrottle(
        max_failures_per_account=1,
        max_failures_per_address=1_000_000,
        window_seconds=60,
        max_entries=3,
        clock=clock,
    )
    for name in ("een", "twee", "drie"):
        fail(throttle, username=name)  # one failure locks each of them
    with pytest.raises(TooManyAttempts) as full:
        fail(throttle, username="vier")
    assert full.value.retry_after == 60 and "vier" not in throttle.accounts.records
    for name in ("een", "twee", "drie"):
        with pytest.raises(TooManyAttempts):
            fail(throttle, username=name)
    clock.advance(60)  # the locks have run out: room again
    fail(throttle, username="vier")
    assert len(throttle.accounts) <= 3


def test_ipv6_addresses_of_one_64_share_a_counter_and_other_networks_do_not():
    throttle = LoginThrottle(max_failures_per_address=3, clock=Clock())
    for host in range(3):
        fail(throttle, username=f"naam-{host}", address=f"2001:db8:1:2::{host + 1:x}")
    with pytest.raises(TooManyAttempts):
        fail(throttle, username="nog-een", address="2001:db8:1:2:ffff:ffff:ffff:ffff")
    fail(throttle, username="nog-een", address="2001:db8:1:3::1")  # another /64
    fail(throttle, username="ander", address="::ffff:192.0.2.9")  # IPv4-mapped: counted as the IPv4 address
    assert "192.0.2.9" in throttle.addresses.records
