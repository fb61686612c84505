"""coach.app.sessions: a session from the options of `coach start`, and the draft to resume."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from coach.app.sessions import draft_to_resume, new_session
from coach.base.errors import DataError, UsageError
from coach.content import Content
from coach.domain.session import Session
from coach.store import files

OPTIONS = {
    "a": " Sam ",
    "b": "alex",
    "mode": "private",
    "couple": "",
    "steps": "2-4",
    "facilitated": True,
    "checkin": True,
}


def test_a_new_session_carries_the_options_with_names_stripped_and_a_sorted_label() -> None:
    session = new_session(**OPTIONS)  # type: ignore[arg-type]
    assert session.partners == {"a": "Sam", "b": "alex"}
    assert session.couple == "alex & Sam"  # sorted without case
    assert (session.mode, session.steps, session.facilitated) == ("private", [2, 3, 4], True)
    assert session.checkin == {"a": {}, "b": {}}  # asked for, so resume asks it too
    assert session.is_draft and not session.answers


def test_a_given_label_is_kept_and_no_checkin_leaves_no_tables() -> None:
    session = new_session(**{**OPTIONS, "couple": " The Ks ", "checkin": False})  # type: ignore[arg-type]
    assert (session.couple, session.checkin) == ("The Ks", {})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mode": "secret"}, '--mode must be "together", "private" or "apart", not "secret"'),
        ({"a": "  "}, "--a needs a name of 1 to 60 characters"),
        ({"b": "x" * 61}, "--b needs a name of 1 to 60 characters"),
        (
            {"b": "SAM"},
            "--a and --b need two different names so answers can be told apart: they read",
        ),
        (
            {"b": "Sam"},
            "--a and --b need two different names so answers can be told apart: they are",
        ),
        (
            {"a": "Jos\u00e9", "b": "Jose\u0301"},
            "--a and --b need two different names so answers "
            "can be told apart: they read as the same name once case, Unicode forms",
        ),
        ({"steps": "1,9"}, "--steps: "),
    ],
)
def test_a_wrong_option_is_named(change: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        new_session(**{**OPTIONS, **change})  # type: ignore[arg-type]
    assert caught.value.message.startswith(message)


def test_resume_finds_the_newest_draft_and_refuses_a_finished_session(
    save_finished: Callable[..., Session],
) -> None:
    finished = save_finished(0)
    draft = new_session(**OPTIONS)  # type: ignore[arg-type]
    files.save_session(draft)
    assert draft_to_resume(None).id == draft.id
    assert draft_to_resume(draft.id[:15]).id == draft.id
    with pytest.raises(DataError, match=f"already finished; see it with: coach show {finished.id}"):
        draft_to_resume(finished.id)


def test_the_demo_session_is_answered_and_not_finished(content: Content) -> None:
    from coach.app.sessions import demo_session

    session = demo_session(content)
    assert session.is_draft and session.answers and session.results is None


def test_the_demo_is_finished_and_saved_only_when_asked(content: Content) -> None:
    from coach.app.sessions import run_demo
    from coach.rules import load_pack, resolve_pack_path

    pack = load_pack(resolve_pack_path(None), content)
    session, inference, saved = run_demo(content, pack, save=False)
    assert not session.is_draft and session.results == inference.to_dict() and saved is None
    assert not files.session_path(session.id).exists()
    session, _, saved = run_demo(content, pack, save=True)
    assert saved == files.session_path(session.id) and saved.exists()
