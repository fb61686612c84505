"""Encryption at rest: coach vault init --encrypt, vault encrypt, vault decrypt, vault passphrase.

What each command decides is coach.app.encryption; this module asks the questions and says
what happened. See docs/encryption.md.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from coach.base.errors import UsageError
from coach.base.escape import shown_path
from coach.domain.wording import count

if TYPE_CHECKING:
    from pathlib import Path

    from coach.store.crypto import Keys

LOST_PASSPHRASE_WARNING = (
    # Lines under 80 columns: a terminal of 80 would break a longer one inside a word.
    "Your sessions will be encrypted with a passphrase. If you lose the passphrase,\n"
    "your sessions are lost: nobody, not coach and not its authors, can open them\n"
    "again. A recovery identity printed on paper and kept somewhere safe opens them\n"
    "too."
)


app = typer.Typer(
    help="Encryption at rest: create the data directory (optionally encrypted), encrypt or "
    "decrypt the one you have, change its passphrase. See docs/encryption.md.\n\n"
    "Example: coach vault init --encrypt",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    """`coach vault ...`, and the older top-level names (hidden), each with a note."""
    from coach.cli.helptext import DATA

    for command in (init, encrypt, decrypt, passphrase):
        app.command()(command)
        root.command(command.__name__, hidden=True)(_moved(command))
    root.add_typer(app, name="vault", rich_help_panel=DATA)


def _moved(command: Callable[..., None]) -> Callable[..., None]:
    """`coach NAME` as it was: a one-line note on standard error, then `coach vault NAME`."""
    name = command.__name__

    @functools.wraps(command)
    def moved(*args: Any, **kwargs: Any) -> None:
        print(f"coach: `coach {name}` is now `coach vault {name}`", file=sys.stderr)
        command(*args, **kwargs)

    return moved


def _at_terminal() -> bool:
    from coach.base.stdio import stdin_is_terminal

    return stdin_is_terminal()


def _typed_twice() -> str:
    """A new passphrase typed twice at the terminal, without echo."""
    from coach.store import convert, vault

    if not _at_terminal():
        raise UsageError(
            "no terminal to type a new passphrase; name a 0600 file holding it in "
            f"{vault.PASSPHRASE_FILE_ENV}"
        )
    from coach.store.crypto import normalised

    first = convert.check_new_passphrase(_ask("New passphrase: "))
    if normalised(_ask("Type it again: ")) != normalised(first):
        raise UsageError("the two passphrases differ; nothing was changed")
    return first


def _ask(prompt: str) -> str:
    import getpass

    return getpass.getpass(prompt)


def _new_passphrase() -> str:
    """A new store's passphrase: COACH_PASSPHRASE_FILE's first line, else typed twice."""
    from coach.store import convert, vault

    lines = vault.passphrase_file_lines()
    return convert.check_new_passphrase(lines[0]) if lines else _typed_twice()


def _offer_recovery(print_recovery: bool | None, keys: Keys) -> None:
    from coach.store import convert

    if print_recovery is None:
        print_recovery = _at_terminal() and typer.confirm(
            "Print a recovery identity to write down or print and keep on paper?", default=False
        )
    if print_recovery:
        print(convert.recovery_identity(keys), end="")
        print(
            "Anyone holding this identity can read every session: keep it offline.\n"
            "It opens any file with: age -d -i recovery.txt FILE",
            file=sys.stderr,
        )


RECOVERY_OPTION = typer.Option(
    None,
    "--print-recovery/--no-print-recovery",
    help="Print the recovery identity (asked at a terminal; not printed otherwise).",
)


def init(
    encrypt: bool = typer.Option(
        False, "--encrypt", help="Encrypt everything coach stores, with a passphrase."
    ),
    print_recovery: bool | None = RECOVERY_OPTION,
    country: str = typer.Option(
        "",
        "--country",
        metavar="CODE",
        help="The country whose support lines come first (GB, US, GB-SCT, ...); "
        "COACH_COUNTRY overrides it, and without either the locale decides.",
    ),
) -> None:
    """Create the data directory, optionally encrypted.

    With --encrypt, every session, draft and the index are age files (age-encryption.org/v1)
    that the reference age tool opens too. The passphrase is asked without echo, or read from
    a 0600 file named by COACH_PASSPHRASE_FILE. See docs/encryption.md.

    Example: coach vault init --encrypt
    """
    from coach.app import encryption

    root = encryption.data_directory()
    if country:
        code = encryption.save_country(country)
        print(f"Support lines for {code} come first.", file=sys.stderr)
    if not encrypt:
        state = "encrypted" if encryption.is_encrypted() else "not encrypted"
        print(f"Data directory: {shown_path(root)} ({state})")
        return
    keys = encryption.encrypt_new_store(root, _warned_new_passphrase)
    print(f"Encrypted data directory ready: {shown_path(root)}", file=sys.stderr)
    _offer_recovery(print_recovery, keys)


def _warned_new_passphrase() -> str:
    """A new store's passphrase, after the warning that a lost one loses every session."""
    print(LOST_PASSPHRASE_WARNING, file=sys.stderr)
    return _new_passphrase()


def encrypt(print_recovery: bool | None = RECOVERY_OPTION) -> None:
    """Encrypt an existing data directory: every session, draft and the index.

    Safe to interrupt: every file is either still plain or already encrypted, and running
    coach vault encrypt again finishes the job. Backups made before stay plain text.

    Example: coach vault encrypt
    """
    from coach.app import encryption

    def recovery(keys: Keys) -> None:
        _offer_recovery(print_recovery, keys)

    done = encryption.encrypt_store(_warned_new_passphrase, recovery)
    assert done.converted is not None
    print(
        f"Encrypted {count(done.converted.changed, 'session file')} in {shown_path(done.root)} "
        f"({count(done.converted.already, 'file')} already encrypted).",
        file=sys.stderr,
    )


def decrypt(
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Turn encryption off: every file becomes plain text (0600) again.

    Safe to interrupt: run coach vault decrypt again to finish. The passphrase is needed.

    Example: coach vault decrypt --yes
    """
    from coach.app import encryption

    def confirm(root: Path) -> None:
        if yes:
            return
        if not _at_terminal():
            raise UsageError("coach vault decrypt needs --yes when there is no terminal to confirm")
        typer.confirm(f"Store every session in {shown_path(root)} as plain text?", abort=True)

    done = encryption.decrypt_store(confirm)
    if done.converted is None:
        print(f"{shown_path(done.root)} is not encrypted; nothing to do.", file=sys.stderr)
        return
    changed = count(done.converted.changed, "session file")
    print(f"Decrypted {changed} in {shown_path(done.root)}.", file=sys.stderr)


def passphrase(
    keyring_store: bool = typer.Option(
        False,
        "--keyring",
        help="Also keep the new passphrase in the OS keyring (needs the keyring extra).",
    ),
) -> None:
    """Change the passphrase of an encrypted data directory (one atomic replace).

    The old passphrase unlocks first; the new one comes from COACH_PASSPHRASE_FILE's second
    line when it has one, else it is typed twice without echo. Session files do not change.

    Example: coach vault passphrase
    """
    from coach.app import encryption

    root = encryption.change_passphrase(_changed_passphrase, keyring_store)
    print(f"Passphrase changed for {shown_path(root)}.", file=sys.stderr)


def _changed_passphrase() -> str:
    """The new passphrase: COACH_PASSPHRASE_FILE's second line, else typed twice."""
    from coach.store import vault

    lines = vault.passphrase_file_lines()
    if lines and len(lines) < 2 and not _at_terminal():
        raise UsageError(
            f"no new passphrase: give it as the second line of {vault.PASSPHRASE_FILE_ENV}"
        )
    return lines[1] if len(lines) > 1 else _typed_twice()
