"""The private check in answer files: each partner's own, in their own file; today's plan as at a
terminal (coach.domain.pathway); and a disclosure that reads exactly as a short session (or a stop)
chosen for no reason, on standard output, standard error, the exit code, the saved file, the -o
file, the history and the index."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from journal_helpers import (
    Outcome,
    check_items,
    filled,
    invoke,
    normalise,
    saved_files,
    set_keys,
)

from coach.content.check_files import load_check, load_support

SUPPORT = load_support().scripted
DATE_LINE = re.compile(r"\w+day \d{2} \w+ \d{4}, \d{2}:\d{2}")


def partner_file(
    folder: Path, partner: str, today: str = "full", yes: tuple[str, ...] = (), **extra: Any
) -> Path:
    """A partner's own file, from the real template: their check (every item false but `yes`,
    and how much today) and their answers, the conflict and co-regulation steps included."""
    folder.mkdir(parents=True, exist_ok=True)
    values: dict[str, object] = {f"{partner}.{item}": item in yes for item in check_items()}
    values[f"{partner}.today"] = today
    text = set_keys(filled("--partner", partner), {**values, **extra})
    path = folder / f"{partner}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_in(
    home: Path, monkeypatch: pytest.MonkeyPatch, files: list[Path], *options: str
) -> Outcome:
    monkeypatch.setenv("COACH_HOME", str(home))
    answers = [arg for path in files for arg in ("--answers", str(path))]
    return invoke("run", *answers, *options)


def comparable(text: str, home: Path) -> str:
    return DATE_LINE.sub("<date>", normalise(text.replace(str(home), "<home>")))


def index_rows(home: Path) -> list[dict[str, object]]:
    """The index's rows without the columns that differ between any two runs (ids, times)."""
    path = home / "index.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as connection:
        cursor = connection.execute("SELECT * FROM sessions")
        names = [d[0] for d in cursor.description]
        varying = ("id", "ts", "path", "created", "finished", "mtime", "size", "file")
        keep = [i for i, n in enumerate(names) if not any(v in n for v in varying)]
        return [{names[i]: row[i] for i in keep} for row in cursor.fetchall()]


def everything_seen(
    home: Path, monkeypatch: pytest.MonkeyPatch, files: list[Path], *options: str
) -> dict[str, object]:
    """What anyone can see or find after a run: its three outcomes, the -o file, the saved
    session, the history, the list of files in the data directory, the index."""
    out = home.parent / f"{home.name}-out"
    outcome = run_in(home, monkeypatch, files, *options, "-o", str(out))
    printed = run_in(home.parent / f"{home.name}-printed", monkeypatch, files, *options)
    monkeypatch.setenv("COACH_HOME", str(home))
    history = invoke("history", "--format", "json")
    return {
        "code": outcome.code,
        "stdout": comparable(printed.stdout, home.parent / f"{home.name}-printed"),
        "stderr": comparable(outcome.stderr, home),
        "output": comparable(out.read_text(encoding="utf-8"), home) if out.exists() else None,
        "saved": [comparable(p.read_text(encoding="utf-8"), home) for p in saved_files(home)],
        "history": comparable(history.stdout, home),
        "files": sorted(normalise(str(p.relative_to(home))) for p in home.rglob("*")),
        "index": index_rows(home),
    }


@pytest.mark.parametrize(
    ("discloser", "yes", "output_format"),
    [
        ("a", ("afraid",), "json"),
        ("b", ("hurt", "monitored", "sexual"), "text"),
        ("a", ("leverage",), "toml"),
        ("b", ("asq_tried",), "json"),  # a self-harm yes, "not right now": a short session
    ],
)
def test_a_disclosure_reads_exactly_as_a_short_choice(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    discloser: str,
    yes: tuple[str, ...],
    output_format: str,
) -> None:
    other = "b" if discloser == "a" else "a"
    acuity = {f"{discloser}.{load_check().acuity.id}": False} if "asq_tried" in yes else {}
    told = [
        partner_file(tmp_path / "told", discloser, "full", yes, **acuity),
        partner_file(tmp_path / "told", other),
    ]
    chose = [
        partner_file(tmp_path / "chose", discloser, "short"),
        partner_file(tmp_path / "chose", other),
    ]
    options = ("--format", output_format)
    disclosed = everything_seen(tmp_path / "home-told", monkeypatch, told, *options)
    short = everything_seen(tmp_path / "home-chose", monkeypatch, chose, *options)
    assert disclosed == short
    assert disclosed["code"] == 0
    assert " ".join(str(disclosed["stderr"]).split()).startswith(SUPPORT)
    [saved] = disclosed["saved"]
    assert 'length = "short"' in str(saved)
    assert '"s3.' not in str(saved) and '"s4.' not in str(saved)  # given, and ignored silently
    for word in ("private check", "[check]", "disclos", "afraid", "asq_"):
        assert word not in str(disclosed["stdout"]) + str(disclosed["stderr"]) + str(saved)


def test_a_short_session_has_todays_steps_without_conflict_and_co_regulation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [partner_file(tmp_path, "a"), partner_file(tmp_path, "b", "short")]
    outcome = run_in(tmp_path / "home", monkeypatch, files, "--format", "json")
    assert outcome.code == 0, outcome.stderr
    assert outcome.json()["session"]["steps"] == [1, 2, 5]
    both_full = [partner_file(tmp_path / "f", "a"), partner_file(tmp_path / "f", "b")]
    full = run_in(tmp_path / "home", monkeypatch, both_full, "--format", "json")
    assert full.json()["session"]["steps"] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "reason",
    ["chose stop", "acute", "self-harm yes, acuity left out", "short with no step left"],
)
def test_a_stop_for_any_reason_saves_nothing_says_one_line_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reason: str
) -> None:
    acuity = load_check().acuity.id
    a_values: dict[str, Any] = {
        "chose stop": {"today": "stop"},
        "acute": {"yes": ("asq_thoughts",), acuity: True},
        "self-harm yes, acuity left out": {"yes": ("asq_wished_dead",)},
        "short with no step left": {"today": "short"},
    }[reason]
    today = a_values.pop("today", "full")
    yes = a_values.pop("yes", ())
    extra = {f"a.{k}": v for k, v in a_values.items()}
    folder = tmp_path / "files"
    files = [partner_file(folder, "a", today, yes, **extra), partner_file(folder, "b")]
    steps = ("--steps", "3,4") if reason.startswith("short") else ()
    if steps:  # both files for steps 3 and 4 only: a short session of them is empty
        for path in files:
            path.write_text(
                re.sub(r"^steps = .*$", "steps = [3, 4]", path.read_text(), flags=re.M).split(
                    "[answers]"
                )[0]
                + "[answers]\n",
                encoding="utf-8",
            )
    plain = [partner_file(tmp_path / "plain", "a", "stop"), partner_file(tmp_path / "plain", "b")]
    for output_format in ("text", "json", "toml"):
        seen = everything_seen(
            tmp_path / f"h-{output_format}", monkeypatch, files, "-f", output_format
        )
        stop = everything_seen(
            tmp_path / f"p-{output_format}", monkeypatch, plain, "-f", output_format
        )
        assert seen == stop, output_format
        assert seen["code"] == 0 and seen["saved"] == [] and seen["index"] == []
        assert "One of you chose to stop for today." in str(seen["stdout"])
        assert seen["stdout"] == seen["output"]  # -o holds what standard output would
    document = json.loads(
        str(everything_seen(tmp_path / "j", monkeypatch, files, "-f", "json")["stdout"])
    )
    assert document["stopped"] is True and document["session"] is None


def test_the_support_line_is_the_same_on_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = {
        "full": ("full", ()),
        "short": ("short", ()),
        "disclosed": ("full", ("threatened",)),
        "stop": ("stop", ()),
        "suicidal": ("full", ("asq_thoughts",)),
    }
    seen = set()
    for name, (today, yes) in runs.items():
        files = [partner_file(tmp_path / name, "a", today, yes), partner_file(tmp_path / name, "b")]
        outcome = run_in(tmp_path / f"home-{name}", monkeypatch, files, "--format", "json")
        assert outcome.code == 0, outcome.stderr
        seen.add(outcome.stderr)
    [line] = seen
    assert " ".join(line.split()) == SUPPORT


def test_each_partners_check_comes_from_their_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sam = partner_file(tmp_path, "a")
    alex = partner_file(tmp_path, "b")
    # Sam's file also says how much Alex would do today (and Alex's own file does not).
    alex.write_text(alex.read_text().replace('"b.today" = "full"\n', ""), encoding="utf-8")
    sam.write_text(sam.read_text() + '\n[check.b]\ntoday = "full"\n', encoding="utf-8")
    outcome = run_in(tmp_path / "home", monkeypatch, [sam, alex])
    assert outcome.code == 1, outcome.stderr
    line = next(x for x in outcome.stderr.splitlines() if "check.b" in x and str(sam) in x)
    assert "partner b's check is in a file with partner a's answers" in line
    assert "each partner's check comes from their own file" in line
    assert saved_files(tmp_path / "home") == []


def test_a_file_with_both_checks_is_refused_beside_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    both = tmp_path / "both.toml"
    both.write_text(filled(), encoding="utf-8")  # one file for both, both checks added
    extra = tmp_path / "extra.toml"
    extra.write_text('couple = "Sam & Alex"\n', encoding="utf-8")
    outcome = run_in(tmp_path / "home", monkeypatch, [both, extra])
    assert outcome.code == 1
    assert re.search(
        rf"{re.escape(str(both))}:\d+: check: this file holds both partners' checks", outcome.stderr
    )
    alone = run_in(tmp_path / "home", monkeypatch, [both])  # one file may hold both (coach demo)
    assert alone.code == 0, alone.stderr


def test_a_file_for_both_and_each_partners_check_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "answers.toml"
    shared.write_text(filled(check=False), encoding="utf-8")
    checks = []
    for partner in "ab":
        outcome = invoke("template", "--partner", partner, "--check-only")
        values = {f"{partner}.{item}": False for item in check_items()}
        path = tmp_path / f"{partner}-check.toml"
        path.write_text(set_keys(outcome.stdout, {**values, f"{partner}.today": "full"}))
        checks.append(path)
    outcome = run_in(tmp_path / "home", monkeypatch, [shared, *checks], "--format", "json")
    assert outcome.code == 0, outcome.stderr
    assert outcome.json()["session"]["steps"] == [1, 2, 3, 4, 5]


def test_the_old_safety_table_is_refused_in_one_line_naming_the_new_keys(tmp_path: Path) -> None:
    old = filled(check=False) + '\n[safety]\n"a.feel_safe" = true\n"b.feel_safe" = true\n'
    path = tmp_path / "old.toml"
    path.write_text(old, encoding="utf-8")
    outcome = invoke("run", "--answers", str(path))
    assert outcome.code == 1
    [line] = outcome.stderr.splitlines()
    number = old.splitlines().index("[safety]") + 1
    assert line.startswith(f"coach: {path}:{number}: safety: the [safety] table is no longer read")
    assert (
        '[check] "a.hurt", "a.afraid"' in line and '"a.today" = "full", "short" or "stop"' in line
    )


def test_a_file_without_the_check_is_refused_in_one_line_naming_the_new_keys(
    tmp_path: Path,
) -> None:
    path = tmp_path / "no-check.toml"
    path.write_text(filled(check=False), encoding="utf-8")
    outcome = invoke("run", "--answers", str(path))
    assert outcome.code == 1
    [line] = outcome.stderr.splitlines()
    assert line.startswith(f"coach: {path}: check: both partners' private check is missing")
    assert '"a.hurt"' in line and '"a.today"' in line and "coach template --partner a" in line
    empty = tmp_path / "empty-check.toml"
    text = filled(check=False) + "\n[check]\n"
    empty.write_text(text, encoding="utf-8")
    [line] = invoke("run", "--answers", str(empty)).stderr.splitlines()
    assert line.startswith(f"coach: {empty}:{len(text.splitlines())}: check: both partners'")


def test_a_partial_check_names_each_key_left_out_with_its_line(tmp_path: Path) -> None:
    path = partner_file(tmp_path, "a", **{"a.afraid": ""})
    outcome = invoke("run", "--answers", str(path), "--answers", str(partner_file(tmp_path, "b")))
    assert outcome.code == 1
    number = path.read_text().splitlines().index('"a.afraid" = ""') + 1
    assert f"{path}:{number}: check.a.afraid: not answered yet: expected true or false" in (
        outcome.stderr
    )


@pytest.mark.parametrize("key", ["s1.a.moment", "s5.b.do_again"])
def test_withheld_free_text_looks_like_an_optional_answer_left_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    """A flagged text defaults to not shared; in a script nobody can be asked, so it is withheld,
    and the run reads as one where that question was left empty: same plan, same line."""
    partner = key.split(".")[1]
    other = "b" if partner == "a" else "a"
    text = "Sometimes I want to kill myself"
    told = [
        partner_file(tmp_path / "t", partner, **{key: text}),
        partner_file(tmp_path / "t", other),
    ]
    empty = [partner_file(tmp_path / "e", partner), partner_file(tmp_path / "e", other)]
    for path in empty:  # the question left empty: the optional key commented out again
        path.write_text(
            re.sub(rf'^"{re.escape(key)}" = .*$', f'# "{key}" = ""', path.read_text(), flags=re.M),
            encoding="utf-8",
        )
    for output_format in ("json", "text"):
        seen = everything_seen(
            tmp_path / f"t-{output_format}", monkeypatch, told, "-f", output_format
        )
        unsaid = everything_seen(
            tmp_path / f"e-{output_format}", monkeypatch, empty, "-f", output_format
        )
        assert seen == unsaid
        assert '"s3.' in str(seen["saved"])  # a text never changes the plan
    # Nowhere but its writer's own answer file: not in any output, saved file or index.
    written = [p for p in tmp_path.rglob("*") if p.is_file() and b"kill myself" in p.read_bytes()]
    assert written == [told[0]]


def test_a_clinician_measure_is_answered_in_the_check_and_counts_as_a_disclosure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    measure = """name = "Example screen"
citation = "Author et al. 2001"
permission = "Licensed to the clinic for use with its clients"
cutoff = 2

[[item]]
id = "q1"
text = "In the past year, has {other} frightened you?"
answers = ["Never", "Sometimes", "Often"]
"""
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "no-measures"))
    no_measure = [partner_file(tmp_path / "plain", "a"), partner_file(tmp_path / "plain", "b")]
    seen = {}
    for name, score in (("positive", 3), ("negative", 1)):
        home = tmp_path / f"home-{name}"
        (home / "measures").mkdir(parents=True)
        (home / "measures" / "screen.toml").write_text(measure, encoding="utf-8")
        monkeypatch.setenv("COACH_HOME", str(home))
        template = invoke("template", "--partner", "a")
        assert '"a.screen.q1" = ""' in template.stdout
        folder = tmp_path / name
        files = [partner_file(folder, "a", **{"a.screen.q1": score}), partner_file(folder, "b")]
        outcome = run_in(home, monkeypatch, files, "--format", "json", "--no-save")
        assert outcome.code == 0, outcome.stderr
        seen[name] = outcome.json()["session"]["steps"]
    assert seen == {"positive": [1, 2, 5], "negative": [1, 2, 3, 4, 5]}
    outcome = run_in(tmp_path / "home-negative", monkeypatch, no_measure)
    assert outcome.code == 1 and "check.a.screen.q1: missing required answer" in outcome.stderr


def test_an_incomplete_check_asks_for_the_same_answers_whatever_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until both checks are complete, only the "how much today" choices say which answers are
    needed: a run fails with the same problems whether or not the half-filled check discloses,
    and asks at once for the conflict step's answers a full session will need."""
    seen = []
    for afraid in (True, False):
        folder = tmp_path / str(afraid)
        sam = partner_file(folder, "a", **{"a.afraid": afraid, "a.hurt": ""})
        text = re.sub(r'^"s3\.a\.soft_startup" = .*\n', "", sam.read_text(), flags=re.M)
        sam.write_text(text, encoding="utf-8")
        outcome = run_in(tmp_path / "home", monkeypatch, [sam, partner_file(folder, "b")])
        assert outcome.code == 1
        seen.append(outcome.stderr.replace(str(folder), "<folder>"))
    assert seen[0] == seen[1]
    assert "check.a.hurt: not answered yet" in seen[0]
    assert "answers.s3.a.soft_startup: missing required answer" in seen[0]
