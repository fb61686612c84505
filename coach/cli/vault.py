"""Encryption at rest: coach init --encrypt, coach encrypt, coach decrypt, coach passphrase.

The work is in coach.store.convert and coach.store.vault; this module asks the questions and
says what happened. See docs/encryption.md.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from coach.base.errors import UsageError
from coach.base.escape import shown_path
from coach.domain.wording import count

if TYPE_CHECKING:
    from coach.store.crypto import Keys

LOST_PASSPHRASE_WARNING = (
    # Lines under 80 columns: a terminal of 80 would break a longer one inside a word.
    "Your sessions will be encrypted with a passphrase. If you lose the passphrase,\n"
    "your sessions are lost: nobody, not coach and not its authors, can open them\n"
    "again. A recovery identity printed on paper and kept somewhere safe opens them\n"
    "too."
)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(encrypt)
    app.command()(decrypt)
    app.command()(passphrase)


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

    Example: coach init --encrypt
    """
    from coach.base import paths
    from coach.store import convert, disk, files, vault

    root = disk.ensure_data_dir()
    if country:
        _save_country(country)
    if not encrypt:
        state = "encrypted" if vault.is_encrypted() else "not encrypted"
        print(f"Data directory: {shown_path(root)} ({state})")
        return
    if vault.is_encrypted():
        raise UsageError(f"{root} is already encrypted; coach passphrase changes the passphrase")
    if next(files.iter_session_files(), None) is not None:
        raise UsageError(f"{root} already holds sessions; coach encrypt encrypts them")
    print(LOST_PASSPHRASE_WARNING, file=sys.stderr)
    keys = convert.create_identity(_new_passphrase())
    print(f"Encrypted data directory ready: {shown_path(paths.data_dir())}", file=sys.stderr)
    _offer_recovery(print_recovery, keys)


def _save_country(country: str) -> None:
    import re

    from coach.domain.support import normal_country
    from coach.store.settings import save_country

    code = normal_country(country)
    if not re.fullmatch(r"[A-Z]{2}(-[A-Z]{3})?", code):
        raise UsageError(
            f'--country takes a country code such as GB, US or GB-SCT, not "{country}"'
        )
    save_country(code)
    print(f"Support lines for {code} come first.", file=sys.stderr)


def encrypt(print_recovery: bool | None = RECOVERY_OPTION) -> None:
    """Encrypt an existing data directory: every session, draft and the index.

    Safe to interrupt: every file is either still plain or already encrypted, and running
    coach encrypt again finishes the job. Backups made before stay plain text.

    Example: coach encrypt
    """
    from coach.store import convert, disk, vault

    root = disk.ensure_data_dir()  # unlocks when a previous run already made the identity
    if vault.is_encrypted():
        keys = vault.keys()
    else:
        print(LOST_PASSPHRASE_WARNING, file=sys.stderr)
        keys = convert.create_identity(_new_passphrase())
        _offer_recovery(print_recovery, keys)
    done = convert.encrypt_store(keys)
    print(
        f"Encrypted {count(done.changed, 'session file')} in {shown_path(root)} "
        f"({count(done.already, 'file')} already encrypted).",
        file=sys.stderr,
    )


def decrypt(
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Turn encryption off: every file becomes plain text (0600) again.

    Safe to interrupt: run coach decrypt again to finish. The passphrase is needed.

    Example: coach decrypt --yes
    """
    from coach.store import convert, disk, vault

    root = disk.ensure_data_dir()
    if not vault.is_encrypted():
        print(f"{shown_path(root)} is not encrypted; nothing to do.", file=sys.stderr)
        return
    keys = vault.keys()
    if not yes:
        if not _at_terminal():
            raise UsageError("coach decrypt needs --yes when there is no terminal to confirm")
        typer.confirm(f"Store every session in {shown_path(root)} as plain text?", abort=True)
    done = convert.decrypt_store(keys)
    print(
        f"Decrypted {count(done.changed, 'session file')} in {shown_path(root)}.", file=sys.stderr
    )


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

    Example: coach passphrase
    """
    from coach.store import convert, disk, vault

    root = disk.ensure_data_dir()
    if not vault.is_encrypted():
        raise UsageError(f"{root} is not encrypted; coach encrypt turns encryption on")
    keys = vault.keys()
    lines = vault.passphrase_file_lines()
    if lines and len(lines) < 2 and not _at_terminal():
        raise UsageError(
            f"no new passphrase: give it as the second line of {vault.PASSPHRASE_FILE_ENV}"
        )
    new = lines[1] if len(lines) > 1 else _typed_twice()
    convert.change_passphrase(keys, new)
    if keyring_store or vault.keyring_passphrase() is not None:  # never leave a stale one
        vault.keep_in_keyring(new)
    print(f"Passphrase changed for {shown_path(root)}.", file=sys.stderr)
