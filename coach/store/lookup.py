"""Sessions by reference: finding one by a prefix of its id or as the newest, loading it, and
deleting it with its index entry.

These need both the session files and the index (the newest session is the index's first row;
a deleted session leaves the index at once), so they live here, above coach.store.files and the
index modules, and neither of those imports this one: the store's imports have no cycle
(tests/core/test_architecture.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from coach.base.errors import NotFoundError, StorageError, did_you_mean
from coach.domain.session import Session
from coach.store.disk import TEMP_SUFFIX, remove_quietly, sync_directory
from coach.store.files import (
    SUFFIX,
    checked_id,
    iter_session_files,
    load_session,
    read_session_text,
    session_lock,
    session_path,
)
from coach.store.index import history
from coach.store.index_refresh import forget, refresh_index
from coach.store.index_summary import summary_from_text

__all__ = ["delete_session", "find_session_path", "load_session_by_ref"]


def _candidates(ids: list[str]) -> str:
    shown = ", ".join(ids[:5])
    return shown if len(ids) <= 5 else f"{shown} and {len(ids) - 5} more"


def _newest_path(drafts_only: bool) -> Path:
    newest = next(history(status="draft" if drafts_only else None, limit=1), None)
    if newest is None:
        unreadable = refresh_index()
        if unreadable:
            # Perhaps the one that was meant: say so rather than that there is none.
            path, reason = unreadable[-1]
            shown = reason if reason.startswith(str(path)) else f"{path}: {reason}"
            more = f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""
            raise NotFoundError(f"no readable session; this one cannot be read{more}: {shown}")
        raise NotFoundError(
            "no draft to resume; start a session with: coach start --a NAME --b NAME"
            if drafts_only
            else "no saved sessions yet; try coach demo --save, or coach start --a NAME --b NAME"
        )
    return newest.path


def find_session_path(ref: str | None, *, drafts_only: bool = False) -> Path:
    """The file of the session whose id is `ref` or starts with it.

    ref None: the newest session (the newest draft with drafts_only). NotFoundError when nothing
    matches (with a did-you-mean), when a prefix matches several sessions (listing them), or with
    drafts_only when the session is finished.
    """
    if ref is None:
        return _newest_path(drafts_only)
    ref = checked_id(ref.removesuffix(SUFFIX))
    ids = [path.stem for path in iter_session_files()]
    matches = [ref] if ref in ids else [i for i in ids if i.startswith(ref)]
    if len(matches) > 1:
        raise NotFoundError(
            f'"{ref}" matches {len(matches)} sessions: {_candidates(matches)}; give more of the id'
        )
    if not matches:
        raise NotFoundError(
            f'no session "{ref}"{did_you_mean(ref, ids)}; coach history shows your sessions'
        )
    path = session_path(matches[0])
    if drafts_only:
        summary = summary_from_text(read_session_text(path), str(path), expected_id=path.stem)
        if summary.finished is not None:
            raise NotFoundError(f"session {path.stem} is finished; only a draft can be resumed")
    return path


def load_session_by_ref(ref: str) -> Session:
    """Load the session whose id is `ref` or starts with it (see find_session_path)."""
    return load_session(find_session_path(ref))


def delete_session(ref: str) -> Path:
    """Delete a session's file and its index entry; return the path that was removed."""
    path = find_session_path(ref)
    with session_lock(path.stem):
        try:
            os.unlink(path)
        except FileNotFoundError:
            raise NotFoundError(f"{path}: no such session file") from None
        except OSError as exc:
            raise StorageError(f"could not delete {path}: {exc.strerror or exc}") from None
        # What a killed save of this session left (under its lock, no save is under way).
        for temp in path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"):
            remove_quietly(temp)
        sync_directory(path.parent)
    forget(path.stem)
    return path
