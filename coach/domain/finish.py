"""Steps shared by every way of running a session (interactive, demo, answer files). Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.content import Content
from coach.domain.session import Session, now

# Re-exported: the partner-name rules live in coach.domain.validity.
from coach.domain.validity import default_couple_label as default_couple_label

if TYPE_CHECKING:
    from coach.rules import Inference, RulePack


def infer_session(session: Session, pack: RulePack) -> Inference:
    from coach.rules import infer

    return infer(pack, session.answer_map(), steps=session.steps)


def finish_session(session: Session, content: Content, pack: RulePack) -> Inference:
    """Infer the results, attach them and mark the session finished."""
    inference = infer_session(session, pack)
    session.results = inference.to_dict()
    session.content_version = content.version
    session.finished = now()
    return inference


def stored_inference(session: Session) -> Inference:
    """The results saved with a finished session, as the rule engine's objects."""
    from coach.base.errors import DataError
    from coach.rules import Inference

    if session.results is None:
        raise DataError(f"session {session.id} is a draft and has no results yet")
    try:
        return Inference.from_dict(session.results)
    except DataError as exc:
        # Name the file the results came from, as every other problem with a file does.
        from coach.store.files import session_path

        raise DataError(f"{session_path(session.id)}: {exc.message}") from None
