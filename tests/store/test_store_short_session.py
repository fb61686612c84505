"""A short session's file, and files saved before short sessions existed."""

from __future__ import annotations

from datetime import UTC, datetime

from coach.domain.session import Session
from coach.store.format import session_from_text, session_to_text

# A draft as coach saved it before the safety pathway (main at 312ac2d): no `length` key.
OLD_FILE = """\
# A coach session (see docs/file-format.md). coach checks every field on loading.
schema_version = 1

[session]
id = "20261120-190409-4c978a"
created = 2026-11-20 19:04:09+00:00
mode = "private"
couple = "Sam & Alex"
coach_version = "0.1.0"
content_version = "1"
steps = [1, 2, 4, 5]
facilitated = true
skipped = ["s1.a.moment"]

[session.partners]
a = "Sam"
b = "Alex"

[[answers]]
prompt = "s1.a.greeted_warmly"
partner = "a"
value = 4
time = 2026-11-20 19:04:29+00:00

[facilitator]
homework = ["A daily check-in"]
"""


def test_a_file_saved_before_the_pathway_loads_as_a_full_session() -> None:
    session = session_from_text(OLD_FILE, "old.toml")
    assert session.length == "full"
    assert session.steps == [1, 2, 4, 5]
    assert session.answer_map() == {"s1.a.greeted_warmly": 4}
    # Saved again it keeps its shape: a full session writes no `length` key.
    assert "length" not in session_to_text(session)


def test_a_short_session_round_trips_and_drops_conflict_and_co_regulation() -> None:
    session = Session(
        "20261204-190409-abcdef", datetime(2026, 12, 4, tzinfo=UTC), {"a": "Sam", "b": "Alex"}
    )
    session.make_short()
    assert session.steps == [1, 2, 5]
    text = session_to_text(session)
    assert 'length = "short"' in text
    again = session_from_text(text, "short.toml")
    assert again.length == "short" and again.steps == [1, 2, 5]
