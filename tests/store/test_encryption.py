"""Encryption at rest: every file an encrypted store writes is an age file, and nothing is lost
when encrypt, decrypt or a passphrase change is killed at any point."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from age_scrypt import passphrase_encrypt, work_factor
from store_helpers import SessionFactory
from vault_helpers import PASSPHRASE, Identity, every_file, install, make_identity

from coach.base.errors import StorageError, UsageError
from coach.domain.session import Session
from coach.store import convert, crypto, disk, index, index_refresh, vault
from coach.store.files import load_session, save_session
from coach.store.format import session_to_text
from coach.store.lookup import delete_session
from coach.store.sealed_index import sealed_path

NAMES = [("Wilhelmina", "Bartholomew"), ("Ottoline", "Peregrine"), ("Zebedee", "Hortensia")]


@pytest.fixture(scope="module")
def identity() -> Identity:
    return make_identity()


@pytest.fixture
def encrypted(identity: Identity, coach_home: Path) -> Path:
    return install(identity)


def distinctive(make_session: SessionFactory, number: int) -> Session:
    """A session whose names and free text appear nowhere else."""
    a, b = NAMES[number % len(NAMES)]
    session = make_session(
        session_id=f"20240501-2015{number:02d}-abc{number:03d}",
        text=f"Secret river walk number {number} with the lantern",
        couple=f"{a} & {b}",
    )
    return dataclasses.replace(session, partners={"a": a, "b": b})


def secrets_of(session: Session) -> list[bytes]:
    texts = [answer.value for answer in session.answers if isinstance(answer.value, str)]
    texts += [*session.partners.values(), session.couple, *session.notes.values()]
    texts += session.homework
    return [text.encode("utf-8") for text in texts if text]


def plain_hits(root: Path, needles: list[bytes]) -> list[str]:
    return [
        f"{path.relative_to(root)}: {needle.decode()}"
        for path in every_file(root)
        for needle in needles
        if needle in path.read_bytes()
    ]


# --- the round trip --------------------------------------------------------------------------


def test_a_session_saved_encrypted_loads_back_the_same(
    encrypted: Path, make_session: SessionFactory
) -> None:
    session = distinctive(make_session, 1)
    path = save_session(session)
    assert crypto.is_age(path.read_bytes())
    assert load_session(path) == session
    assert [row.id for row in index.history()] == [session.id]
    assert sealed_path().is_file() and not (encrypted / "index.sqlite3").exists()
    assert plain_hits(encrypted, secrets_of(session)) == []


def test_the_encrypted_index_is_kept_between_commands(
    encrypted: Path, make_session: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = save_session(distinctive(make_session, 2))
    assert [row.id for row in index.history()] == [session.stem]
    # A second command (same keys) reads the saved index without re-reading any file.
    monkeypatch.setattr(index_refresh, "_refresh", lambda idx, progress, full=False: None)
    assert [row.couple for row in index.history()] == ["Zebedee & Hortensia"]


def test_a_damaged_encrypted_index_is_built_again(
    encrypted: Path, make_session: SessionFactory
) -> None:
    session = save_session(distinctive(make_session, 8))
    list(index.history())
    sealed_path().write_bytes(crypto.AGE_HEADER + b"-> X25519 garbage\n--- nonsense\n")
    assert [row.id for row in index.history()] == [session.stem]
    assert crypto.is_age(sealed_path().read_bytes())


def test_every_byte_written_is_encrypted_temp_files_included(
    encrypted: Path, make_session: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[bytes] = []
    real_write_all = disk._write_all

    def spy(fd: int, data: bytes) -> None:
        written.append(bytes(data))
        real_write_all(fd, data)

    monkeypatch.setattr(disk, "_write_all", spy)
    session = distinctive(make_session, 3)
    save_session(session)  # a new file
    save_session(dataclasses.replace(session, homework=["Second save"]))  # a replace
    list(index.history())  # the index, written back
    delete_session(session.id)
    assert len(written) >= 3
    assert all(crypto.is_age(data) for data in written)


def test_wrong_passphrase_is_one_storage_error_and_writes_nothing(
    identity: Identity, coach_home: Path, make_session: SessionFactory
) -> None:
    install(identity)
    save_session(distinctive(make_session, 4))
    vault.forget_keys()
    before = {path: path.read_bytes() for path in every_file(coach_home)}
    with pytest.raises(crypto.WrongPassphraseError) as raised:
        vault.unlock("not the passphrase")
    assert raised.value.exit_code == 3
    assert "\n" not in raised.value.message and "wrong passphrase" in raised.value.message
    assert {path: path.read_bytes() for path in every_file(coach_home)} == before


def test_the_passphrase_file_must_be_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "pass"
    secret.write_text("open sesame\n", encoding="utf-8")
    monkeypatch.setenv(vault.PASSPHRASE_FILE_ENV, str(secret))
    secret.chmod(0o644)
    with pytest.raises(UsageError, match="chmod 600"):
        vault.read_passphrase()
    secret.chmod(0o600)
    assert vault.read_passphrase() == "open sesame"


def test_without_a_terminal_or_file_the_passphrase_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(vault.PASSPHRASE_FILE_ENV, raising=False)
    monkeypatch.setattr(vault, "keyring_passphrase", lambda: None)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(UsageError, match="COACH_PASSPHRASE_FILE"):
        vault.read_passphrase()


def test_the_keyring_is_used_when_it_holds_the_passphrase(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import types

    kept: dict[tuple[str, str], str] = {}
    fake = types.SimpleNamespace(
        get_password=lambda service, user: kept.get((service, user)),
        set_password=lambda service, user, value: kept.__setitem__((service, user), value),
    )
    monkeypatch.setitem(sys.modules, "keyring", fake)
    monkeypatch.delenv(vault.PASSPHRASE_FILE_ENV, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(UsageError):
        vault.read_passphrase()  # nothing kept yet, no terminal
    vault.keep_in_keyring("kept in the keyring")
    assert kept == {("coach", str(coach_home)): "kept in the keyring"}
    assert vault.read_passphrase() == "kept in the keyring"


def test_an_identity_file_of_another_store_is_refused(
    encrypted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vault_helpers import private_file

    from coach.store import convert

    stranger = crypto.keys_from_secret(crypto.new_secret(), "another store")
    path = private_file(tmp_path / "other.txt", convert.recovery_identity(stranger))
    monkeypatch.setenv("COACH_IDENTITY_FILE", str(path))
    vault.forget_keys()
    with pytest.raises(StorageError, match="is not the identity of"):
        vault.keys()


def test_the_real_passphrase_unlocks_the_identity(identity: Identity, coach_home: Path) -> None:
    install(identity)
    assert str(vault.unlock(PASSPHRASE).identity) == identity.secret


def test_a_plain_store_stays_plain(coach_home: Path, make_session: SessionFactory) -> None:
    session = distinctive(make_session, 5)
    path = save_session(session)
    assert path.read_text(encoding="utf-8") == session_to_text(session)


# --- conversion -----------------------------------------------------------------------------


def test_encrypt_then_decrypt_keeps_every_session_and_leaves_no_plain_text(
    identity: Identity, coach_home: Path, make_session: SessionFactory
) -> None:
    sessions = [distinctive(make_session, n) for n in range(6)]
    texts = {save_session(s).name: session_to_text(s).encode() for s in sessions}
    assert len(list(index.history())) == 6  # a plain index full of names
    stale = disk.ensure_data_dir() / "sessions" / ".0123456789abcdef.tmp"
    stale.write_bytes(texts[min(texts)])  # what a save killed long ago left behind
    os.utime(stale, (1, 1))
    install(identity)
    keys = identity.keys
    result = convert.encrypt_store(keys)
    assert (result.changed, result.already) == (6, 0)
    needles = [needle for s in sessions for needle in secrets_of(s)]
    assert plain_hits(coach_home, needles) == []
    assert sorted(row.id for row in index.history()) == sorted(s.id for s in sessions)
    assert convert.encrypt_store(keys).changed == 0  # running it again has nothing to do
    convert.decrypt_store(keys)
    assert not vault.is_encrypted() and not sealed_path().exists()
    sessions_dir = coach_home / "sessions"
    assert {name: (sessions_dir / name).read_bytes() for name in texts} == texts


# --- kill -9 at every step ------------------------------------------------------------------

SNAPSHOT_FILES = 4
Operation = Callable[[], object]


def kill_at(event: int) -> None:
    """In a forked child: SIGKILL this process at its `event`-th file-system step (a write is
    cut in half first, so temporary files are left torn)."""
    count = iter(range(10**9))
    real_write_all = disk._write_all
    real = {name: getattr(os, name) for name in ("replace", "unlink", "link", "fsync")}

    def step() -> bool:
        return next(count) == event

    def write_all(fd: int, data: bytes) -> None:
        if step():
            os.write(fd, data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
        real_write_all(fd, data)

    def wrap(name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if step():
                os.kill(os.getpid(), signal.SIGKILL)
            return real[name](*args, **kwargs)

        return call

    disk._write_all = write_all  # type: ignore[assignment]
    for name in real:
        setattr(os, name, wrap(name))


def run_killed(operation: Operation, event: int) -> bool:
    """Run the operation in a child killed at `event`; True if it was killed, False if it ended
    first (every step has been tried)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            kill_at(event)
            operation()
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return True
    assert os.waitstatus_to_exitcode(status) == 0, "the operation failed in the child"
    return False


def restore(snapshot: Path, home: Path) -> None:
    shutil.rmtree(home)
    shutil.copytree(snapshot, home)


def check_whole(home: Path, texts: dict[str, bytes], keys: crypto.Keys, temps_plain: bool) -> None:
    """Every session file is its plain text or an age file of exactly that text."""
    sessions = home / "sessions"
    for name, text in texts.items():
        data = (sessions / name).read_bytes()
        if crypto.is_age(data):
            assert crypto.decrypt(data, keys, name) == text, f"{name} is torn"
        else:
            assert data == text, f"{name} is torn"
    if not temps_plain:  # while encrypting, even a torn temporary file is never plain text
        for temp in [*home.glob(".*.tmp"), *sessions.glob(".*.tmp")]:
            data = temp.read_bytes()
            assert crypto.AGE_HEADER.startswith(data) or crypto.is_age(data), temp


def sweep(
    operation: Operation,
    snapshot: Path,
    home: Path,
    check: Callable[[], None],
    finished: Callable[[], None],
) -> int:
    """Kill the operation at its 1st, 2nd, ... step, each time from the same starting state,
    checking the files after the kill and after running it again; return the kills."""
    for event in range(10_000):
        restore(snapshot, home)
        if not run_killed(operation, event):
            finished()
            return event  # the kills at steps 0 .. event-1
        check()
        assert not run_killed(operation, 10**8), "running it again did not finish"
        finished()
    raise AssertionError("the operation never finished")


@pytest.fixture
def stores(
    identity: Identity, coach_home: Path, make_session: SessionFactory, tmp_path: Path
) -> Iterator[tuple[Path, Path, dict[str, bytes]]]:
    """A plain and an encrypted copy of the same small store (identity.age in both)."""
    sessions = [distinctive(make_session, n) for n in range(SNAPSHOT_FILES)]
    texts = {save_session(s).name: session_to_text(s).encode() for s in sessions}
    list(index.history())
    install(identity)
    plain = tmp_path / "plain"
    shutil.copytree(coach_home, plain)
    convert.encrypt_store(identity.keys)
    sealed = tmp_path / "sealed"
    shutil.copytree(coach_home, sealed)
    yield plain, sealed, texts


@pytest.mark.slow
def test_kill_9_during_encrypt_decrypt_and_passphrase_change_loses_nothing(
    identity: Identity,
    coach_home: Path,
    stores: tuple[Path, Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain, sealed, texts = stores
    keys = identity.keys
    ids = sorted(Path(name).stem for name in texts)

    def all_of(form: Callable[[bytes], bool]) -> None:
        sessions = coach_home / "sessions"
        assert all(form((sessions / name).read_bytes()) for name in texts)
        check_whole(coach_home, texts, keys, temps_plain=True)
        assert sorted(row.id for row in index.history()) == ids

    def encrypted_now() -> None:
        all_of(crypto.is_age)
        assert not (coach_home / "index.sqlite3").exists()

    def decrypted_now() -> None:
        all_of(lambda data: not crypto.is_age(data))
        assert not vault.is_encrypted()
        vault.remember(keys)  # decrypt forgot the keys; the next round needs them

    # Each sweep kills at every write, rename, link, unlink and fsync in turn, so one sweep of
    # each operation covers every point (the kill points are counted, not timed).
    encrypt_kills = sweep(
        lambda: convert.encrypt_store(keys),
        plain,
        coach_home,
        lambda: check_whole(coach_home, texts, keys, temps_plain=False),
        encrypted_now,
    )
    decrypt_kills = sweep(
        lambda: convert.decrypt_store(keys),
        sealed,
        coach_home,
        lambda: check_whole(coach_home, texts, keys, temps_plain=True),
        decrypted_now,
    )
    # A passphrase change replaces identity.age whole: it is the old file or the new one.
    new_locked = passphrase_encrypt(f"{identity.secret}\n".encode(), "a brand new passphrase")
    monkeypatch.setattr(crypto, "lock_secret", lambda secret, passphrase: new_locked)

    def old_or_new() -> None:
        assert (coach_home / "identity.age").read_bytes() in (identity.locked, new_locked)
        check_whole(coach_home, texts, keys, temps_plain=False)

    def changed() -> None:
        assert (coach_home / "identity.age").read_bytes() == new_locked

    passphrase_kills = sweep(
        lambda: convert.change_passphrase(keys, "a brand new passphrase"),
        sealed,
        coach_home,
        old_or_new,
        changed,
    )
    # Every session file is written (and renamed) at least once by encrypt and by decrypt.
    assert min(encrypt_kills, decrypt_kills) >= 2 * SNAPSHOT_FILES, (encrypt_kills, decrypt_kills)
    assert passphrase_kills >= 2, passphrase_kills  # the new identity.age: written, renamed


@pytest.mark.slow
def test_the_changed_passphrase_opens_and_the_old_one_does_not(
    identity: Identity, coach_home: Path
) -> None:
    install(identity)
    convert.change_passphrase(identity.keys, "a brand new passphrase")
    assert str(vault.unlock("a brand new passphrase").identity) == identity.secret
    with pytest.raises(crypto.WrongPassphraseError):
        vault.unlock(PASSPHRASE)
    # coach locks with scrypt calibrated to about a second (2^18 to 2^20 here), never with the
    # low factor the tests' own identities use (age_scrypt.py).
    assert work_factor(vault.identity_path().read_bytes()) >= 15


def _in_child(work: Callable[[], None]) -> int:
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            work()
            code = 0
        finally:
            os._exit(code)
    return pid


def _exit_code(pid: int) -> int:
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_a_session_saved_while_decrypt_runs_lands_plain_after_it(
    encrypted: Path, make_session: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decrypt holds the store's lock, so a save from another process waits for it to finish
    and then writes plain text, never an age file for the identity decrypt removes last."""
    session = distinctive(make_session, 7)
    path = save_session(session)
    updated = dataclasses.replace(session, homework=["Walk after dinner"])
    converted, release, saving = os.pipe(), os.pipe(), os.pipe()
    convert_all = convert._convert_all

    def pausing(*args: Any) -> convert.Converted:
        done = convert_all(*args)  # every file is plain now; the identity is still there
        os.write(converted[1], b"x")
        os.read(release[0], 1)
        return done

    def decrypt() -> None:
        monkeypatch.setattr(convert, "_convert_all", pausing)
        convert.decrypt_store(vault.keys())

    def save() -> None:
        os.write(saving[1], b"x")
        save_session(updated)

    decrypting = _in_child(decrypt)
    os.read(converted[0], 1)
    saver = _in_child(save)
    os.read(saving[0], 1)
    # Give the save time to land if nothing held it back (without the lock it would be sealed
    # now, to the identity about to go); a slow machine only makes this check weaker.
    time.sleep(0.3)
    os.write(release[1], b"x")
    assert _exit_code(decrypting) == 0 and _exit_code(saver) == 0
    data = path.read_bytes()
    assert not crypto.is_age(data) and not vault.is_encrypted()
    assert data == session_to_text(updated).encode()


def test_a_file_from_another_store_is_one_clear_error(
    encrypted: Path, make_session: SessionFactory
) -> None:
    path = save_session(distinctive(make_session, 6))
    stranger = crypto.keys_from_secret(crypto.new_secret(), "another store")
    path.write_bytes(crypto.encrypt(b"whatever", stranger))
    with pytest.raises(StorageError, match="cannot decrypt"):
        load_session(path)


# --- the reference age tool -----------------------------------------------------------------


def test_the_reference_age_tool_opens_what_coach_wrote(
    identity: Identity, encrypted: Path, make_session: SessionFactory, tmp_path: Path
) -> None:
    age = shutil.which("age")
    if age is None:
        pytest.skip("the reference age tool is not installed (Debian package age; .ci/run)")
    session = distinctive(make_session, 7)
    path = save_session(session)
    recovery = tmp_path / "recovery.txt"
    recovery.write_text(convert.recovery_identity(identity.keys), encoding="utf-8")
    opened = subprocess.run(
        [age, "--decrypt", "--identity", str(recovery), str(path)],
        capture_output=True,
        check=True,
    )
    assert opened.stdout == session_to_text(session).encode()
    # The passphrase-locked identity opens with age too (scrypt), given the passphrase at a
    # terminal; here it is enough that age reads the file as an scrypt-encrypted age file.
    assert (encrypted / "identity.age").read_bytes().split(b"\n")[1].startswith(b"-> scrypt ")
