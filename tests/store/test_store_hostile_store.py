"""A hostile data directory (issue 25): objects planted in the index, plain or encrypted; a
directory others may read or write; a passphrase file without end; another process holding a
lock; a plain session file in an encrypted store; a passphrase in another Unicode form.

Each case says what coach guarantees; docs/reliability.md lists them.
"""

from __future__ import annotations

import io
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from store_helpers import SessionFactory
from vault_helpers import Identity, install, make_identity

from coach.base import paths
from coach.store import crypto, index, index_db, index_refresh, sealed_index, vault
from coach.store.files import save_session

IDS = ["20240501-201500-aaa001", "20240502-201500-aaa002"]

# Each planted object: SQL that puts it in the index. The first two are the red team's: one
# filed every session under another couple's label, the other made every refresh fail.
PLANTED = {
    "relabelling trigger": "CREATE TRIGGER planted AFTER INSERT ON sessions BEGIN "
    "UPDATE sessions SET couple = 'Eve & Mallory' WHERE id = NEW.id; END",
    "failing trigger": "CREATE TRIGGER planted BEFORE INSERT ON sessions BEGIN "
    "SELECT RAISE(ABORT, 'planted'); END",
    "trigger on delete": "CREATE TRIGGER planted BEFORE DELETE ON sessions BEGIN "
    "SELECT RAISE(ABORT, 'planted'); END",
    "view": "CREATE VIEW planted AS SELECT id, 'Eve & Mallory' AS couple FROM sessions",
    "extra table": "CREATE TABLE planted (x TEXT)",
    "extra index": "CREATE INDEX planted ON sessions (couple)",
}


Schema = frozenset[tuple[str, str, str, str | None]]


def _expected() -> Schema:
    """The schema of an index coach built itself, in a database of its own."""
    connection = sqlite3.connect(":memory:")
    try:
        index_db.create_tables(connection)
        return _schema_of(connection)
    finally:
        connection.close()


def _schema_of(connection: sqlite3.Connection) -> Schema:
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    return frozenset(rows)


def _plain_schema() -> Schema:
    connection = sqlite3.connect(paths.index_path())
    try:
        return _schema_of(connection)
    finally:
        connection.close()


def _sealed_image(keys: crypto.Keys) -> sqlite3.Connection:
    image = io.BytesIO()
    with sealed_index.sealed_path().open("rb") as source:
        crypto.decrypt_stream(source, image, keys, "index")
    connection = sealed_index.empty()
    connection.deserialize(image.getvalue())
    return connection


def _plant_plain(sql: str) -> None:
    connection = sqlite3.connect(paths.index_path())
    connection.execute(sql)
    connection.commit()
    connection.close()


def _plant_sealed(keys: crypto.Keys, sql: str) -> None:
    connection = _sealed_image(keys)
    connection.execute(sql)
    data = crypto.encrypt(connection.serialize(), keys)
    connection.close()
    sealed_index.sealed_path().write_bytes(data)
    sealed_index._decrypted.clear()


@pytest.fixture(scope="module")
def identity() -> Identity:
    return make_identity()


@pytest.fixture(params=["plain", "encrypted"])
def store(
    request: pytest.FixtureRequest, identity: Identity, make_session: SessionFactory
) -> Callable[[str], None]:
    """Two sessions and a current index, plain or encrypted; returns how to plant SQL in it."""
    if request.param == "encrypted":
        install(identity)
    for session_id in IDS:
        save_session(make_session(session_id=session_id))
    index_refresh.refresh_index()
    if request.param == "encrypted":
        return lambda sql: _plant_sealed(identity.keys, sql)
    return _plant_plain


def _schema_now(identity: Identity) -> Schema:
    if vault.is_encrypted():
        connection = _sealed_image(identity.keys)
        try:
            return _schema_of(connection)
        finally:
            connection.close()
    return _plain_schema()


@pytest.mark.parametrize("planted", list(PLANTED))
def test_an_index_with_planted_objects_is_built_again_when_opened(
    store: Callable[[str], None], identity: Identity, make_session: SessionFactory, planted: str
) -> None:
    store(PLANTED[planted])
    # A new session makes the listing refresh, which would fire an insert trigger.
    save_session(make_session(session_id="20240503-201500-aaa003"))
    rows = list(index.history())
    assert sorted(row.id for row in rows) == [*IDS, "20240503-201500-aaa003"]
    assert {row.couple for row in rows} == {"Sam & Alex"}
    assert _schema_now(identity) == _expected()


@pytest.mark.parametrize("planted", list(PLANTED))
def test_reindex_builds_a_fresh_index_without_planted_objects(
    store: Callable[[str], None],
    identity: Identity,
    monkeypatch: pytest.MonkeyPatch,
    planted: str,
) -> None:
    store(PLANTED[planted])
    # Even were the planted object not noticed on opening, a rebuild starts from nothing.
    with monkeypatch.context() as patched:
        patched.setattr(index_db, "_schema", lambda connection: _expected(), raising=False)
        assert index_refresh.rebuild_index() == []
    assert _schema_now(identity) == _expected()
    assert sorted(row.id for row in index.history()) == IDS
    assert {row.couple for row in index.history()} == {"Sam & Alex"}


def test_reindex_at_the_command_line_removes_a_planted_trigger(
    make_session: SessionFactory,
) -> None:
    from coach_process import run_coach

    for session_id in IDS:
        save_session(make_session(session_id=session_id))
    index_refresh.refresh_index()
    _plant_plain(PLANTED["failing trigger"])
    result = run_coach("reindex")
    assert result.returncode == 0, result.stderr
    assert _plain_schema() == _expected()
    listed = run_coach("list", "--all")
    assert all(session_id in listed.stdout for session_id in IDS)


# --- passphrases -------------------------------------------------------------------------------


def _locked_store(
    passphrase: str, *, fast_lock: Callable[[bytes, str], bytes] | None = None
) -> None:
    """An encrypted store whose identity is locked with `passphrase`, and no keys remembered."""
    from age_scrypt import passphrase_encrypt

    identity = make_identity()
    install(identity)
    lock = fast_lock or passphrase_encrypt
    vault.identity_path().write_bytes(lock(f"{identity.secret}\n".encode(), passphrase))
    vault.forget_keys()


def _passphrase_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    from vault_helpers import private_file

    path = private_file(tmp_path / "passphrase", text)
    monkeypatch.setenv("COACH_PASSPHRASE_FILE", str(path))
    return path


@pytest.mark.parametrize(
    ("variable", "limit"), [("COACH_PASSPHRASE_FILE", 1024), ("COACH_IDENTITY_FILE", 4096)]
)
def test_a_passphrase_file_too_long_to_be_one_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, limit: int
) -> None:
    from coach_process import invoke
    from vault_helpers import private_file

    _locked_store("correct horse battery")
    path = private_file(tmp_path / "secret", "")
    with path.open("r+b") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB of zeros, no newline
    monkeypatch.setenv(variable, str(path))
    result = invoke("list")
    assert result.code == 2
    assert result.stderr == (
        f"coach: {variable}: {path} holds more than {limit} bytes; it should hold a few short "
        "lines\n"
    )


@pytest.mark.slow
def test_a_passphrase_pipe_without_end_is_one_line_not_memory_error(coach_home: Path) -> None:
    import resource
    import subprocess

    from coach_process import COACH

    _locked_store("correct horse battery")

    def limited() -> None:  # were the read unbounded, it would end here, not fill the machine
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env["COACH_HOME"] = str(coach_home)
    result = subprocess.run(
        ["bash", "-c", 'COACH_PASSPHRASE_FILE=<(cat /dev/zero) exec "$0" list', COACH],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        preexec_fn=limited,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result
    [line] = result.stderr.splitlines()
    assert line.startswith("coach: COACH_PASSPHRASE_FILE: /dev/fd/")
    assert line.endswith("holds more than 1024 bytes; it should hold a few short lines")


NFC = "Jos\u00e9 caf\u00e9 cr\u00e8me"
NFD = "Jose\u0301 cafe\u0301 cre\u0300me"


def test_a_passphrase_in_another_unicode_form_opens_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store locked now with the passphrase typed in NFD opens with it typed in NFC."""
    from age_scrypt import passphrase_encrypt
    from coach_process import invoke
    from pyrage import passphrase as scrypt

    assert NFC != NFD
    monkeypatch.setattr(scrypt, "encrypt", passphrase_encrypt)  # the lock coach makes, quickly
    _locked_store(NFD, fast_lock=lambda data, p: crypto.lock_secret(data.decode().strip(), p))
    for typed in (NFC, NFD):
        _passphrase_file(tmp_path, monkeypatch, f"{typed}\n")
        vault.forget_keys()
        result = invoke("list")
        assert result.code == 0, (typed, result)


def test_a_store_locked_before_normalising_keeps_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An identity locked with the NFD bytes as they were (before coach normalised) still
    opens with the passphrase typed that way: NFC is tried first, then the form typed."""
    from coach_process import invoke

    _locked_store(NFD)  # locked with the raw NFD form, as coach did before
    _passphrase_file(tmp_path, monkeypatch, f"{NFD}\n")
    result = invoke("list")
    assert result.code == 0, result
    vault.forget_keys()
    _passphrase_file(tmp_path, monkeypatch, "wrong horse battery\n")
    wrong = invoke("list")
    assert wrong.code == 3 and "wrong passphrase" in wrong.stderr


# --- a lock another process holds ------------------------------------------------------------


def _hold(path: Path) -> int:
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _answers(tmp_path: Path) -> Path:
    from journal.journal_helpers import filled

    path = tmp_path / "answers.toml"
    path.write_text(filled(), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("lock", ["store", "index"])
def test_a_held_lock_is_named_after_a_second_and_given_up_with_exit_3(
    coach_home: Path, tmp_path: Path, lock: str
) -> None:
    from coach_process import run_coach

    from coach.store.disk import ensure_data_dir

    ensure_data_dir()
    if lock == "store":  # a save waits for the store's lock
        held = coach_home / ".store.lock"
        args = ["run", "--answers", str(_answers(tmp_path))]
        what = f"the store's lock {held}"
    else:  # a listing with no index yet waits for the index's lock to build it
        held = coach_home / ".index.lock"
        args = ["list"]
        what = f"the session index's lock {held}"
    fd = _hold(held)
    try:
        result = run_coach(*args, code=3, env_extra={"COACH_LOCK_TIMEOUT": "1.5"})
    finally:
        os.close(fd)
    # coach run prints its one support line first, on every run: what follows is the lock's.
    assert [x for x in result.stderr.splitlines() if x.startswith("coach:")] == [
        f"coach: warning: waiting for {what}, which another coach process holds (up to 1.5 s)",
        f"coach: gave up waiting for {what} after 1.5 s: another coach process holds it (still "
        "running, or stopped?); nothing was changed; try again once it ends",
    ]
    assert not list((coach_home / "sessions").glob("*.toml"))


@pytest.mark.slow
def test_a_wait_ends_when_the_lock_is_let_go(coach_home: Path, tmp_path: Path) -> None:
    import subprocess

    from coach_process import COACH

    from coach.store.disk import ensure_data_dir

    ensure_data_dir()
    fd = _hold(coach_home / ".store.lock")
    child = subprocess.Popen(
        [COACH, "run", "--answers", str(_answers(tmp_path))],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COACH_LOCK_TIMEOUT": "600"},
    )
    try:
        assert child.stderr is not None
        import select

        # Waits for the notice however busy the machine is; the limit only stops a hang.
        ready, _, _ = select.select([child.stderr], [], [], 120)
        assert ready, "no notice that coach waits for the lock"
        line = child.stderr.readline()
        while line and not line.startswith("coach:"):  # coach run's support line comes first
            line = child.stderr.readline()
        assert line.startswith("coach: warning: waiting for the store's lock")
    finally:
        os.close(fd)
    try:
        assert child.wait(timeout=120) == 0
    finally:
        child.kill()
        child.wait()
    assert len(list((coach_home / "sessions").glob("*.toml"))) == 1


def test_a_lock_timeout_that_is_not_a_number_is_refused(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.base.errors import UsageError
    from coach.store.locks import lock_timeout

    for bad in ("soon", "0", "-1", "inf", "nan"):
        monkeypatch.setenv("COACH_LOCK_TIMEOUT", bad)
        with pytest.raises(UsageError, match="COACH_LOCK_TIMEOUT must be a number of seconds"):
            lock_timeout()
    monkeypatch.delenv("COACH_LOCK_TIMEOUT")
    assert lock_timeout() == 30


# --- a plain file in an encrypted store --------------------------------------------------------


def test_a_plain_session_in_an_encrypted_store_is_named_and_encrypt_converts_it(
    identity: Identity, coach_home: Path, make_session: SessionFactory
) -> None:
    from coach_process import invoke

    from coach.store.format import session_to_text

    install(identity)
    save_session(make_session(session_id=IDS[0]))
    plain = coach_home / "sessions" / f"{IDS[1]}.toml"
    plain.write_text(session_to_text(make_session(session_id=IDS[1])), encoding="utf-8")
    warning = (
        f"coach: warning: {plain} is plain text in an encrypted data directory; "
        "coach vault encrypt encrypts it"
    )
    listed = invoke("list")
    assert listed.code == 0 and IDS[1] in listed.stdout
    assert listed.stderr.splitlines() == [warning]
    shown = invoke("show", IDS[1])
    assert shown.code == 0 and shown.stderr.splitlines() == [warning]
    converted = invoke("vault", "encrypt")
    assert converted.code == 0, converted
    assert "Encrypted 1 session file in" in converted.stderr
    assert "(1 file already encrypted)" in converted.stderr
    assert crypto.is_age(plain.read_bytes())
    again = invoke("show", IDS[1])
    assert again.code == 0 and again.stderr == ""


# --- -o in an encrypted store ------------------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_run_o_in_an_encrypted_store_never_writes_plain_names_inside_it(
    identity: Identity, coach_home: Path, tmp_path: Path, force: list[str]
) -> None:
    from coach_process import invoke

    install(identity)
    answers = _answers(tmp_path)
    link = tmp_path / "week.json"
    link.symlink_to(coach_home / "week.json")
    for target in (coach_home / "week.json", coach_home / "sessions" / "week.json", link):
        args = ("run", "--answers", str(answers), "-f", "json", "-o", str(target), *force)
        result = invoke(*args)
        assert result.code == 2, (target, result)
        assert "inside coach's data directory" in result.stderr
    names = [p for p in coach_home.rglob("*") if p.is_file() and b"Sam" in p.read_bytes()]
    assert names == []
    assert not list((coach_home / "sessions").glob("*.toml"))  # refused before it ran


def test_an_encrypted_index_that_is_a_fifo_is_replaced_not_waited_on(
    identity: Identity, coach_home: Path, make_session: SessionFactory
) -> None:
    from coach_process import run_coach
    from vault_helpers import private_file

    install(identity)
    for session_id in IDS:
        save_session(make_session(session_id=session_id))
    sealed_index.sealed_path().unlink(missing_ok=True)
    os.mkfifo(sealed_index.sealed_path(), 0o600)
    recovery = private_file(coach_home.parent / "recovery.txt", f"{identity.secret}\n")
    result = run_coach("list", env_extra={"COACH_IDENTITY_FILE": str(recovery)}, timeout=60)
    assert all(session_id in result.stdout for session_id in IDS)
    assert crypto.is_age(sealed_index.sealed_path().read_bytes())


def test_a_public_key_file_that_is_a_fifo_is_one_line_not_a_hang(
    identity: Identity, coach_home: Path
) -> None:
    from coach_process import run_coach
    from vault_helpers import private_file

    install(identity)
    vault.public_path().unlink()
    os.mkfifo(vault.public_path(), 0o600)
    recovery = private_file(coach_home.parent / "recovery.txt", f"{identity.secret}\n")
    result = run_coach("list", code=3, env_extra={"COACH_IDENTITY_FILE": str(recovery)}, timeout=60)
    assert result.stderr == f"coach: cannot read {vault.public_path()}: it is not a regular file\n"
