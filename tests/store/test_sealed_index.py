"""The encrypted index as a listing uses it: read without the index lock, decrypted once per
command while the file is unchanged, and opened again when another process replaced it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import SessionFactory
from vault_helpers import Identity, install, make_identity, private_file

from coach.store import crypto, index, index_refresh, sealed_index
from coach.store.files import save_session
from coach.store.sealed_index import sealed_path

IDS = ["20240501-201500-aaa001", "20240502-201500-aaa002", "20240503-201500-aaa003"]


@pytest.fixture(scope="module")
def identity() -> Identity:
    return make_identity()


@pytest.fixture
def warm(identity: Identity, coach_home: Path, make_session: SessionFactory) -> Path:
    """An encrypted store of three sessions whose index is current and settled, as it is
    between two sessions. The refresh wrote the index, so no plaintext of it is kept."""
    install(identity)
    for session_id in IDS:
        save_session(make_session(session_id=session_id))
    old = time.time_ns() - 10 * 10**9
    os.utime(coach_home / "sessions", ns=(old, old))
    index_refresh.refresh_index()  # writes the index, remembering the settled directory
    return coach_home


def listed() -> list[str]:
    return [row.id for row in index.history()]


def count_decrypts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    decrypted: list[str] = []
    real = crypto.decrypt_stream

    def counting(*args: object, **kwargs: object) -> None:
        decrypted.append(str(args[3]))
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(crypto, "decrypt_stream", counting)
    return decrypted


def test_a_current_index_is_read_without_the_index_lock(
    warm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_lock() -> None:
        raise AssertionError("a listing of a current index waited for the index lock")

    monkeypatch.setattr(index_refresh, "index_lock", no_lock)
    assert listed() == IDS[::-1]
    index_refresh.refresh_index()
    assert listed() == IDS[::-1]


def test_a_stale_index_is_refreshed_under_the_lock_and_written_back(
    warm: Path, make_session: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sealed_path().stat()
    save_session(make_session(session_id="20240504-201500-aaa004"))
    real = index_refresh.index_lock
    locked: list[bool] = []

    def spy() -> object:
        locked.append(True)
        return real()

    monkeypatch.setattr(index_refresh, "index_lock", spy)
    assert listed()[0] == "20240504-201500-aaa004"
    assert locked
    after = sealed_path().stat()
    assert (after.st_ino, after.st_mtime_ns) != (before.st_ino, before.st_mtime_ns)
    assert crypto.is_age(sealed_path().read_bytes())


def test_a_command_decrypts_the_index_once_while_the_file_is_unchanged(
    warm: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decrypted = count_decrypts(monkeypatch)
    index_refresh.refresh_index()  # a listing refreshes first...
    assert listed() == IDS[::-1]  # ...then reads: the second open reuses the plaintext
    assert listed() == IDS[::-1]
    assert decrypted == [str(sealed_path())]


def test_an_index_replaced_by_another_process_is_decrypted_again(
    warm: Path, identity: Identity, monkeypatch: pytest.MonkeyPatch
) -> None:
    decrypted = count_decrypts(monkeypatch)
    assert listed() == IDS[::-1]
    # Another process drops a session from the index and writes it back whole, as coach does:
    # a new file renamed over the old one.
    other = sealed_index.empty()
    other.deserialize(crypto.decrypt(sealed_path().read_bytes(), identity.keys, "index"))
    other.execute("DELETE FROM sessions WHERE id = ?", (IDS[0],))
    replacement = sealed_path().with_name("replacement.age")
    replacement.write_bytes(crypto.encrypt(other.serialize(), identity.keys))
    other.close()
    os.replace(replacement, sealed_path())
    assert listed() == IDS[:0:-1]
    assert len(decrypted) == 2


def test_a_deletion_in_this_process_is_not_hidden_by_the_kept_plaintext(
    warm: Path,
) -> None:
    from coach.store.lookup import delete_session

    assert listed() == IDS[::-1]
    delete_session(IDS[1])
    assert listed() == [IDS[2], IDS[0]]


def test_a_damaged_index_is_not_kept_and_is_built_again(warm: Path) -> None:
    assert listed() == IDS[::-1]
    sealed_path().write_bytes(crypto.AGE_HEADER + b"-> X25519 garbage\n--- nonsense\n")
    assert listed() == IDS[::-1]
    assert crypto.is_age(sealed_path().read_bytes())


def test_listing_a_current_index_never_loads_the_session_file_code(
    warm: Path, identity: Identity, tmp_path: Path
) -> None:
    """The warm path of `coach history` stays as light as on a plain store: reading session
    files (and the content they need) is for refreshes only."""
    recovery = private_file(tmp_path / "recovery.txt", f"{identity.secret}\n")
    probe = (
        "import json, sys\n"
        "from coach.store import index\n"
        "print(json.dumps([[row.id for row in index.history()], sorted(sys.modules)]))"
    )
    env = {**os.environ, "COACH_HOME": str(warm), "COACH_IDENTITY_FILE": str(recovery)}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    ids, modules = json.loads(result.stdout)
    assert ids == IDS[::-1]
    heavy = ["coach.store.files", "coach.domain.session", "coach.content", "tomli_w"]
    assert [name for name in heavy if name in modules] == []
