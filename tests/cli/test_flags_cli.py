"""coach flags and coach flags close; coach vault init --country."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from coach_process import invoke_checked

from coach.store.flags import add_flag
from coach.store.settings import saved_country

WHEN = datetime(2026, 12, 4, 19, 30, tzinfo=UTC)


def test_no_flags_yet(coach_home: Path) -> None:
    assert invoke_checked("flags").stdout == "No open flags.\n"


def test_open_flags_are_listed_and_one_is_closed_by_a_prefix(coach_home: Path) -> None:
    first = add_flag("Sam & Alex", WHEN)
    second = add_flag("Riverside", WHEN)
    listed = invoke_checked("flags").stdout.splitlines()
    assert listed == [
        f"{first.id}  2026-12-04 19:30  Sam & Alex: follow up individually",
        f"{second.id}  2026-12-04 19:30  Riverside: follow up individually",
    ]
    assert invoke_checked("flags", "close", first.id).stdout == f"Closed {first.id}.\n"
    assert invoke_checked("flags").stdout.splitlines() == [listed[1]]


def test_closing_an_unknown_flag_is_one_line_and_exit_1(coach_home: Path) -> None:
    out = invoke_checked("flags", "close", "nope", code=1)
    assert out.stderr == 'coach: flag "nope" is not an open flag; open flags: none\n'


def test_init_saves_the_country_whose_lines_come_first(coach_home: Path) -> None:
    invoke_checked("vault", "init", "--country", "gb-sct")
    assert saved_country() == "GB-SCT"
    out = invoke_checked("vault", "init", "--country", "Scotland!", code=2)
    assert "--country takes a country code such as GB, US or GB-SCT" in out.stderr


def test_a_bad_measure_file_is_one_line_before_any_question(coach_home: Path) -> None:
    folder = coach_home / "measures"
    folder.mkdir(parents=True)
    (folder / "screen.toml").write_text('name = "x"\ncutoff = "high"\n', encoding="utf-8")
    out = invoke_checked("start", "--a", "Sam", "--b", "Alex", code=1)
    assert out.stderr == "coach: measures/screen.toml: item: needs one or more [[item]] tables\n"
    assert out.stdout == ""
