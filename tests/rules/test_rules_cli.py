"""`coach rules ...` commands, run through a local Typer app that mounts the sub-app."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from coach.base.errors import CoachError, DataError, UsageError
from coach.cli import rules as rules_cli
from coach.content import Content

app = typer.Typer()
app.add_typer(rules_cli.app, name="rules")


@app.callback()
def _root() -> None:
    """Stand-in for coach's main app."""


runner = CliRunner()

HEADER = 'id = "mine"\nversion = "2"\ndescription = "A therapist\'s pack."\n'
WARM_RULE = """
[[rule]]
id = "warm"
step = 1
when = "a.s1.greeted_warmly >= 4"
effects = { oxytocin = { b = 0.5 } }
because = "Warm greetings are associated with bonding (Holt-Lunstad et al. 2008)."
evidence = "Preliminary"
"""


@pytest.fixture(autouse=True)
def _no_rules_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COACH_RULES", raising=False)
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "home"))


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["rules", *args], env=env)
    if isinstance(result.exception, CoachError):
        raise result.exception  # what coach's main app turns into a message and exit code
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def write_pack(tmp_path: Path, rules: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rules, encoding="utf-8")
    return path


def test_help_lists_the_commands() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    for command in ("list", "show", "check", "test", "explain"):
        assert command in out


def test_list_shows_every_rule_with_step_targets_and_evidence() -> None:
    code, out, _ = invoke("list", env={"COLUMNS": "200"})
    assert code == 0
    assert "default.toml: default version 1, 75 rules" in out
    row = next(line for line in out.splitlines() if " s1_warm_greeting " in line)
    # Each partner's reading is their own: A's greeting moves A's reading (issue 21).
    assert "oxytocin (a +0.30)" in row and "Unmeasured" in row and "1" in row
    assert "sets fact.mutual_warmth" in out


def test_list_uses_the_rules_option_and_the_environment(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, WARM_RULE)
    code, out, _ = invoke("list", "--rules", str(pack))
    assert code == 0 and "mine version 2, 1 rule" in out and "warm" in out
    code, out, _ = invoke("list", env={"COACH_RULES": str(pack)})
    assert "mine version 2, 1 rule" in out


def test_show_prints_the_whole_rule() -> None:
    code, out, _ = invoke("show", "s2_warm_cycle", env={"COLUMNS": "200"})
    assert code == 0
    assert "fact.mutual_warmth and b.s2.returned_warmth >= 4" in out
    assert "dopamine (both +0.10)" in out
    assert "sets       fact.warm_cycle" in out
    assert "uses       fact.mutual_warmth" in out
    assert "Unmeasured" in out and "Driver & Gottman 2004" in out
    assert "reads      s2.b.returned_warmth" in out
    assert "via facts  s1.a.bid_for_connection, s1.b.turned_toward" in out
    assert "default.toml, line" in out


def test_show_unknown_rule_suggests_one_and_exits_1() -> None:
    with pytest.raises(DataError) as caught:
        invoke("show", "s1_warm_greting")
    assert caught.value.exit_code == 1
    assert 'did you mean "s1_warm_greeting"' in caught.value.message


def test_check_default_pack() -> None:
    code, out, err = invoke("check")
    assert (code, out, err) == (0, "OK: 75 rules in default.toml\n", "")


def test_check_reports_every_problem_on_stderr_and_exits_1(tmp_path: Path) -> None:
    bad = WARM_RULE.replace("greeted_warmly", "greeted_warmy").replace("Preliminary", "Sure")
    path = write_pack(tmp_path, bad + WARM_RULE)
    code, out, err = invoke("check", str(path))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f'{path}:8: rule warm: unknown prompt "a.s1.greeted_warmy"'
        ' (did you mean "a.s1.greeted_warmly"?)',
        f'{path}:11: rule warm: evidence "Sure" is not one of Strong, Moderate, Preliminary,'
        " Unmeasured, Contested, Practice",
        f'{path}:14: rule warm: duplicate rule id "warm" (first defined on line 6)',
    ]


def test_check_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"cannot read rule pack .*: no such file"):
        invoke("check", str(tmp_path / "nope.toml"))


def test_test_runs_the_default_cases() -> None:
    code, out, _ = invoke("test")
    assert code == 0
    assert "PASS  warm and secure everywhere" in out
    assert out.rstrip().endswith("cases passed; all 75 rules fired")


def test_test_uses_the_cases_file_beside_the_pack(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, WARM_RULE)
    (tmp_path / "mine_cases.toml").write_text(
        '[[case]]\nname = "warm"\n[case.answers]\n"s1.a.greeted_warmly" = 5\n'
        '[case.expect]\n"b.oxytocin" = "positive"\n"a.oxytocin" = "neutral"\n',
        encoding="utf-8",
    )
    code, out, _ = invoke("test", str(pack))
    assert code == 0
    assert out.splitlines() == ["PASS  warm", "OK: 1 of 1 case passed; the 1 rule fired"]


def test_test_fails_on_a_wrong_expectation_or_a_rule_that_never_fires(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path, WARM_RULE + WARM_RULE.replace('"warm"', '"cold"').replace(">= 4", "<= 2")
    )
    cases = tmp_path / "other.toml"
    cases.write_text(
        '[[case]]\nname = "warm"\n[case.answers]\n"s1.a.greeted_warmly" = 5\n'
        '[case.expect]\n"b.oxytocin" = "negative"\n',
        encoding="utf-8",
    )
    code, out, err = invoke("test", str(pack), "--cases", str(cases))
    assert code == 1
    assert out.splitlines() == [
        "FAIL  warm",
        "      b.oxytocin: expected negative, got positive (score +0.462)",
        "FAIL  rules that never fired: cold",
    ]
    assert err.strip() == "FAILED: 0 of 1 case passed; 1 rule never fired"


def test_test_without_a_cases_file_is_a_usage_error(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, WARM_RULE)
    with pytest.raises(UsageError, match=r"mine_cases\.toml"):
        invoke("test", str(pack))


def test_test_with_an_invalid_pack_prints_its_problems(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, WARM_RULE.replace("step = 1", "step = 8"))
    code, _, err = invoke("test", str(pack))
    assert code == 1
    assert err.strip() == f"{pack}:7: rule warm: step 8 is out of range; steps are 1 to 5"


def _saved_session(content: Content) -> str:
    from coach.domain.session import Session, new_session_id, now
    from coach.store import files as store

    created = now()
    session = Session(
        id=new_session_id(created), created=created, partners={"a": "Sam", "b": "Alex"}
    )
    session.steps = [1, 2]
    for prompt_id, value in {
        "s1.a.greeted_warmly": 5,
        "s1.a.bid_for_connection": True,
        "s1.b.turned_toward": "toward",
        "s2.a.laughed_together": 1,
    }.items():
        session.record(content.prompts[prompt_id], value)
    store.save_session(session)
    return session.id


def test_explain_shows_why_each_rule_fired(content: Content) -> None:
    session_id = _saved_session(content)
    code, out, _ = invoke("explain", session_id, "--target", "oxytocin", env={"COLUMNS": "200"})
    assert code == 0
    assert f"Session {session_id}: rules from default.toml (default version 1); steps 1, 2" in out
    assert "Oxytocin, together: pattern associated with higher oxytocin" in out
    assert "  Sam: pattern associated with higher oxytocin" in out
    assert "- s1_warm_greeting (step 1, Unmeasured; Sam +0.30)" in out
    assert "answers: s1.a.greeted_warmly = 5" in out
    assert "answers: s1.a.bid_for_connection = yes" in out
    assert "Facts established: fact.mutual_warmth" in out
    assert "Dopamine" not in out
    unanswered = next(line for line in out.splitlines() if "unanswered" in line)
    assert "s1.a.offered_touch" in unanswered and "s1.a.greeted_warmly" not in unanswered


def test_explain_all_targets_notes_those_without_evidence(content: Content) -> None:
    session_id = _saved_session(content)
    code, out, _ = invoke("explain", session_id[:12], env={"COLUMNS": "200"})
    assert code == 0
    # Only Sam answered about laughter, so only Sam's reading moves (issue 21).
    assert "Endorphins, together: little sign either way" in out
    assert "  Sam: little comfort or shared joy in this pattern" in out
    assert "Hippocampus, together: little sign either way" in out
    assert "No rule fired for this target" in out


def test_explain_unknown_target_suggests_one(content: Content) -> None:
    session_id = _saved_session(content)
    with pytest.raises(UsageError, match='unknown target "oxytocine" \\(did you mean "oxytocin"'):
        invoke("explain", session_id, "--target", "oxytocine")


def test_explain_unknown_session_is_an_error() -> None:
    with pytest.raises(CoachError, match=r"no saved sessions yet|no session"):
        invoke("explain", "20990101-000000-zzzz")


def test_check_rejects_the_custom_pack_of_issue_11(tmp_path: Path) -> None:
    """A reason that "activates your partner's oxytocin and the mirror neuron system fires",
    labelled Strong, no longer passes."""
    rule = WARM_RULE.replace(
        "Warm greetings are associated with bonding (Holt-Lunstad et al. 2008).",
        "A warm greeting activates your partner's oxytocin and the mirror neuron system fires.",
    ).replace("Preliminary", "Strong")
    path = write_pack(tmp_path, rule)
    code, out, err = invoke("check", str(path))
    assert (code, out) == (1, "")
    assert '"activates", a causal claim' in err
    assert "mirror-neuron account as fact" in err
    assert "labelled Strong but moves oxytocin, whose evidence is Preliminary" in err
