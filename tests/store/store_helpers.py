"""Helpers for the storage tests: sessions built directly (no terminal, no rule engine)."""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from coach.content import TARGETS, AnswerValue, Content, Prompt
from coach.domain.session import Answer, Session

ROOT = Path(__file__).resolve().parents[2]
WHEN = datetime(2024, 5, 1, 20, 15, tzinfo=timezone(timedelta(hours=2)))
SessionFactory = Callable[..., Session]


def sample_results(scores: Mapping[str, float]) -> dict[str, Any]:
    """Results in the rule engine's to_dict() layout, with these couple scores."""

    def scope(shift: float) -> dict[str, Any]:
        return {
            target: {
                "score": round(score + shift, 3),
                "confidence": 0.8,
                "label": "little sign either way",
                "evidence": "Moderate",
                "fired": [{"rule": f"{target}_rule", "weight": 0.5}],
            }
            for target, score in scores.items()
        }

    return {
        "pack_id": "default",
        "pack_version": "1",
        "steps": [1, 2, 3, 4, 5],
        "facts": ["warm_start"],
        "fired": [f"{target}_rule" for target in scores],
        "rules": {
            f"{target}_rule": {
                "step": 1,
                "because": "Warm greetings are linked to closeness.",
                "evidence": "Moderate",
                "answers": {"s1.a.greeted_warmly": 4},
            }
            for target in scores
        },
        "couple": scope(0.0),
        "a": scope(0.05),
        "b": scope(-0.05),
    }


def answer_value(prompt: Prompt, text: str) -> AnswerValue:
    if prompt.type == "scale":
        return prompt.max - 1
    if prompt.type == "yesno":
        return True
    if prompt.type == "choice":
        return prompt.choice_values()[0]
    return text


def build_session(
    content: Content,
    *,
    session_id: str = "20240501-201500-abc123",
    created: datetime = WHEN,
    finished: bool = True,
    couple: str = "Sam & Alex",
    text: str = "We walked by the river.",
    answered: int | None = None,
    checkin: bool = True,
    facilitator: bool = True,
    scores: Mapping[str, float] | None = None,
) -> Session:
    """A valid session; by default finished, with every prompt answered, notes and a check-in."""
    prompts = list(content.prompts.values())[:answered]
    answers = [
        Answer(p.id, p.partner, answer_value(p, text), created + timedelta(seconds=30 * (n + 1)))
        for n, p in enumerate(prompts)
    ]
    chosen = scores or {t: round(0.5 - n * 0.1, 3) for n, t in enumerate(TARGETS)}
    items = [item.id for item in content.checkin.items]
    return Session(
        id=session_id,
        created=created,
        finished=created + timedelta(minutes=30) if finished else None,
        partners={"a": "Sam", "b": "Alex"},
        couple=couple,
        content_version=content.version,
        answers=answers,
        notes={1: "They laughed at the start.", 3: "Soft start-up went well."}
        if facilitator
        else {},
        homework=["A six-second kiss each morning"] if facilitator else [],
        checkin={"a": dict.fromkeys(items, 4), "b": dict.fromkeys(items, 3)} if checkin else {},
        checkin_shared={"a": True, "b": True} if checkin else {},
        results=sample_results(chosen) if finished else None,
    )


_GENERATED: dict[tuple[int, int, int], Path] = {}


def generate(
    home: Path, count: int, *, couples: int = 3, seed: int = 7, fresh: bool = False
) -> None:
    """Put `count` synthetic finished sessions into `home`, as scripts/gen_sessions.py writes
    them. Each set is generated once per test process and copied for every later test (files
    keep their 0600 and 0700 modes); `fresh` runs the generator itself, for tests of it."""
    key = (count, couples, seed)
    if fresh or key not in _GENERATED:
        target = home if fresh else Path(tempfile.mkdtemp(prefix="coach-generated-"))
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "gen_sessions.py"),
                *("--count", str(count), "--couples", str(couples), "--seed", str(seed)),
                *("--home", str(target), "--jobs", "1"),
            ],
            check=True,
            capture_output=True,
        )
        if fresh:
            return
        atexit.register(shutil.rmtree, target, True)
        _GENERATED[key] = target
    shutil.copytree(_GENERATED[key], home, dirs_exist_ok=True)
