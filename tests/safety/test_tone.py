"""Tone (issue 21, docs/science-and-wording.md): an ordinary couple's summary never mentions
divorce, and the built-in content says what Carrere & Gottman 1999 studied once, where the
evidence is explained (its entry in the bibliography, shown by `coach learn sources`).
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

from coach.content import Content
from coach.domain.evidence import load_references
from tests.coach_process import invoke_checked

DIVORCE = re.compile(r"divorc", re.IGNORECASE)
PACKAGE = Path(__file__).resolve().parents[2] / "coach"


def shipped_texts() -> list[tuple[str, str]]:
    """Every data file the package ships, and every Python module (its strings reach users)."""
    found = []
    for package in ("coach.content", "coach.rules"):
        for entry in resources.files(package).iterdir():
            if entry.name.endswith(".toml"):
                found.append((f"{package}/{entry.name}", entry.read_text(encoding="utf-8")))
    for path in sorted(PACKAGE.rglob("*.py")):
        found.append((str(path.relative_to(PACKAGE)), path.read_text(encoding="utf-8")))
    return found


def test_divorce_is_mentioned_once_in_all_the_shipped_content() -> None:
    mentions = [
        (name, line)
        for name, text in shipped_texts()
        for line in text.splitlines()
        if DIVORCE.search(line)
    ]
    # The one mention is the paper's own title, in the entry that says what it studied.
    assert len(mentions) == 1, mentions
    [(name, line)] = mentions
    assert name == "coach.content/references.toml" and line.startswith("title = ")
    carrere = next(r for r in load_references() if r.id == "carrere1999")
    assert DIVORCE.search(carrere.title)
    assert "how a conflict conversation starts and how newlyweds' marriages fared" in (
        carrere.reports
    )
    assert not DIVORCE.search(carrere.reports)  # said once: the title, not again


def test_the_couple_facing_content_never_mentions_divorce(content: Content) -> None:
    texts = [s.about for s in content.steps] + [t for s in content.steps for t in s.talking_points]
    texts += [t.evidence_note for t in content.targets] + [e.source for e in content.exercises]
    assert not [t for t in texts if DIVORCE.search(t)]
    pack = tomllib.loads(
        resources.files("coach.rules").joinpath("default.toml").read_text(encoding="utf-8")
    )
    assert not [r["id"] for r in pack["rule"] if DIVORCE.search(r["because"])]


def test_the_demo_summary_never_mentions_divorce(coach_home: Path, tmp_path: Path) -> None:
    """The demo couple's summary at the terminal, and as Markdown and HTML."""
    shown = invoke_checked("demo", "--save").stdout
    assert "Carrere & Gottman 1999" in shown  # the evidence is there, without the word
    assert DIVORCE.findall(shown) == []
    [session_id] = [p.stem for p in (coach_home / "sessions").glob("*.toml")]
    markdown = invoke_checked("export", session_id, "-f", "md").stdout
    html_file = tmp_path / "session.html"
    invoke_checked("export", session_id, "-o", str(html_file))
    for text in (markdown, html_file.read_text(encoding="utf-8")):
        assert "Carrere" in text and DIVORCE.findall(text) == []
