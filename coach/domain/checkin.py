"""CSI-4 scoring (Funk & Rogge, 2007). Pure: no I/O, no terminal.

The items, their ranges and the 13.5 reference point are the published ones, stated once here:
the content loader refuses a checkin.toml whose items differ, and a test checks the reference
point and citation, so the two cannot drift. A score is checked as every answer is
(coach.domain.validity).
A total is a reference point for conversation, never a diagnosis, and the partners' totals are
never compared as a contest: `description` is worded accordingly.
"""

from __future__ import annotations

from collections.abc import Mapping

from coach.base.errors import DataError, did_you_mean
from coach.domain.validity import check_whole_number
from coach.domain.wording import noun

CITATION = (
    "Funk, J. L., & Rogge, R. D. (2007). Testing the ruler with item response theory: "
    "Increasing precision of measurement for relationship satisfaction with the Couples "
    "Satisfaction Index. Journal of Family Psychology, 21(4), 572-583. "
    "doi:10.1037/0893-3200.21.4.572"
)
# The citation as the check-in screen shows it: short enough that, at 40 columns, the screen
# still holds who-sees-what and the first item (the summary and `coach learn` give it whole).
SHORT_CITATION = "Funk & Rogge (2007), Journal of Family Psychology, 21(4), 572-583"
# Item id -> highest score. The first item has seven answers (0-6), the others six (0-5).
ITEM_MAX: dict[str, int] = {
    "happiness": 6,
    "warm_comfortable": 5,
    "rewarding": 5,
    "satisfied": 5,
}
ITEM_COUNT = len(ITEM_MAX)
MAX_TOTAL = sum(ITEM_MAX.values())  # 21
REFERENCE_POINT = 13.5


def check_item(item: str, score: object) -> int:
    """Return a valid item score, or raise DataError saying what is wrong with it."""
    if item not in ITEM_MAX:
        raise DataError(f'unknown CSI-4 item "{item}"{did_you_mean(item, ITEM_MAX)}')
    invalid = check_whole_number(score, 0, ITEM_MAX[item])
    if invalid is not None or not isinstance(score, int):  # the second test narrows the type
        raise DataError(f"CSI-4 item {item}: {invalid}")
    return score


def total(items: Mapping[str, object]) -> int:
    """The CSI-4 total, 0 to 21, from all four item scores; raises DataError otherwise."""
    missing = [item for item in ITEM_MAX if item not in items]
    if missing:
        raise DataError(f"CSI-4: missing {noun(len(missing), 'item')} {', '.join(missing)}")
    return sum(check_item(item, score) for item, score in items.items())


def complete_total(items: Mapping[str, int]) -> int | None:
    """The total of a partner who answered every item, or None (a draft may hold fewer)."""
    return sum(items.values()) if len(items) == ITEM_COUNT else None


def below_reference_point(value: int) -> bool:
    """True for totals below 13.5 (13 or less): the published point for notable dissatisfaction."""
    if isinstance(value, bool) or not 0 <= value <= MAX_TOTAL:
        raise DataError(f"CSI-4 total {value!r} is out of range 0 to {MAX_TOTAL}")
    return value < REFERENCE_POINT


def description(value: int) -> str:
    """One sentence for a partner's total, worded as a reference point, never a diagnosis."""
    if below_reference_point(value):
        where = (
            "below the published reference point of 13.5, which can point to notable "
            "dissatisfaction right now"
        )
    else:
        where = "at or above the published reference point of 13.5"
    return f"{value} of {MAX_TOTAL}: {where}. A starting point for conversation, not a diagnosis."


KEPT_PRIVATE = (
    "Each of you saw your own total privately, at the end of your check-in. Totals are shown "
    "to both of you only when both of you say yes, so here they stay private."
)


def who_sees(facilitated: bool, where: str, encrypted: bool) -> str:
    """What the check-in screen says before its first item: who will see the totals.

    `where` is the data directory. The couple shares it whenever both sit at one computer, so
    the screen says that the history there holds the totals, for anyone who can open it.
    """
    facilitator = " The facilitator's own view holds both totals." if facilitated else ""
    readers = "anyone with its passphrase" if encrypted else "anyone who can open it"
    return (
        "Who sees your total: you alone, at the end of your check-in. Then you are asked, "
        "privately, whether it may be shown to both of you; it is, only if both of you say "
        f"yes.{facilitator} It is kept in this computer's history ({where}), which {readers} "
        "can read."
    )
