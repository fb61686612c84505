"""What the couple sees together (issue 21): readings in words, never a score or a percentage;
an overview first; "the same way" only for readings both partners share and not neutrally;
CSI-4 totals only with both partners' yes; the facilitator's notes only in the facilitator's
own views."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from coach_process import invoke_checked
from test_exports import NOTE, export_to, finished_session

from coach.content import TARGETS, Content
from coach.domain.finish import stored_inference
from coach.domain.readings import direction, rests_on, short_words, strength
from coach.render.export.markdown import session_markdown
from coach.render.html.session_page import session_page
from coach.render.overview import overview_lines, shared, where_one_is
from coach.render.summary import agreement, plain_summary
from coach.rules import Inference, TargetResult
from coach.store import files

TWO_DECIMALS = re.compile(r"[+\-\u2212]?\d\.\d\d")
PERCENT = re.compile(r"\d\s*%")


def result(target: str, score: float, confidence: float = 1.0) -> TargetResult:
    label = "up" if score >= 0.2 else "down" if score <= -0.2 else "little sign either way"
    return TargetResult(target, score, confidence, label, None, ())


def inference_of(a: dict[str, float], b: dict[str, float]) -> Inference:
    scopes = {
        "a": {t: result(t, a.get(t, 0.0)) for t in TARGETS},
        "b": {t: result(t, b.get(t, 0.0)) for t in TARGETS},
    }
    couple = {t: result(t, (a.get(t, 0.0) + b.get(t, 0.0)) / 2) for t in TARGETS}
    return Inference("test", "1", couple, scopes["a"], scopes["b"], frozenset())


@pytest.mark.parametrize(
    ("score", "words", "short"),
    [
        (0.0, "little sign either way", "little sign"),
        (0.19, "little sign either way", "little sign"),
        (-0.19, "little sign either way", "little sign"),
        (0.2, "a slight lean", "slightly toward"),
        (-0.49, "a slight lean", "slightly the other way"),
        (0.5, "a clear pattern", "clearly toward"),
        (-0.9, "a clear pattern", "clearly the other way"),
    ],
)
def test_a_score_in_words(score: float, words: str, short: str) -> None:
    assert strength(score) == words
    assert short_words(score) == short


@pytest.mark.parametrize(
    ("confidence", "words"),
    [
        (1.0, "all of your answers behind it"),
        (0.75, "most of your answers behind it"),
        (0.5, "some of your answers behind it"),
        (0.25, "a few answers"),
        (0.0, "no answers"),
    ],
)
def test_what_a_reading_rests_on_in_words(confidence: float, words: str) -> None:
    assert rests_on(confidence) == words


def test_the_same_way_means_the_same_reading_and_not_neutral() -> None:
    inference = inference_of(
        {"oxytocin": 0.6, "dopamine": 0.1, "amygdala": -0.3, "insula": 0.9, "serotonin": 0.25},
        {"oxytocin": 0.25, "dopamine": 0.1, "amygdala": -0.7, "insula": -0.5, "serotonin": 0.1},
    )
    up, down = shared(inference)
    assert up == ["oxytocin"]  # a clear pattern and a slight lean still point the same way
    assert down == ["amygdala"]
    agree, differ = agreement(inference)
    assert agree == ["oxytocin", "amygdala"]
    # Two "little sign either way" readings (dopamine, and all the zeros) are never shared.
    assert "dopamine" not in agree and "vasopressin" not in agree
    assert "insula" in differ and "oxytocin" not in differ


def test_each_partner_is_said_where_they_are_in_words(content: Content) -> None:
    inference = inference_of({"oxytocin": 0.6, "amygdala": -0.3}, {})
    assert where_one_is(inference.a, content) == [
        "Toward a secure pattern: clearly in Oxytocin.",
        "The other way: slightly in Amygdala. Little sign either way in the other 8.",
    ]
    assert where_one_is(inference.b, content) == ["Little sign either way in any reading."]
    both = inference_of({"oxytocin": 0.6, "amygdala": -0.3}, {"oxytocin": 0.3, "amygdala": -0.9})
    rows = dict(overview_lines({"a": "Sam", "b": "Alex"}, both, content, []))
    assert rows["Both of you"] == [
        "Toward a secure pattern in Oxytocin; the other way in Amygdala."
    ]
    assert "To try" not in rows  # no exercises, no row
    assert direction(0.2) == 1 and direction(-0.2) == -1 and direction(0.1) == 0


def couple_facing(session_text: str) -> None:
    session_text = re.sub(r"doi:\S+", "", session_text)  # a citation's DOI is not a score
    assert not TWO_DECIMALS.search(session_text), TWO_DECIMALS.search(session_text)
    assert not PERCENT.search(session_text), PERCENT.search(session_text)


def test_no_score_or_percentage_in_what_the_couple_reads(content: Content) -> None:
    session = finished_session(content)
    inference = stored_inference(session)
    text = plain_summary(session, inference, content, width=80)
    couple_facing(text)
    couple_facing(session_markdown(session, inference, content))
    page = session_page(session, inference, content)
    couple_facing(re.sub(r"<(svg|style)\b.*?</\1>", "", page, flags=re.S))
    # The overview comes first, then the details.
    assert text.index("Both of you") < text.index("The details") < text.index("Why")
    assert "To try" in text.split("The details")[0]


def saved_without_consent(content: Content, **shared: bool) -> str:
    session = finished_session(content)
    session.checkin_shared = dict(shared)
    files.save_session(session)
    return session.id


@pytest.mark.parametrize("shared", [{}, {"a": True}, {"a": True, "b": False}])
def test_without_both_partners_yes_no_couple_view_holds_a_total(
    content: Content, coach_home: Path, tmp_path: Path, shared: dict[str, bool]
) -> None:
    session_id = saved_without_consent(content, **shared)
    totals = ("12 of 21", "16 of 21", "15 of 21")  # a: 3 x 4 items, b: 4 x 4 items
    shown = invoke_checked("show", session_id).stdout
    assert "stay private" in " ".join(shown.split())
    assert not any(t in shown for t in totals)
    for fmt in ("md", "html", "svg"):
        _, text = export_to(tmp_path, session_id, suffix=fmt)
        assert not any(t in text for t in totals), fmt
        assert "CSI-4 A" not in text or "| 12 |" not in text, fmt
    document = invoke_checked("show", session_id, "--format", "json").json()
    assert document["checkin"]["a"] == {"total": None, "items": None, "hidden": True}
    assert document["checkin"]["b"] == {"total": None, "items": None, "hidden": True}
    exported = json.loads(export_to(tmp_path, session_id, suffix="json")[1])
    assert exported["checkin"]["a"]["hidden"] is True
    assert document["checkin"]["shared"] is False  # never which partner said no
    toml = invoke_checked("show", session_id, "--format", "toml").stdout
    assert "happiness" not in toml and "[checkin" not in toml
    trends = invoke_checked("trends", "--couple", "Marisol & Teodor", "--format", "json").json()
    withheld = {"a": None, "b": None, "hidden": {"a": True, "b": True}}  # not "no check-in"
    assert trends["points"] and all(point["csi4"] == withheld for point in trends["points"])
    history = invoke_checked("history", "--format", "json").json()
    assert [row["csi4"] for row in history["sessions"]] == [withheld]
    couples = invoke_checked("couples", "--format", "json").json()
    assert all(not c["csi4_latest"] for c in couples["couples"])
    report = json.loads(export_to(tmp_path, "--couple", "Marisol & Teodor", suffix="json")[1])
    assert report["sessions"] and all(row["csi4"] == withheld for row in report["sessions"])
    _, report_md = export_to(tmp_path, "--couple", "Marisol & Teodor", suffix="md")
    assert "| 12 |" not in report_md and "| 16 |" not in report_md


def test_a_session_without_a_check_in_is_not_called_hidden(
    content: Content, coach_home: Path, tmp_path: Path
) -> None:
    session = finished_session(content)
    session.checkin = {}
    files.save_session(session)
    none = {"a": None, "b": None, "hidden": {"a": False, "b": False}}
    history = invoke_checked("history", "--format", "json").json()
    assert [row["csi4"] for row in history["sessions"]] == [none]
    trends = invoke_checked("trends", "--couple", "Marisol & Teodor", "--format", "json").json()
    assert [point["csi4"] for point in trends["points"]] == [none]
    report = json.loads(export_to(tmp_path, "--couple", "Marisol & Teodor", suffix="json")[1])
    assert [row["csi4"] for row in report["sessions"]] == [none]


def test_the_facilitators_own_view_holds_both_totals_and_the_notes(
    content: Content, coach_home: Path
) -> None:
    session_id = saved_without_consent(content, a=True, b=False)
    couple = invoke_checked("show", session_id).stdout
    assert NOTE not in " ".join(couple.split())
    own = " ".join(invoke_checked("show", session_id, "--facilitator").stdout.split())
    assert "Marisol: 12 of 21" in own and "Teodor: 16 of 21" in own
    assert NOTE in own
    document = invoke_checked("show", session_id, "--format", "json", "--facilitator").json()
    assert document["checkin"]["a"]["total"] == 12
    assert document["session"]["notes"] == {"1": NOTE}


def test_with_both_partners_yes_the_totals_are_shown(content: Content, coach_home: Path) -> None:
    session_id = saved_without_consent(content, a=True, b=True)
    shown = " ".join(invoke_checked("show", session_id).stdout.split())
    assert "Marisol: 12 of 21" in shown and "Teodor: 16 of 21" in shown


def test_an_older_file_without_the_consent_reads_as_not_shared(
    content: Content, coach_home: Path
) -> None:
    session_id = saved_without_consent(content, a=True, b=True)
    path = files.session_path(session_id)
    text = path.read_text(encoding="utf-8")
    older = re.sub(r"\n\[checkin\.shared\]\n(?:[ab] = \w+\n)+", "\n", text)
    assert older != text
    path.write_text(older, encoding="utf-8")
    loaded = files.load_session(path)
    assert loaded.checkin_shared == {} and not loaded.checkin_shown_to_both
    assert loaded.checkin_total("a") == 12  # the answers are all still there
    assert "stay private" in " ".join(invoke_checked("show", session_id).stdout.split())


def test_notes_are_added_from_standard_input_never_from_arguments(
    content: Content, coach_home: Path
) -> None:
    session_id = saved_without_consent(content)
    added = invoke_checked("notes", session_id, "--step", "2", stdin="Quiet about money\n")
    assert "Added the facilitator's note for step 2" in added.stdout
    invoke_checked("notes", session_id, "--step", "2", stdin="Follow up next week\n")
    notes = files.load_session(files.session_path(session_id)).notes
    assert notes[2] == "Quiet about money\n\nFollow up next week"
    invoke_checked("notes", session_id, "--step", "2", "--replace", stdin="Only this\n")
    assert files.load_session(files.session_path(session_id)).notes[2] == "Only this"
    empty = invoke_checked("notes", session_id, "--step", "2", stdin="", code=2)
    assert "nothing changed" in empty.stderr
    extra = invoke_checked("notes", session_id, "--step", "2", "a note as argument", code=2)
    assert "a note as argument" not in extra.stdout
    assert "Only this" not in " ".join(invoke_checked("show", session_id).stdout.split())


def test_notes_keep_an_encrypted_store_encrypted(content: Content, coach_home: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
    from vault_helpers import every_file, install, make_identity

    install(make_identity())
    session_id = saved_without_consent(content)
    invoke_checked("notes", session_id, "--step", "3", stdin="A private observation\n")
    for path in every_file(coach_home):
        assert b"A private observation" not in path.read_bytes(), path
    loaded = files.load_session(files.session_path(session_id))
    assert loaded.notes[3] == "A private observation"


@pytest.mark.parametrize("seed", range(40))
def test_the_overview_fits_one_80x24_screen_whatever_the_readings(
    content: Content, seed: int
) -> None:
    import io
    import random

    from rich.console import Console

    from coach.render.overview import overview_panel

    rng = random.Random(seed)
    levels = (-0.9, -0.3, 0.0, 0.3, 0.9)
    inference = inference_of(
        {t: rng.choice(levels) for t in TARGETS}, {t: rng.choice(levels) for t in TARGETS}
    )
    session = finished_session(content)
    session.partners = {"a": "Maximiliana-Josefine", "b": "Bartholomew Alexander"}
    session.couple = "The couple from the Riverside practice"
    exercises = content.exercises[:3]
    console = Console(file=io.StringIO(), width=80, no_color=True)
    console.print(overview_panel(session, inference, content, exercises, 80))
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert len(lines) <= 23, "\n".join(lines)  # less keeps the 24th line for its prompt


def test_at_40_columns_the_overview_shows_its_date_whole_and_fits_40x30(content: Content) -> None:
    """A panel title is cut to the panel's width: at 40 columns the date in it read
    "Wednesday 30 Sept" before. Narrow, the date goes under the names, whole."""
    import io
    from datetime import UTC, datetime

    from rich.console import Console

    from coach.render.overview import overview_panel

    session = finished_session(content)
    session.created = datetime(2026, 9, 30, 20, 30, tzinfo=UTC)
    session.partners = {"a": "Maximiliana-Josefine", "b": "Bartholomew Alexander"}
    inference = inference_of({t: -0.3 for t in TARGETS}, {t: 0.3 for t in TARGETS})
    console = Console(file=io.StringIO(), width=40, no_color=True)
    console.print(overview_panel(session, inference, content, content.exercises[:3], 40))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Wednesday 30 September 2026, 20:30" in " ".join(text.split())
    assert len(text.splitlines()) <= 29, text  # less keeps the 30th line for its prompt
