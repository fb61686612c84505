"""docs/file-format.md stays true: its example is exactly what coach writes."""

from __future__ import annotations

from pathlib import Path

from coach.store.format import session_from_text, session_to_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "file-format.md"


def test_the_example_file_loads_and_is_written_back_byte_for_byte() -> None:
    example = DOC.read_text(encoding="utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
    session = session_from_text(example, "file-format.md")
    assert session_to_text(session) == example
    assert session.results is not None and session.checkin and session.notes
