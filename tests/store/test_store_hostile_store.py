"""A hostile data directory (issue 25): objects planted in the index, plain or encrypted; a
directory others may read or write; a passphrase file without end; another process holding a
lock; a plain session file in an encrypted store; a passphrase in another Unicode form.

Each case says what coach guarantees; docs/reliability.md lists them.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable

import pytest
from store_helpers import SessionFactory
from vault_helpers import Identity, install, make_identity

from coach import paths
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
