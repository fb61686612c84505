"""Write synthetic finished sessions, for benchmarks and tests of history and trends.

    python scripts/gen_sessions.py --count 10000 --couples 20 [--home DIR] [--seed N]

Each couple has a level of secure patterns that drifts over two years, so trends have a shape.
Every session answers all required prompts (and some optional ones), carries results in the rule
engine's layout (couple, a and b scores per target, with confidence, label and the rules that
fired), and about a third have a CSI-4 check-in. Files are written with coach's own serializer,
which checks each one, straight into <home>/sessions (home: --home, else COACH_HOME, else the
usual data directory). The same --seed always gives the same files.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from coach.content import EVIDENCE_LABELS, Content, Prompt, load_content
from coach.domain.finish import default_couple_label
from coach.domain.session import Answer, Session
from coach.rules.results import label_for
from coach.store.disk import PRIVATE_FILE, ensure_data_dir
from coach.store.format import session_to_text

PAIRS = (
    ("Sam", "Alex"),
    ("Jordan", "Riley"),
    ("Casey", "Morgan"),
    ("Taylor", "Jamie"),
    ("Avery", "Quinn"),
    ("Robin", "Drew"),
    ("Noor", "Mateo"),
    ("Yuki", "Amara"),
    ("Lena", "Tomás"),
    ("Priya", "Kofi"),
    ("Ines", "Oskar"),
    ("Zara", "Emeka"),
    ("Sofia", "Hana"),
    ("Luca", "Maya"),
    ("Arjun", "Elif"),
)
OFFSETS = (0, 1, 2, -5, -8, 5.5, 9, -3)  # hours from UTC, one per couple in turn
PER_ANSWER = timedelta(seconds=40)


def couple_of(index: int) -> tuple[str, str, timezone, float, float]:
    """Names, time zone, starting level (0..1) and drift per year of couple `index`."""
    rng = random.Random(f"couple-{index}")
    a, b = PAIRS[index % len(PAIRS)]
    if index >= len(PAIRS):  # more couples than name pairs: keep the couples apart
        b = f"{b} {index // len(PAIRS) + 1}"
    offset = timezone(timedelta(hours=OFFSETS[index % len(OFFSETS)]))
    return a, b, offset, rng.uniform(0.25, 0.8), rng.uniform(-0.15, 0.2)


def answer_value(prompt: Prompt, level: float, rng: random.Random) -> Any:
    """An answer that leans secure with probability `level`."""
    secure = rng.random() < level
    if prompt.type == "scale":
        lean = level + rng.gauss(0, 0.18)
        step = round(max(0.0, min(1.0, lean)) * (prompt.max - prompt.min))
        return prompt.max - step if prompt.secure == "low" else prompt.min + step
    if prompt.type == "yesno":
        return secure == (prompt.secure == "yes")
    if prompt.type == "choice":
        others = [v for v in prompt.choice_values() if v != prompt.secure]
        return prompt.secure if secure else rng.choice(others)
    return rng.choice(["We laughed about the dog.", "A long walk on Sunday.", "Tea in bed."])


def scope_results(
    content: Content, level: float, rng: random.Random
) -> tuple[dict[str, Any], list[str]]:
    """Per-target results for one partner, in Inference.to_dict() layout, and the rules fired."""
    results: dict[str, Any] = {}
    fired_ids: list[str] = []
    for target in content.targets:
        score = round(math.tanh(2.2 * (level - 0.5) + rng.gauss(0, 0.25)), 3) + 0.0
        rules = [f"{target.id}_{n}" for n in range(rng.randint(0, 3))]
        fired_ids += rules
        entry: dict[str, Any] = {
            "score": score,
            "confidence": round(rng.uniform(0.6, 1.0), 3),
            "label": label_for(score, (target.positive, target.negative)),
        }
        if rules:
            entry["evidence"] = rng.choice(EVIDENCE_LABELS)
        entry["fired"] = [{"rule": r, "weight": round(rng.uniform(-1, 1), 2)} for r in rules]
        results[target.id] = entry
    return results, fired_ids


def results_for(content: Content, level: float, rng: random.Random, answers: list[Answer]) -> Any:
    a, fired_a = scope_results(content, level + rng.gauss(0, 0.05), rng)
    b, fired_b = scope_results(content, level + rng.gauss(0, 0.05), rng)
    couple = {}
    for target in content.targets:
        one, other = a[target.id], b[target.id]
        score = round((one["score"] + other["score"]) / 2, 3) + 0.0
        couple[target.id] = {
            **one,
            "score": score,
            "confidence": round((one["confidence"] + other["confidence"]) / 2, 3),
            "label": label_for(score, (target.positive, target.negative)),
        }
    fired = sorted(set(fired_a + fired_b))
    traced = [(x.prompt_id, x.value) for x in answers[:3]]
    return {
        "pack_id": "default",
        "pack_version": "1",
        "steps": [1, 2, 3, 4, 5],
        "facts": [],
        "fired": fired,
        "rules": {
            rule: {
                "step": rng.randint(1, 5),
                "because": "Answers suggest a pattern associated with this target.",
                "evidence": rng.choice(EVIDENCE_LABELS),
                "answers": dict(traced),
            }
            for rule in fired
        },
        "couple": couple,
        "a": a,
        "b": b,
    }


def checkin_for(content: Content, level: float, rng: random.Random) -> dict[str, dict[str, int]]:
    def scores() -> dict[str, int]:
        return {
            item.id: max(0, min(item.max_score, round(level * item.max_score + rng.gauss(0, 1))))
            for item in content.checkin.items
        }

    return {"a": scores(), "b": scores()}


def make_session(seed: int, index: int, couples: int, start: date, days: int) -> Session:
    """Session number `index`; its own random stream makes it independent of the others."""
    rng = random.Random(f"{seed}-{index}")
    content = load_content()
    a, b, zone, level0, drift = couple_of(rng.randrange(couples))
    day = start + timedelta(days=rng.randrange(days))
    created = datetime(day.year, day.month, day.day, rng.randint(7, 22), rng.randint(0, 59), 0)
    created = created.replace(tzinfo=zone, second=rng.randint(0, 59))
    years = (day - start).days / 365
    level = max(0.02, min(0.98, level0 + drift * years + rng.gauss(0, 0.06)))
    answers: list[Answer] = []
    for prompt in content.prompts.values():
        if prompt.required or rng.random() < 0.3:
            when = created + PER_ANSWER * (len(answers) + 1)
            value = answer_value(prompt, level, rng)
            answers.append(Answer(prompt.id, prompt.partner, value, when))
    session_id = f"{created:%Y%m%d-%H%M%S}-{rng.getrandbits(24):06x}"
    return Session(
        id=session_id,
        created=created,
        finished=created + PER_ANSWER * (len(answers) + 10),
        partners={"a": a, "b": b},
        couple=default_couple_label(a, b),
        mode="together" if rng.random() < 0.85 else "private",
        facilitated=rng.random() < 0.2,
        content_version=content.version,
        answers=answers,
        checkin=(checkin := checkin_for(content, level, rng) if rng.random() < 0.33 else {}),
        # Both partners agreed to show their totals in about three sessions of four (from the
        # id, so the data drawn from `rng` stays as it was).
        checkin_shared={"a": True, "b": int(session_id[-1], 16) % 4 != 0} if checkin else {},
        results=results_for(content, level, rng, answers),
    )


def write_new(path: Path, text: str) -> None:
    """Write a new 0600 file (never overwrite). No fsync: this is throwaway test data."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)
    with open(fd, "wb") as file:
        file.write(text.encode("utf-8"))


def write_batch(
    seed: int, indexes: range, couples: int, start: date, days: int, directory: str
) -> int:
    for index in indexes:
        session = make_session(seed, index, couples, start, days)
        write_new(Path(directory, f"{session.id}.toml"), session_to_text(session))
    return len(indexes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, required=True, help="how many sessions to write")
    parser.add_argument("--couples", type=int, default=20, help="how many couples (default 20)")
    parser.add_argument("--home", type=Path, help="data directory (default: COACH_HOME)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1))
    parser.add_argument("--days", type=int, default=730, help="spread over this many days")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    args = parser.parse_args(argv)
    if args.count < 0 or args.couples < 1 or args.days < 1 or args.jobs < 1:
        parser.error("--count must be 0 or more; --couples, --days and --jobs at least 1")
    if args.home is not None:
        os.environ["COACH_HOME"] = str(args.home)
    directory = str(ensure_data_dir() / "sessions")
    began = time.perf_counter()
    size = max(1, math.ceil(args.count / (args.jobs * 4)))
    batches = [range(i, min(i + size, args.count)) for i in range(0, args.count, size)]
    fixed = (args.couples, args.start, args.days, directory)
    if args.jobs == 1:
        written = sum(write_batch(args.seed, batch, *fixed) for batch in batches)
    else:
        with ProcessPoolExecutor(args.jobs) as pool:
            jobs = [pool.submit(write_batch, args.seed, batch, *fixed) for batch in batches]
            written = sum(job.result() for job in jobs)
    elapsed = time.perf_counter() - began
    print(f"wrote {written:,} sessions to {directory} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
