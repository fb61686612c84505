"""Running a whole session from answer files (`coach run`): the answers checked, today's plan
made from each partner's private check, the session built and finished, and saved on request.

Each partner's private check comes from their own file and makes today's plan as at a terminal
(coach.domain.pathway). Nothing a run returns depends on the check beyond the plan: a disclosure
reads exactly as a short session (or a stop) chosen for no reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.content import Content
    from coach.domain.measures import Measure
    from coach.domain.session import Session
    from coach.rules import Inference


@dataclass(frozen=True)
class Run:
    """A run's result: the finished session and what the rules made of it, or neither when
    today's plan is a stop (nothing is saved then)."""

    content: Content
    session: Session | None
    inference: Inference | None

    @property
    def stopped(self) -> bool:
        return self.session is None


def measures() -> tuple[Measure, ...]:
    """The clinician measures in the data directory: each partner's check answers them too."""
    from coach.base import paths
    from coach.domain.measures import load_measures

    return load_measures(paths.data_dir())


def run_answers(
    sources: Sequence[tuple[str, bytes]],
    names: Mapping[str, str | None],
    *,
    couple: str,
    rules: Path | None,
    on_checked: Callable[[], None],
) -> Run:
    """The session the answer files ((name, bytes), in the order given) make, finished with the
    rule pack `rules` (None: $COACH_RULES or the built-in one); not saved (see `save`).

    Every problem in the files is one DataError (app.sessions.answers_from_sources);
    `on_checked` is called once the answers are good, before anything else happens, whatever
    they hold (a stop included).
    """
    from coach.answers import answers_plan, session_from_answers
    from coach.app.sessions import answers_from_sources
    from coach.content import load_content
    from coach.domain.finish import finish_session
    from coach.domain.validity import clean_name
    from coach.rules import load_pack, resolve_pack_path

    content = load_content()
    pack = load_pack(resolve_pack_path(rules), content)
    chosen = measures()
    answers = answers_from_sources(sources, content, names, chosen)
    on_checked()
    if answers_plan(answers, chosen) == "stop":
        return Run(content, None, None)
    session = session_from_answers(
        answers,
        content,
        a=names["a"],
        b=names["b"],
        couple=clean_name(couple) or None,
        measures=chosen,
    )
    return Run(content, session, finish_session(session, content, pack))


def save(session: Session) -> Path:
    """Save a run's session to the history, as an interactive session is saved."""
    from coach.store.disk import ensure_data_dir
    from coach.store.files import save_session

    ensure_data_dir()
    return save_session(session)
