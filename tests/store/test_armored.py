"""Armored age files (`age -a`, "-----BEGIN AGE ENCRYPTED FILE-----") read like binary ones:
a session, the index and the identity, armored by the reference age tool or in-process."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import SessionFactory
from vault_helpers import PASSPHRASE, Identity, install, make_identity, private_file

from coach.base.errors import StorageError
from coach.store import convert, crypto, index, index_refresh, sealed_index, vault
from coach.store.files import load_session, save_session
from coach.store.format import session_to_text
from coach.store.sealed_index import sealed_path

COACH = str(Path(sys.executable).parent / "coach")


def armor(data: bytes) -> bytes:
    """age's ASCII armor: base64 in lines of 64 columns between the BEGIN and END lines."""
    text = base64.b64encode(data).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return "\n".join([crypto.ARMOR_BEGIN.decode(), *lines, crypto.ARMOR_END.decode(), ""]).encode()


@pytest.fixture(scope="module")
def identity() -> Identity:
    return make_identity()


def test_a_session_armored_in_process_loads_and_is_indexed(
    identity: Identity, coach_home: Path, make_session: SessionFactory
) -> None:
    install(identity)
    session = make_session(session_id="20240501-201500-arm001")
    path = save_session(session)
    path.write_bytes(armor(path.read_bytes()))
    assert crypto.is_age(path.read_bytes())
    assert load_session(path) == session
    index_refresh.rebuild_index()
    assert [row.id for row in index.history()] == [session.id]


def test_the_index_and_the_identity_may_be_armored(
    identity: Identity, coach_home: Path, make_session: SessionFactory
) -> None:
    install(identity)
    save_session(make_session(session_id="20240501-201500-arm002"))
    index_refresh.rebuild_index()
    sealed_path().write_bytes(armor(sealed_path().read_bytes()))
    sealed_index._decrypted.clear()
    assert [row.id for row in index.history()] == ["20240501-201500-arm002"]
    locked = vault.identity_path()
    locked.write_bytes(armor(locked.read_bytes()))
    assert str(vault.unlock(PASSPHRASE).recipient) == str(identity.keys.recipient)


def test_damaged_armor_is_one_line_naming_the_file(
    identity: Identity, coach_home: Path, make_session: SessionFactory
) -> None:
    install(identity)
    path = save_session(make_session(session_id="20240501-201500-arm003"))
    good = armor(path.read_bytes())
    for damaged in (good.replace(crypto.ARMOR_END, b""), good[:60] + b"!!" + good[62:]):
        path.write_bytes(damaged)
        with pytest.raises(StorageError, match="cannot decrypt") as raised:
            load_session(path)
        assert str(path) in raised.value.message and "\n" not in raised.value.message


def test_a_plain_temp_file_is_told_from_an_armored_one(identity: Identity) -> None:
    assert crypto.is_age(b"\n" + armor(b"x")[: crypto.HEAD_LENGTH - 1])
    assert not crypto.is_age(b'id = "20240501-201500-arm004"\n')
    assert crypto.binary(b"age-encryption.org/v1\n...", "f") == b"age-encryption.org/v1\n..."


def test_files_armored_by_the_reference_age_tool_read_and_reindex(
    identity: Identity, coach_home: Path, make_session: SessionFactory, tmp_path: Path
) -> None:
    age = shutil.which("age")
    if age is None:
        pytest.skip("the reference age tool is not installed (Debian package age; .ci/run)")
    install(identity)
    session = make_session(session_id="20240501-201500-arm005")
    path = save_session(session)
    plain = tmp_path / "session.toml"
    plain.write_text(session_to_text(session), encoding="utf-8")
    recipient = str(identity.keys.recipient)
    path.unlink()
    subprocess.run([age, "-a", "-r", recipient, "-o", str(path), str(plain)], check=True)
    assert path.read_bytes().startswith(crypto.ARMOR_BEGIN)
    assert load_session(path) == session
    recovery = private_file(tmp_path / "recovery.txt", convert.recovery_identity(identity.keys))
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env |= {"COACH_HOME": str(coach_home), "COACH_IDENTITY_FILE": str(recovery)}

    def run(*args: str) -> str:
        return subprocess.run(
            [COACH, *args], env=env, capture_output=True, text=True, timeout=120, check=True
        ).stdout

    run("reindex")
    listed = json.loads(run("list", "--format", "json"))["sessions"]
    assert [item["id"] for item in listed] == [session.id]
    assert json.loads(run("show", session.id, "--format", "json"))["session"]["id"] == session.id
