"""The encryption commands as a user runs them: coach vault init --encrypt, encrypt, decrypt,
passphrase.

Each unlock of an identity coach locked costs a real scrypt (about a second, several when the
machine is busy), so these tests keep to a few commands each; where locking is not what a test
is about, it installs an identity locked with a low work factor (vault_helpers.make_identity).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from coach_process import run_coach, spawn_coach
from vault_helpers import every_file, install, make_identity, private_file

from coach.store import crypto

pytestmark = pytest.mark.slow

PASSPHRASE = "correct horse battery"


def coach(*args: str, code: int = 0, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # Never a terminal: passphrases come from COACH_PASSPHRASE_FILE.
    return run_coach(*args, code=code, stdin=stdin)


@pytest.fixture
def passphrase_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = private_file(tmp_path / "passphrase", f"{PASSPHRASE}\n")
    monkeypatch.setenv("COACH_PASSPHRASE_FILE", str(path))
    return path


def snapshot(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in every_file(root)}


def test_init_encrypt_warns_and_every_file_after_a_session_is_age(
    coach_home: Path, passphrase_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = coach("vault", "init", "--encrypt", "--print-recovery")
    assert "lose the passphrase" in made.stderr and "lost" in made.stderr
    assert "AGE-SECRET-KEY-1" in made.stdout  # the recovery identity, for paper
    coach("demo", "--save")  # unlocks with the passphrase
    # The recovery identity alone opens the store, without the passphrase (and without the
    # scrypt cost of another unlock); listing writes the index.
    recovery = private_file(tmp_path / "recovery.txt", made.stdout)
    monkeypatch.delenv("COACH_PASSPHRASE_FILE")
    monkeypatch.setenv("COACH_IDENTITY_FILE", str(recovery))
    assert "Sam & Alex" in coach("history").stdout
    public = coach_home / "identity.pub"  # the public key only, in the clear
    assert public.read_text(encoding="utf-8").startswith("age1")
    # Lock files are empty (they hold no data, only flock state): everything else is age.
    locks = [p for p in every_file(coach_home) if ".locks" in p.parts or p.suffix == ".lock"]
    assert all(p.stat().st_size == 0 for p in locks)
    stored = [p for p in every_file(coach_home) if p not in locks and p != public]
    assert {p.name for p in stored} >= {"identity.age", "index.sqlite3.age"}
    assert all(crypto.is_age(p.read_bytes()) for p in stored)
    for needle in (b"Sam", b"Alex", b"walk"):
        assert not [p for p in stored if needle in p.read_bytes()]


def test_a_wrong_passphrase_is_one_line_exit_3_and_nothing_written(
    coach_home: Path, passphrase_file: Path
) -> None:
    install(make_identity())
    before = snapshot(coach_home)
    passphrase_file.write_text("not the passphrase\n", encoding="utf-8")
    failed = coach("demo", "--save", code=3)
    assert failed.stderr.count("\n") == 1 and "wrong passphrase" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert snapshot(coach_home) == before


def test_a_passphrase_file_others_can_read_is_refused(
    coach_home: Path, passphrase_file: Path
) -> None:
    passphrase_file.chmod(0o644)
    refused = coach("vault", "init", "--encrypt", code=2)
    assert "chmod 600" in refused.stderr
    assert not (coach_home / "identity.age").exists()


def test_without_a_passphrase_source_there_is_a_clear_usage_error(
    coach_home: Path, passphrase_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(make_identity())
    monkeypatch.delenv("COACH_PASSPHRASE_FILE")
    refused = coach("history", code=2)
    assert "COACH_PASSPHRASE_FILE" in refused.stderr


def test_encrypt_passphrase_and_decrypt_round_trip(coach_home: Path, passphrase_file: Path) -> None:
    coach("demo", "--save")
    (session,) = (coach_home / "sessions").glob("*.toml")
    plain = session.read_bytes()
    coach("vault", "encrypt", "--no-print-recovery")
    assert crypto.is_age(session.read_bytes())
    assert not (coach_home / "index.sqlite3").exists()
    # A new passphrase comes from the file's second line in scripts.
    passphrase_file.write_text(f"{PASSPHRASE}\nan even better passphrase\n", encoding="utf-8")
    coach("vault", "passphrase")
    passphrase_file.write_text("an even better passphrase\n", encoding="utf-8")
    coach("vault", "decrypt", code=2)  # no terminal to confirm: --yes is needed
    coach("vault", "decrypt", "--yes")
    assert session.read_bytes() == plain
    assert not (coach_home / "identity.age").exists()
    assert "Sam & Alex" in coach("history").stdout


def test_exports_are_plain_on_request_and_say_so_or_age_with_encrypt(
    coach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.store import convert

    identity = make_identity()
    install(identity)
    recovery = private_file(tmp_path / "recovery.txt", convert.recovery_identity(identity.keys))
    monkeypatch.setenv("COACH_IDENTITY_FILE", str(recovery))  # unlocked: no scrypt per command
    coach("demo", "--save")
    (session,) = (coach_home / "sessions").glob("*.toml")
    plain = coach("export", session.stem, "-o", str(tmp_path / "out.md"))
    assert "plain text, not encrypted" in plain.stderr
    assert b"Sam" in (tmp_path / "out.md").read_bytes()
    coach("export", session.stem, "--encrypt", "-o", str(tmp_path / "out.md.age"))
    sealed = (tmp_path / "out.md.age").read_bytes()
    assert crypto.is_age(sealed)
    assert crypto.decrypt(sealed, identity.keys, "export") == (tmp_path / "out.md").read_bytes()
    coach("export", session.stem, "--encrypt", code=2)  # an age file goes to a file


def test_at_a_terminal_the_passphrase_is_asked_without_echo(coach_home: Path) -> None:
    import pexpect
    from vault_helpers import PASSPHRASE as LOCKED_WITH

    install(make_identity())  # identity.age locked with LOCKED_WITH
    child = spawn_coach(["history"], coach_home, drop=("COACH_",), timeout=60)
    child.expect("Passphrase for ")
    child.sendline(LOCKED_WITH)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert LOCKED_WITH not in (child.before or "")  # not echoed to the terminal
    assert "No sessions match" in (child.before or "")


def test_at_a_terminal_a_new_passphrase_is_typed_twice(coach_home: Path) -> None:
    import pexpect
    from vault_helpers import PASSPHRASE as OLD

    from coach.store import vault

    identity = make_identity()
    install(identity)
    child = spawn_coach(["vault", "passphrase"], coach_home, drop=("COACH_",), timeout=60)
    child.expect("Passphrase for ")
    child.sendline(OLD)
    child.expect("New passphrase: ")
    child.sendline("a brand new passphrase")
    child.expect("Type it again: ")
    child.sendline("a brand new passphrase")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    vault.forget_keys()
    assert str(vault.unlock("a brand new passphrase").identity) == identity.secret
