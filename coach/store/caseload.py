"""Changing a whole couple at once: renaming its label, merging it into another, deleting it.

A rename never lands on a label another couple already has (that would merge two caseloads
silently, and they could not be told apart again); merging two couples is its own step,
merge_couples, which the CLI lists and asks about first.

Each session file is rewritten or removed on its own, atomically and under its lock, so an
interrupted rename or delete leaves every file whole, and running it again finishes the job
(the files already done no longer carry the old label, or are gone).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from coach.base.errors import NotFoundError, UsageError, did_you_mean
from coach.domain.labels import couple_key

__all__ = [
    "Merge",
    "couple_sessions",
    "delete_couple",
    "merge_couples",
    "plan_merge",
    "rename_couple",
]


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


def _label_of(label: str) -> str | None:
    """The label the newest session of this couple carries, or None when it has none."""
    from coach.store import index

    for row in index.history(couple=label):
        return row.couple
    return None


def rename_couple(old: str, new: str) -> int:
    """Give every session of the couple `old` the label `new`; return how many were rewritten.

    UsageError when `new` is another couple's label: merge_couples does that, on purpose."""
    if not couple_key(new):
        raise UsageError('a couple label needs at least one name, like "Sam & Alex"')
    ids = couple_sessions(old)
    if couple_key(new) != couple_key(old):
        taken = _label_of(new)
        if taken is not None:
            raise UsageError(
                f'"{new}" is already the label of another couple ("{taken}"); nothing was '
                f'renamed (to put both couples together: coach couples merge "{old}" "{taken}")'
            )
    return _relabel(ids, old, new)


def _relabel(ids: list[str], old: str, new: str) -> int:
    """Give the sessions `ids` that still carry the couple `old` the label `new`."""
    from coach.store import files

    renamed = 0
    for session_id in ids:
        path = files.session_path(session_id)
        with files.session_lock(session_id):
            session = files.load_session(path)
            if couple_key(session.couple) != couple_key(old) or session.couple == new:
                continue  # renamed meanwhile, or by an earlier run that was interrupted
            files.save_session(dataclasses.replace(session, couple=new))
            renamed += 1
    return renamed


@dataclasses.dataclass(frozen=True)
class Merge:
    """What merging one couple into another moves: FROM's sessions, to INTO's label."""

    source: str  # the label FROM's newest session carries
    target: str  # the label INTO's newest session carries, which every moved session gets
    ids: list[str]  # FROM's sessions, newest first
    target_sessions: int


def plan_merge(source: str, target: str) -> Merge:
    """What merge_couples(source, target) would move; NotFoundError when either couple has no
    sessions, UsageError when they are one couple."""
    if couple_key(source) == couple_key(target):
        raise UsageError(f'"{source}" and "{target}" are one couple; there is nothing to merge')
    ids = couple_sessions(source)
    into = couple_sessions(target)
    return Merge(_label_of(source) or source, _label_of(target) or target, ids, len(into))


def merge_couples(plan: Merge) -> int:
    """Move the planned sessions to the target couple's label (each file atomically, under its
    lock; running it again after an interruption finishes the job). Returns how many moved."""
    return _relabel(plan.ids, plan.source, plan.target)


def delete_couple(label: str) -> list[Path]:
    """Delete every session (finished or draft) of the couple and its index rows."""
    from coach.store.lookup import delete_session

    return [delete_session(session_id) for session_id in couple_sessions(label)]
