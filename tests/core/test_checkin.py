"""CSI-4 scoring against the published items, ranges and the 13.5 reference point."""

from __future__ import annotations

import pytest

from coach.base.errors import DataError
from coach.content import load_content
from coach.domain import checkin

LOWEST = {"happiness": 0, "warm_comfortable": 0, "rewarding": 0, "satisfied": 0}
HIGHEST = {"happiness": 6, "warm_comfortable": 5, "rewarding": 5, "satisfied": 5}


def test_content_file_matches_the_published_scale() -> None:
    shipped = load_content().checkin
    assert {item.id: item.max_score for item in shipped.items} == checkin.ITEM_MAX
    assert shipped.cutoff == checkin.REFERENCE_POINT == 13.5
    assert shipped.citation == checkin.CITATION


def test_total_ranges_from_0_to_21() -> None:
    assert checkin.total(LOWEST) == 0
    assert checkin.total(HIGHEST) == 21 == checkin.MAX_TOTAL


@pytest.mark.parametrize(("value", "below"), [(0, True), (13, True), (14, False), (21, False)])
def test_reference_point_boundaries(value: int, below: bool) -> None:
    assert checkin.below_reference_point(value) is below


def test_thirteen_and_fourteen_from_items() -> None:
    thirteen = {"happiness": 4, "warm_comfortable": 3, "rewarding": 3, "satisfied": 3}
    fourteen = {**thirteen, "satisfied": 4}
    assert checkin.below_reference_point(checkin.total(thirteen))
    assert not checkin.below_reference_point(checkin.total(fourteen))


@pytest.mark.parametrize(
    ("item", "score"),
    [
        ("happiness", 7),
        ("happiness", -1),
        ("warm_comfortable", 6),
        ("rewarding", 6),
        ("satisfied", 6),
        ("satisfied", True),
        ("satisfied", 2.5),
        ("satisfied", "3"),
    ],
)
def test_out_of_range_or_wrong_type_item_is_rejected(item: str, score: object) -> None:
    with pytest.raises(DataError, match=item):
        checkin.total({**HIGHEST, item: score})


def test_highest_answer_of_each_item_is_accepted() -> None:
    # Item 1 has seven answers (0-6); a 6 is valid there and only there.
    assert checkin.check_item("happiness", 6) == 6
    with pytest.raises(DataError, match="0 to 5"):
        checkin.check_item("rewarding", 6)


def test_missing_items_are_named() -> None:
    partial = {"happiness": 3, "rewarding": 2}
    with pytest.raises(DataError, match="missing items warm_comfortable, satisfied"):
        checkin.total(partial)


def test_unknown_item_suggests_the_closest() -> None:
    with pytest.raises(DataError, match='did you mean "satisfied"'):
        checkin.total({**HIGHEST, "satisfed": 2})


@pytest.mark.parametrize("value", [-1, 22])
def test_total_out_of_range_is_rejected(value: int) -> None:
    with pytest.raises(DataError):
        checkin.below_reference_point(value)


def test_description_is_a_reference_point_not_a_diagnosis() -> None:
    low, high = checkin.description(13), checkin.description(14)
    assert low.startswith("13 of 21") and "below the published reference point" in low
    assert high.startswith("14 of 21") and "at or above" in high
    for text in (low, high):
        assert "not a diagnosis" in text
        assert "13.5" in text
