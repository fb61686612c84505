"""Starting, resuming and replaying a session: the Session built from what was asked for, or
from answer files (`coach run`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from coach.base.errors import DataError, UsageError

if TYPE_CHECKING:
    from coach.answers import AnswerSet
    from coach.base.document import Problem
    from coach.content import Content
    from coach.domain.measures import Measure
    from coach.domain.session import Session
    from coach.rules import Inference, RulePack


def new_session(
    *,
    a: str,
    b: str,
    mode: str,
    couple: str,
    steps: str,
    facilitated: bool,
    checkin: bool,
) -> Session:
    """A new session for two partners, from the options of `coach start`.

    Raises UsageError naming the option at fault: a mode other than together or private, a
    name that is empty, longer than 60 characters or the same as the other's, steps that do
    not parse. The couple label defaults to the two names, sorted.
    """
    from coach.domain.session import MODES, Session, new_session_id, now, parse_steps
    from coach.domain.validity import clean_name, default_couple_label, option_names_problem

    if mode not in MODES:
        raise UsageError(f'--mode must be "together", "private" or "apart", not "{mode}"')
    names_problem = option_names_problem(a, b, couple)  # the one home of the name rules
    if names_problem:
        raise UsageError(names_problem)
    try:
        chosen_steps = parse_steps(steps)
    except ValueError as error:
        raise UsageError(f"--steps: {error}") from None
    created = now()
    return Session(
        id=new_session_id(created),
        created=created,
        partners={"a": clean_name(a), "b": clean_name(b)},
        mode="private" if mode == "private" else "together",
        couple=clean_name(couple) or default_couple_label(a, b),
        steps=chosen_steps,
        facilitated=facilitated,
        # Empty tables record that the check-in was asked for, so a pause before its first
        # item still asks it on resume.
        checkin={"a": {}, "b": {}} if checkin else {},
    )


def draft_to_resume(ref: str | None) -> Session:
    """The draft `ref` names (an id or a unique prefix), or the newest draft when None."""
    from coach.store.disk import ensure_data_dir
    from coach.store.files import load_session
    from coach.store.lookup import find_session_path

    ensure_data_dir()
    session = load_session(find_session_path(ref, drafts_only=ref is None))
    if not session.is_draft:
        raise DataError(
            f"session {session.id} is already finished; see it with: coach show {session.id}"
        )
    return session


def demo_session(content: Content) -> Session:
    """The built-in sample session (coach/content/demo.toml), answered but not finished."""
    from importlib import resources

    from coach.answers import parse_answer_text, session_from_answers

    text = resources.files("coach.content").joinpath("demo.toml").read_text(encoding="utf-8")
    answers = parse_answer_text(text, "demo.toml", content)
    return session_from_answers(answers, content)


def answers_from_sources(
    sources: Sequence[tuple[str, bytes]],
    content: Content,
    names: Mapping[str, str | None],
    measures: Sequence[Measure] = (),
) -> AnswerSet:
    """Parse, merge and check every answer file ((name, bytes), in the order given).

    Raises one DataError listing every problem, in file order. An old `[safety]` table or a
    missing check is one line naming the new keys.
    """
    from coach.answers import (
        check_answer_set,
        decode_answer_bytes,
        in_file_order,
        merge,
        raise_if_problems,
        read_answer_text,
    )

    parts = []
    problems: list[Problem] = []
    for name, data in sources:
        text, decode_problems = decode_answer_bytes(data, name)
        part, parse_problems = read_answer_text(text, name, content, measures)
        problems += decode_problems or parse_problems
        parts.append(part)
    merged, merge_problems = merge(parts)
    problems += merge_problems
    if not problems or all(p.key for p in problems):
        # A file that is not TOML at all would make every answer look missing: say only that.
        problems += check_answer_set(merged, content, dict(names), measures)
    raise_if_problems(in_file_order(problems, [name for name, _ in sources]))
    return merged


def run_demo(
    content: Content, pack: RulePack, *, save: bool
) -> tuple[Session, Inference, Path | None]:
    """The sample session finished with `pack`; saved to the history when `save` (its path)."""
    from coach.domain.finish import finish_session
    from coach.store.disk import ensure_data_dir
    from coach.store.files import save_session

    session = demo_session(content)
    inference = finish_session(session, content, pack)
    if not save:
        return session, inference, None
    ensure_data_dir()
    return session, inference, save_session(session)
