"""coach flags: the facilitator's private "follow up individually" flags, listed and closed.

A flag is added in facilitated mode when a partner's private check (or a free-text answer)
suggests fear or harm. It holds the couple's label and the time, never the answers, the item or
the partner. It lives in the facilitator's record in the data directory (coach/store/flags.py),
sealed when the store is encrypted; no couple export, history or trend reads it.
"""

from __future__ import annotations

import typer

from coach.cli.options import WORD

app = typer.Typer(no_args_is_help=False, invoke_without_command=True)


@app.callback()
def flags(ctx: typer.Context) -> None:
    """The open "follow up individually" flags, oldest first (facilitated sessions).

    A flag means: speak with each partner of this couple alone before the next joint session.
    It never says what was answered, or by whom.

    Examples: coach flags
              coach flags close 20261204-3fa2
    """
    if ctx.invoked_subcommand is not None:
        return
    from coach.store.disk import ensure_data_dir
    from coach.store.flags import FOLLOW_UP, read_flags
    from coach.store.vault import unlock_if_encrypted

    ensure_data_dir()
    unlock_if_encrypted()
    found = [f for f in read_flags() if f.is_open]
    if not found:
        print("No open flags.")
        return
    from coach.base.escape import neutralise_line

    for flag in found:
        couple = neutralise_line(flag.couple)
        print(f"{flag.id}  {flag.created:%Y-%m-%d %H:%M}  {couple}: {FOLLOW_UP}")


@app.command()
def close(
    flag_id: str = typer.Argument(
        ..., metavar="ID", click_type=WORD, help="The flag's id or a unique prefix."
    ),
) -> None:
    """Close an open flag once you have followed up with each partner alone.

    Example: coach flags close 20261204-3fa2
    """
    from coach.domain.session import now
    from coach.store.disk import ensure_data_dir
    from coach.store.flags import close_flag
    from coach.store.vault import unlock_if_encrypted

    ensure_data_dir()
    unlock_if_encrypted()
    flag = close_flag(flag_id, now())
    print(f"Closed {flag.id}.")
