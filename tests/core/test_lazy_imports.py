"""`coach --help` stays quick: heavy modules are imported only by the commands that need them."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = [
    "questionary",
    "prompt_toolkit",
    "sqlite3",
    "plotext",
    "coach.render.export",
    "coach.render.html",
    "coach.render.pager",
    "coach.rules",
    "coach.app.reminders",
    "icalendar",
    "pyrage",  # only an encrypted data directory needs it
    "coach.domain.risk_text",  # the free-text lexicon: compiled on first use
    "coach.domain.lexicon",
    # no content on the help path: not the steps, the targets, nor a translation
    "coach.domain.steps",
    "coach.domain.targets",
    "coach.domain.translation",
    "coach.base.locale",
]


def modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_loading_the_app_imports_nothing_heavy() -> None:
    loaded = modules_after("import coach.cli.main")
    assert not [name for name in HEAVY if name in loaded]


def test_help_imports_nothing_heavy() -> None:
    loaded = modules_after(
        "import sys\nfrom coach.cli.main import app\nsys.argv = ['coach', '--help']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    assert not [name for name in HEAVY if name in loaded]
