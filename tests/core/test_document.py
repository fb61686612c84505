"""coach.base.document's line locator: keys are found where a key can start, never inside a string,
an array or an inline table, so a problem points at the right line."""

from __future__ import annotations

import tomllib

from coach.base.document import key_lines, locate_line

TEXT = """\
title = "a = 1"                      # 1
[[rule]]                             # 2
id = "first"                         # 3
because = \"\"\"A reason                # 4
[[rule]]
id = "not a key"
with a \\\"\"\" escaped delimiter\"\"\"   # 7
weights = { oxytocin = { b = 0.4 } } # 8
list = [                             # 9
  "x = 2",
  '[not.a.table]',
]
count = 3                            # 13
[rule.effects.dopamine]              # 14
both = 0.1                           # 15
[[rule]]                             # 16
"quoted.key" = '''                   # 17
step = 7
'''
step = 2                             # 20
"""


def test_keys_inside_strings_arrays_and_inline_tables_are_not_keys() -> None:
    parsed = tomllib.loads(TEXT)  # a real file: the rule is read as TOML reads it
    assert [rule.get("step") for rule in parsed["rule"]] == [None, 2]
    lines = key_lines(TEXT)
    assert lines[("title",)] == 1
    assert lines[("rule", 0)] == 2
    assert lines[("rule", 0, "id")] == 3
    assert lines[("rule", 0, "because")] == 4
    assert lines[("rule", 0, "weights")] == 8
    assert lines[("rule", 0, "list")] == 9
    assert lines[("rule", 0, "count")] == 13
    assert lines[("rule", 0, "effects", "dopamine", "both")] == 15
    assert lines[("rule", 1)] == 16
    assert lines[("rule", 1, "quoted.key")] == 17
    assert lines[("rule", 1, "step")] == 20
    assert ("rule", 2) not in lines  # the [[rule]] inside the multi-line string
    assert ("not", "a", "table") not in lines


def test_a_key_not_written_points_at_its_nearest_table() -> None:
    assert locate_line(TEXT, ("rule", 0, "weights", "oxytocin", "b")) == 8
    assert locate_line(TEXT, ("rule", 1, "sets")) == 16
    assert locate_line(TEXT, ("nowhere",)) == 1
