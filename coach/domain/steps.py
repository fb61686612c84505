"""The steps of the flow, as numbers and ids, read from coach/content/flow.toml.

flow.toml is their one source: its [[step]] tables in order, numbered from 1. Code that treats a
step in its own way names it by id: the conflict step (a safety disclosure leaves it out) and the
co-regulation step (a short session leaves it out with the conflict step).
"""

from __future__ import annotations

from typing import Final

from coach.base.errors import DataError
from coach.domain.translation import english_file

FLOW_FILE: Final = "flow.toml"


def _steps() -> tuple[tuple[int, str], ...]:
    tables = english_file(FLOW_FILE).get("step")
    if not isinstance(tables, list) or not tables:
        raise DataError(f"{FLOW_FILE}: step: needs one or more [[step]] tables")
    found = []
    for index, table in enumerate(tables):
        number = table.get("number") if isinstance(table, dict) else None
        step_id = table.get("id") if isinstance(table, dict) else None
        if number != index + 1 or isinstance(number, bool):
            raise DataError(f"{FLOW_FILE}: step[{index}].number: expected step {index + 1} here")
        if not isinstance(step_id, str) or not step_id:
            raise DataError(f"{FLOW_FILE}: step[{index}].id: is required")
        found.append((index + 1, step_id))
    return tuple(found)


_STEPS: Final = _steps()
STEPS: Final[tuple[int, ...]] = tuple(number for number, _ in _STEPS)
STEP_IDS: Final[tuple[str, ...]] = tuple(step_id for _, step_id in _STEPS)
# The steps code treats in its own way, by id.
NAMED_STEPS: Final = ("conflict", "co_regulation")


def number_of(step_id: str) -> int:
    """The number of the step with this id; a DataError if flow.toml has none."""
    if step_id not in STEP_IDS:
        raise DataError(f'{FLOW_FILE}: step: needs a step with id = "{step_id}"')
    return STEP_IDS.index(step_id) + 1


CONFLICT_STEP: Final = number_of("conflict")
CO_REGULATION_STEP: Final = number_of("co_regulation")
# How messages say which numbers are steps: "1 to 5".
STEP_RANGE: Final = f"{STEPS[0]} to {STEPS[-1]}"
