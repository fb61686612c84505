"""What reading answer files produces: the values given, and where each one was given, so that
every later problem (a missing answer, one given twice) can name a file and a line."""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.content import AnswerValue

TOP_KEYS = ("couple", "steps", "partners", "check", "checkin", "answers")
OLD_SAFETY = "safety"  # the screen's table before the private check: refused, naming the new keys
STDIN_NAME = "<stdin>"  # the name `--answers -` goes by in problems
BLANK = ""  # the value of a key not answered yet


@dataclass(frozen=True)
class Location:
    filename: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.filename} (line {self.line})" if self.line else self.filename


@dataclass
class AnswerSet:
    """Everything read from one or more answer files, with where each value came from."""

    answers: dict[str, AnswerValue] = field(default_factory=dict)
    # Each partner's private check: "a.hurt" -> True, "a.today" -> "short", "a.<measure>.<item>"
    # -> the number of the answer chosen (coach.answers.check_keys says what each key is).
    check: dict[str, object] = field(default_factory=dict)
    checkin: dict[str, dict[str, int]] = field(default_factory=dict)
    # checkin.a.shared = true: may this partner's CSI-4 total be shown to both? Never given
    # reads as no (coach.domain.session.Session.checkin_shared).
    checkin_shared: dict[str, bool] = field(default_factory=dict)
    partners: dict[str, str] = field(default_factory=dict)
    couple: str = ""
    steps: list[int] | None = None
    # "answers.s1.a.x", "check.a.hurt", "couple", ... -> where it was given.
    origin: dict[str, Location] = field(default_factory=dict)
    # Keys left as "" (not answered yet), so a missing answer can point at its line.
    blank: dict[str, Location] = field(default_factory=dict)
    # Keys given with an invalid value: already reported, so not reported again as missing.
    invalid: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    # Where a file opens a [check] table, and where one still has the old [safety] table.
    check_tables: list[Location] = field(default_factory=list)
    old_safety: list[Location] = field(default_factory=list)
