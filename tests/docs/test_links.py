"""The README and docs/*.md: every relative link reaches a file (and its #anchor a heading), and
every install line installs this project."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) and [text](target "title"), not images' remote sources; <a href="..."> too.
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|href=\"([^\"]+)\"")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE = re.compile(r"`[^`\n]*`")
# A path in the repository named as code (`docs/rules.md`, `scripts/bench`): it must exist too.
REPO_PATH = re.compile(r"`((?:docs|coach|scripts|tests|\.ci)/[\w./-]+?)(?:::\w+)?`")


def prose(page: Path) -> str:
    """The page without code blocks and code spans: a link shown as code is not followed."""
    return CODE.sub("", FENCE.sub("", page.read_text(encoding="utf-8")))


def anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    kept = "".join(c for c in text if c in " -" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found: set[str] = set()
    for line in FENCE.sub("", page.read_text(encoding="utf-8")).splitlines():
        if match := re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line):
            base = anchor(match.group(1))
            name, n = base, 1
            while name in found:  # GitHub numbers repeated headings: name, name-1, ...
                name, n = f"{base}-{n}", n + 1
            found.add(name)
    found |= set(re.findall(r"<a\s+(?:name|id)=\"([^\"]+)\"", page.read_text(encoding="utf-8")))
    return found


def relative_links(page: Path) -> list[str]:
    targets = [a or b for a, b in LINK.findall(prose(page))]
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t)]  # no http:, mailto:


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_reaches_its_file_and_heading(page: Path) -> None:
    broken = []
    for link in relative_links(page):
        path, _, fragment = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        if not target.exists():
            broken.append(f"{link}: no file {target.relative_to(ROOT, walk_up=True)}")
        elif fragment and target.suffix == ".md" and fragment not in anchors(target):
            broken.append(f"{link}: no heading #{fragment} in {target.name}")
    for named in REPO_PATH.findall(page.read_text(encoding="utf-8")):
        if not (ROOT / named).exists():
            broken.append(f"`{named}`: no such file in the repository")
    assert broken == [], f"{page.name}: " + "; ".join(broken)


def test_the_link_checker_finds_what_is_broken(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    (tmp_path / "there.md").write_text("# A heading, with `code`\n\n## Twice\n\n## Twice\n")
    page.write_text(
        "[ok](there.md#a-heading-with-code) [ok](there.md#twice-1) [gone](missing.md)\n"
        "[bad](there.md#nowhere) [web](https://example.org/x) `[code](nowhere.md)`\n"
    )
    assert relative_links(page) == [
        "there.md#a-heading-with-code",
        "there.md#twice-1",
        "missing.md",
        "there.md#nowhere",
    ]
    assert {"a-heading-with-code", "twice", "twice-1"} <= anchors(tmp_path / "there.md")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_install_lines_install_this_project(page: Path) -> None:
    """The distribution is couples-coach: `pip install coach` installs someone else's project."""
    text = page.read_text(encoding="utf-8")
    wrong = [
        line.strip()
        for line in text.splitlines()
        if re.search(r"pip install\s+(?:-\S+\s+)*[\"']?coach\b", line)
    ]
    assert wrong == []
