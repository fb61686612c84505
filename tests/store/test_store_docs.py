"""docs/file-format.md stays true: its example is exactly what coach writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.base.errors import DataError
from coach.store.format import session_from_text, session_to_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "file-format.md"


def test_the_example_file_loads_and_is_written_back_byte_for_byte() -> None:
    example = DOC.read_text(encoding="utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
    session = session_from_text(example, "file-format.md")
    assert session_to_text(session) == example
    assert session.results is not None and session.checkin and session.notes


def example_with_partial_checkin(*, finished: bool) -> str:
    example = DOC.read_text(encoding="utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
    # Partner B has answered one item when the session is paused.
    head, rest = example.split("[checkin.b]\n", 1)
    example = head + "[checkin.b]\nhappiness = 3\n" + rest.split("\n\n", 1)[1]
    if not finished:
        example = "\n".join(
            line for line in example.splitlines() if not line.startswith("finished =")
        ).split("\n[results]", 1)[0]
        example += "\n"
    return example


def test_a_draft_keeps_a_partial_checkin_without_a_total() -> None:
    session = session_from_text(example_with_partial_checkin(finished=False), "draft.toml")
    assert session.is_draft
    assert session.checkin["b"] == {"happiness": 3}
    assert session.checkin_total("b") is None
    assert session.checkin_total("a") == 16
    again = session_from_text(session_to_text(session), "draft.toml")
    assert again.checkin == session.checkin


def test_a_finished_session_needs_every_checkin_item() -> None:
    with pytest.raises(DataError, match=r"checkin\.b\.warm_comfortable"):
        session_from_text(example_with_partial_checkin(finished=True), "done.toml")
