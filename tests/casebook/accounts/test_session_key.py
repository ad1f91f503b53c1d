"""The generated signing key for session cookies: private from the first byte, one key per data dir even
when two processes start at the same moment."""

import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from casebook.settings import Settings

_watched: list[Path] = []
_seen: list[tuple[str, int]] = []
_inside = threading.local()
_hook_installed = False


def _watch_modes(event: str, args) -> None:
    """Audit hook: on every audited operation (open, chmod, link, …) while a test watches a folder, note
    the permission bits of every file in it, so a file that is readable by others for even one step shows up."""
    if not _watched or getattr(_inside, "active", False):
        return
    _inside.active = True  # scanning raises audit events of its own
    try:
        for entry in os.scandir(_watched[0]):
            try:
                _seen.append((entry.name, stat.S_IMODE(entry.stat().st_mode)))
            except FileNotFoundError:
                pass
    finally:
        _inside.active = False


@pytest.fixture
def watched_modes(tmp_path):
    global _hook_installed
    if not _hook_installed:  # audit hooks cannot be removed; it stays idle when nothing is watched
        sys.addaudithook(_watch_modes)
        _hook_installed = True
    _seen.clear()
    old_umask = os.umask(0)  # the most permissive umask: a file must be private by its own creation mode
    _watched.append(tmp_path)
    try:
        yield _seen
    finally:
        _watched.clear()
        os.umask(old_umask)


def test_the_generated_key_file_is_never_readable_by_others(tmp_path, watched_modes):
    key = Settings(data_dir=tmp_path, secret_key=None).session_secret
    _watched.clear()

    assert len(key) >= 40
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert any(name == "secret_key" for name, _ in watched_modes)
    readable_by_others = [(name, oct(mode)) for name, mode in watched_modes if mode & 0o077]
    assert readable_by_others == []
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_two_processes_creating_the_key_at_once_both_use_the_first_key(tmp_path, monkeypatch):
    """The other process finishes its key file while this one is generating its own: this one must not
    overwrite it (the other process would sign cookies nobody else accepts) but adopt it."""
    import secrets

    real_token = secrets.token_urlsafe
    calls = []

    def token_while_another_process_wins(nbytes=None):
        calls.append(nbytes)
        if len(calls) == 1:
            other_process_key = Settings(data_dir=tmp_path, secret_key=None).session_secret
            assert other_process_key == "key-of-the-other-process"
            return "key-of-this-process"
        return "key-of-the-other-process"

    monkeypatch.setattr(secrets, "token_urlsafe", token_while_another_process_wins)
    key = Settings(data_dir=tmp_path, secret_key=None).session_secret
    monkeypatch.setattr(secrets, "token_urlsafe", real_token)

    assert key == "key-of-the-other-process"
    assert (tmp_path / "secret_key").read_text().strip() == "key-of-the-other-process"


def test_the_key_survives_a_restart_and_a_loose_key_file_is_made_private(tmp_path):
    first = Settings(data_dir=tmp_path, secret_key=None).session_secret
    key_file = tmp_path / "secret_key"
    key_file.chmod(0o644)
    assert Settings(data_dir=tmp_path, secret_key=None).session_secret == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
