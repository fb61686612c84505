"""The ten things the coach reflects on, as plain names.

Kept apart from coach.content (which loads and validates the content files) so that the fast
paths of `coach history` and `coach trends` can name the targets without importing it.
"""

from __future__ import annotations

CHEMICALS: tuple[str, ...] = ("oxytocin", "dopamine", "serotonin", "endorphins", "vasopressin")
REGIONS: tuple[str, ...] = (
    "amygdala",
    "prefrontal_cortex",
    "anterior_cingulate_cortex",
    "insula",
    "hippocampus",
)
TARGETS: tuple[str, ...] = CHEMICALS + REGIONS
