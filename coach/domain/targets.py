"""The things the coach reflects on, as plain names, read from coach/content/targets.toml.

targets.toml is their one source: its [[chemical]] and [[region]] tables in order, by id. Kept
apart from coach.content (which loads and checks every content file) so that the fast paths of
`coach history` and `coach trends` can name the targets without loading the rest.
"""

from __future__ import annotations

import re
from typing import Final

from coach.base.errors import DataError
from coach.domain.translation import english_file

TARGETS_FILE: Final = "targets.toml"
KINDS: Final = ("chemical", "region")
_ID: Final = re.compile(r"^[a-z][a-z0-9_]*$")


def _ids(kind: str) -> tuple[str, ...]:
    tables = english_file(TARGETS_FILE).get(kind)
    if not isinstance(tables, list) or not tables:
        raise DataError(f"{TARGETS_FILE}: {kind}: needs one or more [[{kind}]] tables")
    found = []
    for index, table in enumerate(tables):
        target_id = table.get("id") if isinstance(table, dict) else None
        if not isinstance(target_id, str) or not _ID.match(target_id):
            raise DataError(
                f"{TARGETS_FILE}: {kind}[{index}].id: needs an id of lower-case letters, digits"
                " and _, such as prefrontal_cortex"
            )
        found.append(target_id)
    return tuple(found)


CHEMICALS: Final[tuple[str, ...]] = _ids("chemical")
REGIONS: Final[tuple[str, ...]] = _ids("region")
TARGETS: Final[tuple[str, ...]] = CHEMICALS + REGIONS


def words(target_id: str) -> str:
    """How a text names a target: "prefrontal cortex" for prefrontal_cortex."""
    return target_id.replace("_", " ")
