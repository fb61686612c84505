"""A short session's reflection reads the couple together and labels neither partner."""

from __future__ import annotations

from coach.app.sessions import demo_session
from coach.content import load_content
from coach.domain.finish import finish_session
from coach.render.summary import plain_summary
from coach.rules import load_pack


def reflection(short: bool) -> str:
    content = load_content()
    session = demo_session(content)  # Sam and Alex, every step answered, a CSI-4 check-in
    session.checkin = {
        "a": {"happiness": 4, "warm_comfortable": 3, "rewarding": 3, "satisfied": 3},
        "b": {"happiness": 1, "warm_comfortable": 1, "rewarding": 1, "satisfied": 1},
    }
    if short:
        session.make_short()
    inference = finish_session(session, content, load_pack(None, content))
    return " ".join(plain_summary(session, inference, content, width=100).split())


def test_a_full_session_names_who_is_where() -> None:
    text = reflection(short=False)
    assert "Where your answers point different ways" in text
    assert "Sam, " in text or "Alex, " in text  # whose answers a reason read
    overview = text.split("The details")[0]
    assert "│ Sam Toward" in overview and "│ Alex Toward" in overview  # a row for each partner


def test_a_short_session_labels_neither_partner() -> None:
    text = reflection(short=True)
    overview = text.split("The details")[0]
    assert "Both of you" in overview
    assert "Sam Toward" not in overview and "Alex Toward" not in overview  # no row for either
    assert "Steps covered: 1 Warm engagement, 2 Reciprocation, 5 Repetition" in text
    assert "reads your answers together and labels neither of you" in text
    assert "point different ways" not in text
    assert "likely more reactive" not in text.split("What your answers suggest")[0]
    body = text.split("What your answers suggest, together")[1].split("In your own words")[0]
    for name in ("Sam", "Alex"):
        assert f"{name}, " not in body  # no reason says whose answers it read
        assert f"{name} likely" not in body
    assert "of 21" not in text  # no CSI-4 total by name
