"""Passwords are stored as Argon2id hashes at the recommended cost. The tests' own session fixture hashes
at the lowest cost (tests/conftest.py), so the product's setting is read in a fresh interpreter here: a
weakened setting would otherwise pass unnoticed."""

import re
import subprocess
import sys

HASH_A_PASSWORD = (
    "from casebook.accounts import service; "
    "print(service._password_hash.hash('een-wachtwoord')); print(service._DUMMY_HASH)"
)
ARGON2ID = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$")


def test_the_product_hashes_passwords_with_argon2id_at_least_at_owasps_cost():
    printed = subprocess.run(
        [sys.executable, "-c", HASH_A_PASSWORD], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert len(printed) == 2  # a password's hash and the hash unknown users are checked against
    for stored in printed:
        memory_kib, passes, _ = map(int, ARGON2ID.match(stored).groups())
        assert memory_kib >= 19_456 and passes >= 2  # OWASP's least for Argon2id; the product uses 64 MiB, 3
