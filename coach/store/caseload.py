"""Changing a whole couple at once: renaming its label and deleting its sessions.

Each session file is rewritten or removed on its own, atomically and under its lock, so an
interrupted rename or delete leaves every file whole, and running it again finishes the job
(the files already done no longer carry the old label, or are gone).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from coach.couples import couple_key
from coach.errors import NotFoundError, UsageError, did_you_mean

__all__ = ["couple_sessions", "delete_couple", "rename_couple"]


def couple_sessions(label: str) -> list[str]:
    """The ids of a couple's sessions (label in any order and case), newest first.

    NotFoundError, with the closest known label, when the couple has none.
    """
    from coach.store import index

    ids = [row.id for row in index.history(couple=label)]
    if not ids:
        known = sorted({row.couple for row in index.history(refresh=False)}, key=str.casefold)
        raise NotFoundError(
            f'no sessions for the couple "{label}"{did_you_mean(label, known)}; '
            "coach couples lists them"
        )
    return ids


def rename_couple(old: str, new: str) -> int:
    """Give every session of the couple `old` the label `new`; return how many were rewritten."""
    from coach.store import files

    if not couple_key(new):
        raise UsageError('a couple label needs at least one name, like "Sam & Alex"')
    renamed = 0
    for session_id in couple_sessions(old):
        path = files.session_path(session_id)
        with files.session_lock(session_id):
            session = files.load_session(path)
            if couple_key(session.couple) != couple_key(old) or session.couple == new:
                continue  # renamed meanwhile, or by an earlier run that was interrupted
            files.save_session(dataclasses.replace(session, couple=new))
            renamed += 1
    return renamed


def delete_couple(label: str) -> list[Path]:
    """Delete every session (finished or draft) of the couple and its index rows."""
    from coach.store.lookup import delete_session

    return [delete_session(session_id) for session_id in couple_sessions(label)]
