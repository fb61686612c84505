"""A therapist's caseload: couples listed with their sessions and CSI-4, labels that match in any
order and case, renaming a couple and deleting one."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, timedelta
from pathlib import Path

import jsonschema
import pexpect
import pytest
from coach_process import Outcome, invoke_checked
from store_helpers import WHEN, SessionFactory
from vault_helpers import install, make_identity

from coach.app.couples import summarize
from coach.base.errors import NotFoundError
from coach.content import Content
from coach.domain.labels import couple_key, same_couple
from coach.domain.session import Session
from coach.store import caseload, crypto, files, index


def coach(*args: str, code: int = 0) -> Outcome:
    return invoke_checked(*args, code=code)


def with_csi(session: Session, content: Content, a: int | None, b: int | None) -> Session:
    """The session with CSI-4 totals a and b (None: that partner skipped the check-in)."""
    items = [item.id for item in content.checkin.items]

    def answers(total: int) -> dict[str, int]:
        first = min(total, 6)  # item 1 goes to 6, the others to 5
        rest = total - first
        return {
            item: (first if n == 0 else rest // 3 + (n <= rest % 3)) for n, item in enumerate(items)
        }

    checkin = {p: answers(t) for p, t in (("a", a), ("b", b)) if t is not None}
    return dataclasses.replace(session, checkin=checkin, checkin_shared={"a": True, "b": True})


@pytest.fixture
def caseload_of_two(make_session: SessionFactory, content: Content) -> list[Session]:
    """Sam & Alex: five sessions (one a draft), labelled in different orders and cases, with
    CSI-4 rising; Jordan & Riley: one session without a check-in."""
    saved: list[Session] = []
    labels = ["Sam & Alex", "alex & sam", "Alex & Sam", "SAM &  alex", "Sam & Alex"]
    for day, (label, (a, b)) in enumerate(
        zip(labels, [(8, 9), (10, 9), (12, 13), (14, 15), (0, 0)], strict=True)
    ):
        session = make_session(
            session_id=f"2024050{day + 1}-201500-abc12{day}",
            created=WHEN + timedelta(days=day),
            couple=label,
            finished=day < 4,
            checkin=day < 4,  # the draft stopped before its check-in
        )
        if day % 2:  # the partners typed their names the other way round
            session = dataclasses.replace(session, partners={"a": "Alex", "b": "Sam"})
            a, b = b, a
        saved.append(with_csi(session, content, a, b) if day < 4 else session)
    other = make_session(
        session_id="20240601-201500-zzz999",
        created=WHEN + timedelta(days=40),
        couple="Jordan & Riley",
        checkin=False,
    )
    other = dataclasses.replace(other, partners={"a": "Jordan", "b": "Riley"})
    for session in [*saved, other]:
        files.save_session(session)
    return [*saved, other]


def test_labels_match_in_any_order_case_and_spacing() -> None:
    assert couple_key("Sam & Alex") == couple_key("alex &  SAM") == "alex & sam"
    assert same_couple("Sam & Alex", " ALEX&sam ")
    assert not same_couple("Sam & Alex", "Sam & Alexa")


def test_history_and_trends_find_a_couple_in_the_other_order(
    caseload_of_two: list[Session],
) -> None:
    ids = {s.id for s in caseload_of_two if same_couple(s.couple, "Sam & Alex")}
    assert {row.id for row in index.history(couple="alex & SAM")} == ids
    assert len(list(index.trend_series(couple="Alex & Sam"))) == 4  # the finished ones
    found = coach("history", "--couple", "alex & sam", "--all").stdout
    assert all(session_id in found for session_id in ids)


def test_the_caseload_summarises_each_couple(caseload_of_two: list[Session]) -> None:
    sam_alex, jordan_riley = summarize(index.history())[::-1]  # Jordan & Riley is the newest
    assert (sam_alex.sessions, sam_alex.finished) == (5, 4)
    assert sam_alex.first == WHEN and sam_alex.last == WHEN + timedelta(days=4)
    # The newest check-in per partner by name, whichever of a and b they were.
    assert {name: total for name, (total, _) in sam_alex.csi.items()} == {"Sam": 14, "Alex": 15}
    assert sam_alex.recent_csi == [14.5, 12.5, 9.5, 8.5] and sam_alex.direction == "up"
    assert jordan_riley.csi == {} and jordan_riley.direction == "too few check-ins"


def test_couples_json_lists_every_couple(caseload_of_two: list[Session]) -> None:
    document = json.loads(coach("couples", "--format", "json").stdout)
    from coach.render.listings import schema

    jsonschema.validate(document, {**schema(), "$ref": "#/$defs/couples"})
    by_key = {couple_key(c["couple"]): c for c in document["couples"]}
    assert set(by_key) == {"alex & sam", "jordan & riley"}
    assert by_key["alex & sam"]["csi4_latest"] == {"Alex": 15, "Sam": 14}
    assert by_key["alex & sam"]["csi4_direction"] == "up"
    assert by_key["alex & sam"]["sessions"] == 5
    table = coach("couples").stdout
    assert "Jordan & Riley" in table and "up" in table


def test_rename_rewrites_every_label_of_that_couple_only(caseload_of_two: list[Session]) -> None:
    coach("couples", "rename", "alex & sam", "Samuel & Alexandra")
    labels = {row.id: row.couple for row in index.history()}
    assert sorted(labels.values()).count("Samuel & Alexandra") == 5
    assert labels["20240601-201500-zzz999"] == "Jordan & Riley"
    assert not [p for p in (files.iter_session_files()) if b"Sam & Alex" in p.read_bytes()]
    coach("couples", "rename", "alex & sam", "X & Y", code=1)  # nobody by that name now


def test_delete_couple_asks_and_removes_sessions_drafts_and_rows(
    caseload_of_two: list[Session],
) -> None:
    refused = coach("delete", "--couple", "alex & sam", code=2)
    assert "--yes" in refused.stderr
    assert len(list(files.iter_session_files())) == 6
    coach("delete", "--couple", "alex & sam", "--yes")
    assert [path.stem for path in files.iter_session_files()] == ["20240601-201500-zzz999"]
    assert [row.id for row in index.history()] == ["20240601-201500-zzz999"]
    with pytest.raises(NotFoundError, match="no sessions for the couple"):
        caseload.delete_couple("Sam & Alex")


def test_renaming_in_an_encrypted_store_keeps_the_files_encrypted(
    make_session: SessionFactory,
) -> None:
    install(make_identity())
    files.save_session(make_session(couple="Sam & Alex"))
    assert caseload.rename_couple("alex & sam", "Alex & Sam") == 1
    (path,) = files.iter_session_files()
    assert crypto.is_age(path.read_bytes())
    assert files.load_session(path).couple == "Alex & Sam"


def test_a_couples_report_keeps_each_partner_on_one_line(caseload_of_two: list[Session]) -> None:
    """Sam and Alex typed their names the other way round in two of their sessions: in the
    report each person's CSI-4 totals and scores stay in their own column all the same."""
    from coach.app.reports import couple_report
    from coach.domain.finish import stored_inference

    report = couple_report("sam & alex", lambda problems: None)
    names = report.rows[-1].partners
    assert all(row.partners == names for row in report.rows)
    by_name = {
        names["a"]: [row.csi_a for row in report.rows],
        names["b"]: [row.csi_b for row in report.rows],
    }
    assert by_name == {"Sam": [8, 10, 12, 14], "Alex": [9, 9, 13, 15]}
    for row, scores in zip(report.rows, report.partner_scores, strict=True):
        session = files.load_session(row.path)
        slot = {name: partner for partner, name in session.partners.items()}
        inference = stored_inference(session)
        for column in ("a", "b"):
            own = inference.scope(slot[names[column]])
            assert scores[column] == {target: r.score for target, r in own.items()}


def test_trend_points_keep_each_partner_on_one_line() -> None:
    from datetime import datetime

    from coach.app.trends import one_partner_per_line
    from coach.store.index import TrendPoint

    def point(day: int, csi: tuple[int, int], a: str, b: str) -> TrendPoint:
        when = datetime(2026, 11, day, 20, tzinfo=UTC)
        return TrendPoint(when, f"s{day}", "Sam & Alex", {}, *csi, partners={"a": a, "b": b})

    points = [
        point(1, (8, 9), "Sam", "Alex"),
        point(8, (9, 10), "alex", " Sam"),  # the other way round, in another case and spacing
        point(15, (13, 12), "Alex", "Sam"),
        point(22, (15, 14), "Alex", "Sam"),
    ]
    aligned, names = one_partner_per_line(points)
    assert names == ("Alex", "Sam")
    assert [p.csi_a for p in aligned] == [9, 9, 13, 15]  # Alex's
    assert [p.csi_b for p in aligned] == [8, 10, 12, 14]  # Sam's
    assert one_partner_per_line([]) == ([], ("Partner A", "Partner B"))


def test_rename_onto_another_couples_label_is_refused(caseload_of_two: list[Session]) -> None:
    before = {path: path.read_bytes() for path in files.iter_session_files()}
    refused = coach("couples", "rename", "riley & jordan", "alex & SAM", code=2)
    assert refused.stderr.splitlines() == [
        'coach: "alex & SAM" is already the label of another couple ("Sam & Alex"); nothing was '
        'renamed (to put both couples together: coach couples merge "riley & jordan" "Sam & Alex")'
    ]
    assert {path: path.read_bytes() for path in files.iter_session_files()} == before
    # The same couple in another order or case is a rename, not a merge.
    coach("couples", "rename", "riley & jordan", "Riley & Jordan")
    assert {row.couple for row in index.history()} >= {"Riley & Jordan"}


def test_merge_lists_what_it_moves_and_needs_yes_without_a_terminal(
    caseload_of_two: list[Session],
) -> None:
    refused = coach("couples", "merge", "Jordan & Riley", "sam & alex", code=2)
    assert refused.stdout == (
        'Merging "Jordan & Riley" into "Sam & Alex" (which has 5 sessions) moves 1 session:\n'
        "  20240601-201500-zzz999\n"
    )
    assert refused.stderr == (
        "coach: coach couples merge asks for confirmation; pass --yes to merge without a terminal\n"
    )
    assert {couple_key(row.couple) for row in index.history()} == {"jordan & riley", "alex & sam"}
    coach("couples", "merge", "Jordan & Riley", "sam & alex", "--yes")
    assert {couple_key(row.couple) for row in index.history()} == {"alex & sam"}
    assert files.load_session(files.session_path("20240601-201500-zzz999")).couple == "Sam & Alex"
    assert len(caseload.couple_sessions("alex & sam")) == 6
    coach("couples", "merge", "Jordan & Riley", "sam & alex", "--yes", code=1)  # none left
    one = coach("couples", "merge", "alex & sam", "Sam & Alex", "--yes", code=2)
    assert "are one couple" in one.stderr


def test_merge_asks_at_a_terminal_and_no_merges_nothing(
    caseload_of_two: list[Session], coach_home: Path
) -> None:
    from coach_process import spawn_coach

    for answer, merged in (("n", False), ("y", True)):
        child = spawn_coach(["couples", "merge", "jordan & riley", "Sam & Alex"], coach_home)
        child.expect("moves 1 session:\r\n  20240601-201500-zzz999")
        child.expect(r"Move 1 session to \"Sam & Alex\"\?")
        child.send(f"{answer}\r")
        child.expect("Merged 1 session" if merged else "Nothing merged.")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        couples = {couple_key(row.couple) for row in index.history()}
        assert couples == ({"alex & sam"} if merged else {"alex & sam", "jordan & riley"})
