"""The facilitator's private flags record, and a short session's file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from vault_helpers import install, make_identity

from coach.base.errors import DataError
from coach.store import crypto
from coach.store.flags import FOLLOW_UP, add_flag, close_flag, flags_path, read_flags

WHEN = datetime(2026, 12, 4, 19, 30, tzinfo=UTC)


def test_a_flag_holds_the_couple_the_time_and_the_words_follow_up_only(coach_home: Path) -> None:
    flag = add_flag("Sam & Alex", WHEN)
    text = flags_path().read_text(encoding="utf-8")
    assert FOLLOW_UP in text and "Sam & Alex" in text
    assert oct(flags_path().stat().st_mode & 0o777) == "0o600"
    assert oct(flags_path().parent.stat().st_mode & 0o777) == "0o700"
    (read,) = read_flags()
    assert read.id == flag.id and read.is_open
    closed = close_flag(flag.id[:10], WHEN)
    assert closed.closed == WHEN
    assert not read_flags()[0].is_open


def test_closing_an_unknown_flag_is_one_line_listing_the_open_ones(coach_home: Path) -> None:
    flag = add_flag("Sam & Alex", WHEN)
    with pytest.raises(
        DataError, match=f'^flag "nope" is not an open flag; open flags: {flag.id}$'
    ):
        close_flag("nope", WHEN)


def test_the_record_is_sealed_with_an_encrypted_store(coach_home: Path) -> None:
    install(make_identity())
    add_flag("Sam & Alex", WHEN)
    data = flags_path().read_bytes()
    assert crypto.is_age(data)
    assert b"Sam" not in data
    assert read_flags()[0].couple == "Sam & Alex"


def test_encrypt_and_decrypt_take_the_flags_record_along(coach_home: Path) -> None:
    from coach.store import convert

    add_flag("Sam & Alex", WHEN)
    identity = make_identity()
    install(identity)
    convert.encrypt_store(identity.keys)
    assert crypto.is_age(flags_path().read_bytes())
    assert read_flags()[0].couple == "Sam & Alex"
    convert.decrypt_store(identity.keys)
    assert b"Sam & Alex" in flags_path().read_bytes()
