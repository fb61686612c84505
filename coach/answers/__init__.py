"""Answer files: sessions without a terminal. Parse, merge and validate, reporting every problem
in one pass with the file, line and key. Pure: no terminal, no saving. The fill-in template that
`coach template` prints is built in coach.render.answer_template.

An answer file is TOML (`coach template` prints one to fill in):

    couple = "Sam & Alex"            # optional
    steps = [1, 2, 3, 4, 5]          # optional, default all five
    [partners]                       # optional; --a/--b override
    a = "Sam"
    b = "Alex"
    [check]                          # each partner's private check, in their own file
    "a.hurt" = false                 # every item of content/check.toml: true or false
    "a.today" = "full"               # how much today: "full", "short" or "stop"
    [checkin]                        # optional CSI-4: partner.item = score, all four or none
    "a.happiness" = 4
    [answers]                        # prompt id = value
    "s1.a.greeted_warmly" = 4

A value of "" means "not answered yet": the template writes every required key that way, and a
required key left "" is reported with its line as unanswered (an optional one is ignored).

Problems never quote an answer's value, only where it is and what would be valid: answer files
hold private answers, and error output ends up in logs and cron mail.

One job a module, in the order a run of answer files takes:

    model       what was read (AnswerSet) and where each value was given (Location)
    check_keys  the private check's keys, what is valid, and the plan they make
    (coach.domain.pathway)
    reading     one file: decode, parse, find each key's line, check each value against its prompt
    merging     several files (one per partner is common) into one AnswerSet; whose check is where
    checking    what needs every file at once: the old shape, missing answers, names; one error
    building    the draft Session from checked answers, with today's plan applied
"""

from __future__ import annotations

from coach.answers.answer_model import BLANK, STDIN_NAME, TOP_KEYS, AnswerSet, Location
from coach.answers.building import answers_plan, session_from_answers, withheld_text_keys
from coach.answers.checking import (
    check_answer_set,
    in_file_order,
    missing_answers,
    parse_answer_text,
    problems_error,
    raise_if_problems,
    shape_problems,
)
from coach.answers.merging import merge
from coach.answers.reading import decode_answer_bytes, key_lines, read_answer_text

__all__ = [
    "BLANK",
    "STDIN_NAME",
    "TOP_KEYS",
    "AnswerSet",
    "Location",
    "answers_plan",
    "check_answer_set",
    "decode_answer_bytes",
    "in_file_order",
    "key_lines",
    "merge",
    "missing_answers",
    "parse_answer_text",
    "problems_error",
    "raise_if_problems",
    "read_answer_text",
    "session_from_answers",
    "shape_problems",
    "withheld_text_keys",
]
