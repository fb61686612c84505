"""`coach history`, `list`, `trends` and `reindex` on generated sessions, piped and in a pty."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pexpect
import pytest
from coach_process import Outcome, invoke_checked, spawn_coach

from coach.content import TARGETS

ROOT = Path(__file__).resolve().parents[2]

COUNT = 60
ROW = re.compile(r"^(\d{8}-\d{6}-[0-9a-f]{6})  (\d{4}-\d\d-\d\d \d\d:\d\d)  ")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 finished sessions of two couples, written once for the module."""
    home = tmp_path_factory.mktemp("generated")
    options = ["--count", str(COUNT), "--couples", "2", "--seed", "11", "--jobs", "1"]
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_sessions.py"), *options, "--home", str(home)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return home


@pytest.fixture
def home(generated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COACH_HOME", str(generated))
    return generated


def coach(*args: str, code: int = 0) -> Outcome:
    """`coach ARGS` in-process, its output piped (not a terminal); the terminal's own table
    and chart are tested through a pseudo-terminal below."""
    return invoke_checked(*args, code=code)


def rows(output: str) -> list[tuple[str, datetime]]:
    found = [ROW.match(line) for line in output.splitlines()]
    return [(m.group(1), datetime.fromisoformat(m.group(2))) for m in found if m]


def couples(home: Path) -> list[str]:
    points = json.loads(coach("trends", "--format", "json", "--all").stdout)["points"]
    return sorted({point["couple"] for point in points})


def test_history_lists_the_newest_50_with_headlines(home: Path) -> None:
    result = coach("history")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "DATE", "COUPLE", "PARTNERS", "STATUS", "HEADLINE"]
    listed = rows(result.stdout)
    assert len(listed) == 50
    assert [r[0] for r in listed] != sorted(r[0] for r in listed)  # newest first, not by id
    assert all("finished" in line and "highest" in line for line in lines[1:])
    assert "--all shows every one" in result.stderr  # notes stay out of the piped listing
    assert "\x1b[" not in result.stdout


def test_history_limit_all_and_list(home: Path) -> None:
    assert len(rows(coach("history", "--limit", "5").stdout)) == 5
    everything = coach("history", "--all")
    assert len(rows(everything.stdout)) == COUNT and everything.stderr == ""
    assert len(rows(coach("list", "--limit", "3").stdout)) == 3
    assert len(rows(coach("list", "--all", "--status", "finished").stdout)) == COUNT


def test_history_filters(home: Path) -> None:
    first, second = couples(home)
    mine = coach("history", "--all", "--couple", first.upper()).stdout
    assert len(rows(mine)) > 0 and second not in mine
    assert (
        len(rows(mine)) + len(rows(coach("history", "--all", "--couple", second).stdout)) == COUNT
    )
    none = coach("history", "--status", "draft")
    assert rows(none.stdout) == [] and "No sessions match" in none.stderr

    dates = sorted(when.date() for _, when in rows(coach("history", "--all").stdout))
    middle = dates[len(dates) // 2]
    since = rows(coach("history", "--all", "--since", middle.isoformat()).stdout)
    until = rows(coach("history", "--all", "--until", middle.isoformat()).stdout)
    assert all(when.date() >= middle for _, when in since)
    assert all(when.date() <= middle for _, when in until)
    assert len(since) + len(until) >= COUNT  # the middle day is in both


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01"], "--since takes a date like 2026-11-25"),
        (["--since", "2026-02-01", "--until", "2026-01-01"], "is after --until"),
        (["--status", "finshed"], 'did you mean "finished"'),
    ],
)
def test_history_usage_errors(home: Path, args: list[str], message: str) -> None:
    assert message in coach("history", *args, code=2).stderr


def test_trends_json_and_csv(home: Path) -> None:
    document = json.loads(coach("trends", "--format", "json").stdout)
    assert document["targets"] == list(TARGETS)
    assert document["csi4"] == {"max": 21, "reference_point": 13.5}
    points = document["points"]
    assert len(points) == 50
    created = [datetime.fromisoformat(p["created"]) for p in points]
    assert created == sorted(created)  # oldest first
    assert all(-1 <= p["scores"]["oxytocin"] <= 1 for p in points)
    assert any(p["csi4"]["a"] is not None for p in points)

    first = couples(home)[0]
    chosen = coach(
        "trends", "-f", "json", "--all", "--couple", first, "-t", "insula", "-t", "amygdala"
    )
    mine = json.loads(chosen.stdout)
    assert {p["couple"] for p in mine["points"]} == {first}
    assert all(list(p["scores"]) == ["insula", "amygdala"] for p in mine["points"])

    table = list(csv.reader(io.StringIO(coach("trends", "-f", "csv", "-t", "dopamine").stdout)))
    assert table[0] == ["created", "session", "couple", "dopamine", "csi4_a", "csi4_b"]
    assert len(table) == 51
    assert all(-1 <= float(row[3]) <= 1 for row in table[1:])


def test_unknown_target_suggests_and_exits_2(home: Path) -> None:
    result = coach("trends", "--target", "oxytocine", code=2)
    assert 'unknown target "oxytocine" (did you mean "oxytocin"?)' in result.stderr
    assert 'did you mean "json"' in coach("trends", "-f", "jsn", code=2).stderr


def test_chart_degrades_to_a_table_when_piped(home: Path) -> None:
    result = coach("trends", "--limit", "4", "-t", "oxytocin")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["DATE", "SESSION", "COUPLE", "oxytocin", "CSI-4", "A", "CSI-4", "B"]
    assert len(lines) == 5


def pty_run(args: list[str], home: Path, columns: int) -> tuple[str, int]:
    # The output is under test, not the pager.
    child = spawn_coach(
        args,
        home,
        columns=columns,
        lines=50,
        env_extra={"COACH_NO_PAGER": "1"},
        timeout=30,
        drop=("COACH_",),
    )
    child.expect(pexpect.EOF)
    child.close()
    return ANSI.sub("", child.before), int(child.exitstatus or 0)


def test_chart_in_a_terminal(home: Path) -> None:
    first = couples(home)[0]
    args = ["trends", "--couple", first, "-t", "oxytocin", "-t", "amygdala"]
    output, status = pty_run(args, home, 100)
    assert status == 0
    assert f"Couple scores over time: {first}" in output
    assert "CSI-4 check-in totals" in output and "reference point 13.5" in output
    assert "━━ Oxytocin" in output and "━━ Amygdala" in output
    assert "┤" in output and "└┬" in output  # axes of a drawn chart
    assert "not therapy" in output

    narrow, _ = pty_run(args, home, 50)
    assert "A chart needs 60 columns; here is a table." in narrow
    assert "Couple scores over time" not in narrow

    several, status = pty_run(["trends"], home, 100)
    assert status == 2 and "choose with --couple" in several


def test_history_in_a_terminal_is_a_table(home: Path) -> None:
    output, status = pty_run(["history", "--limit", "3"], home, 140)
    assert status == 0
    assert re.search(r"ID\s+Date\s+Couple\s+Partners\s+Status\s+Headline", output)
    assert output.count("finished") == 3
    assert "Showing the newest 3 sessions" in output


@pytest.mark.parametrize("columns", [80, 40])
def test_history_in_a_narrow_terminal_shows_every_session_whole(home: Path, columns: int) -> None:
    """Below 110 columns a table would squeeze the couple to a few letters: each session is a
    block instead, with nothing cut."""
    output, status = pty_run(["history", "--limit", "3"], home, columns)
    assert status == 0
    assert "…" not in output and "Headline" not in output  # no squeezed table
    flat = " ".join(output.split())
    for session in coach("history", "--limit", "3", "--format", "json").json()["sessions"]:
        partners = f"{session['partners']['a']} & {session['partners']['b']}"
        assert f"{session['couple']} · {partners}" in flat
        assert session["headline"] in flat and session["id"] in flat


def test_a_damaged_file_is_named_and_skipped(home: Path, tmp_path: Path) -> None:
    damaged = home / "sessions" / "20990101-000000-bad000.toml"
    damaged.write_text('schema_version = 1\n[session\nid = "oops"\n', encoding="utf-8")
    try:
        result = coach("history", "--all")
        assert f"skipped unreadable session file {damaged}" in result.stderr
        assert len(rows(result.stdout)) == COUNT
        rebuilt = coach("reindex")
        assert str(damaged) in rebuilt.stderr
        assert rebuilt.stdout.strip() == f"Indexed {COUNT} sessions; skipped 1 unreadable."
        trends = coach("trends", "-f", "json", "--all")
        assert str(damaged) in trends.stderr
        assert len(json.loads(trends.stdout)["points"]) == COUNT
    finally:
        damaged.unlink()
    assert coach("reindex").stdout.strip() == f"Indexed {COUNT} sessions."


def test_empty_home(coach_home: Path) -> None:
    assert coach("reindex").stdout.strip() == "Indexed 0 sessions."
    assert "No sessions match" in coach("history").stderr
    assert json.loads(coach("trends", "-f", "json").stdout)["points"] == []
    assert "No finished sessions" in coach("trends").stderr
    assert "No finished sessions for the couple" in coach("trends", "--couple", "x").stderr
