"""Two terminals (issue 22) in-process: the sealed documents' format, the pairing codes, the
plan, and one room run by two data directories, with every refusal a one-line DataError."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coach.app.rooms import Apart
from coach.base.errors import DataError
from coach.content import Content
from coach.domain import room_docs as doc
from coach.domain.session import Session
from coach.rules import RulePack, load_pack, resolve_pack_path
from coach.store import room_files

WHEN = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
KEYS = {"a": "age1" + "q" * 58, "b": "age1" + "p" * 58}


def packet(**changes: object) -> doc.Packet:
    fields: dict[str, object] = {
        "partner": "a",
        "couple": doc.couple_id(KEYS),
        "plan": "full",
        "sealed": WHEN,
        "answers": [doc.PacketAnswer("s1.a.moment", "Tea", WHEN)],
        "skipped": ["s1.a.warmth"],
    }
    fields.update(changes)
    return doc.Packet(**fields)  # type: ignore[arg-type]


def test_a_packet_reads_back_as_written() -> None:
    data = doc.packet_bytes(packet(), "room1", "s-1")
    assert doc.parse_packet(data, "p.age", "room1", "s-1", "a", doc.couple_id(KEYS)) == packet()


@pytest.mark.parametrize(
    ("room", "session", "partner", "couple", "says"),
    [
        ("room2", "s-1", "a", None, "another room"),
        ("room1", "s-0", "a", None, "another session (replayed?)"),
        ("room1", "s-1", "b", None, "another partner's file"),
        ("room1", "s-1", "a", "0" * 32, "another couple"),
    ],
)
def test_a_packet_from_elsewhere_is_refused_naming_the_file(
    room: str, session: str, partner: str, couple: str | None, says: str
) -> None:
    data = doc.packet_bytes(packet(), "room1", "s-1")
    with pytest.raises(DataError) as caught:
        doc.parse_packet(data, "p.age", room, session, partner, couple or doc.couple_id(KEYS))
    assert caught.value.message.startswith("p.age: ")
    assert says in caught.value.message
    assert "\n" not in caught.value.message


def test_a_damaged_packet_is_one_line() -> None:
    with pytest.raises(DataError, match=r"^p.age: not a coach room document"):
        doc.parse_packet(b"\xff\x00", "p.age", "r", "s", "a", "c")
    bad = doc.packet_bytes(packet(plan="stop"), "r", "s")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="plan must be"):
        doc.parse_packet(bad, "p.age", "r", "s", "a", doc.couple_id(KEYS))


def test_the_pairing_code_changes_with_any_key_or_setup() -> None:
    code = doc.pairing_code("r", KEYS, "d")
    assert code == doc.pairing_code("r", dict(reversed(list(KEYS.items()))), "d")
    assert code != doc.pairing_code("r", {**KEYS, "b": "age1" + "z" * 58}, "d")
    assert code != doc.pairing_code("r", KEYS, "e")
    assert code != doc.reply_code("r", KEYS, "d")
    assert doc.codes_match(code.lower().replace("-", " "), code)
    assert not doc.codes_match(code[:-1], code)


def test_the_plan_is_the_shorter_choice_once_both_chose() -> None:
    full_a = doc.Decision("a", 1, "full")
    assert doc.plan_of([full_a]) is None
    assert doc.plan_of([doc.Decision("b", 1, "stop")]) == "stop"
    assert doc.plan_of([full_a, doc.Decision("b", 1, "short")]) == "short"
    later = [full_a, doc.Decision("b", 1, "full"), doc.Decision("a", 2, "short")]
    assert doc.plan_of(later) == "short"  # a later sitting's check can only shorten it


# --- one room, two data directories ---------------------------------------------------------


class Two:
    """Switch COACH_HOME between Sam's and Alex's data directories."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.homes = {"a": tmp_path / "sam", "b": tmp_path / "alex"}
        self.monkeypatch = monkeypatch

    def be(self, partner: str) -> None:
        self.monkeypatch.setenv("COACH_HOME", str(self.homes[partner]))


@pytest.fixture
def pack(content: Content) -> RulePack:
    return load_pack(resolve_pack_path(None), content)


def paired_room(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pack: RulePack,
    steps: list[int],
    room_name: str = "room",
) -> tuple[Two, Apart, Apart]:
    two = Two(tmp_path, monkeypatch)
    room = tmp_path / room_name
    two.be("a")
    sam = Apart.start(room)
    draft = Session(
        id="20261204-200000-abcdef",
        created=WHEN,
        partners={"a": "Sam", "b": "Alex"},
        mode="private",
        couple="Birch Lane",
        steps=steps,
    )
    sam.keep(draft)
    two.be("b")
    alex = Apart.join(room)
    two.be("a")
    assert sam.both_keys()
    sam.write_setup(sam.session(), pack)
    two.be("b")
    assert alex.open_setup() is not None
    assert alex.codes() == sam.codes()
    return two, sam, alex


def answer_all(apart: Apart, content: Content, text: str) -> Session:
    session = apart.session()
    for prompt in content.step(1).prompts_in_order():
        if prompt.partner == apart.me:
            value = (
                text if prompt.type == "text" else (prompt.min if prompt.type == "scale" else True)
            )
            if prompt.type == "choice":
                value = prompt.choices[0].value
            session.record(prompt, value)
    apart.keep(session)
    return session


def test_both_sides_build_the_same_session_and_the_room_holds_no_plain_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: Content, pack: RulePack
) -> None:
    two, sam, alex = paired_room(tmp_path, monkeypatch, pack, [1])
    two.be("a")
    sam_answers = answer_all(sam, content, "Tea on the balcony")
    sam.decide("full")
    assert not sam.ready_to_seal()  # Alex has not chosen yet
    two.be("b")
    alex_answers = answer_all(alex, content, "Dog walk at dawn")
    alex.decide("full")
    with pytest.raises(DataError, match="only after one's own is sealed"):
        alex.packet("a", content)
    alex.seal(alex_answers, content)
    two.be("a")
    assert sam.ready_to_seal()
    sam.seal(sam_answers, content)
    mine, _ = sam.reveal(content, pack)
    two.be("b")
    theirs, _ = alex.reveal(content, pack)
    assert mine == theirs
    assert "Tea on the balcony" in {a.value for a in mine.answers}
    assert {a.partner for a in mine.answers} == {"a", "b"}
    plain = b"".join(p.read_bytes() for p in sam.path.iterdir())
    for secret in (b"Sam", b"Alex", b"Birch", b"Tea on", b"Dog walk"):
        assert secret not in plain
    # A sealed set cannot be changed: a packet swapped after it was first read is refused.
    packet_path = sam.path / doc.packet_file("a")
    sealed = packet_path.read_bytes()
    packet_path.unlink()
    two.be("a")
    packet_path.write_bytes(room_files.seal_to(b"format = 'x'", sam.recipients()))
    two.be("b")
    with pytest.raises(DataError, match=r"a\.packet\.age: replaced after it was sealed"):
        alex.packet("a", content)
    packet_path.write_bytes(sealed)
    assert alex.packet("a", content) is not None
    # Sealing again never replaces the packet in the room.
    assert not room_files.write_room_file(packet_path, b"other")


def test_a_short_choice_trims_both_packets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: Content, pack: RulePack
) -> None:
    two, sam, alex = paired_room(tmp_path, monkeypatch, pack, [1, 3])
    two.be("a")
    session = sam.session()
    conflict = next(p for p in content.step(3).prompts_in_order() if p.partner == "a")
    session.record(conflict, conflict.min if conflict.type == "scale" else True)
    sam.decide("full")
    two.be("b")
    alex.decide("short")
    two.be("a")
    assert sam.plan() == "short"
    sam.seal(session, content)
    opened = sam.packet("a", content)
    assert opened is not None and opened.answers == [] and opened.plan == "short"


def test_a_packet_of_another_room_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: Content, pack: RulePack
) -> None:
    two, sam, alex = paired_room(tmp_path, monkeypatch, pack, [1])
    for side, who in ((sam, "a"), (alex, "b")):
        two.be(who)
        side.decide("full")
    two.be("a")
    sam.seal(sam.session(), content)
    # The same couple (the same keys) in a second room: Sam's first packet copied in.
    _, sam2, alex2 = paired_room(tmp_path, monkeypatch, pack, [1], "room2")
    two.be("a")
    sam2.decide("full")
    two.be("b")
    alex2.decide("full")
    alex2.seal(alex2.session(), content)
    replayed = alex2.path / doc.packet_file("a")
    replayed.write_bytes((sam.path / doc.packet_file("a")).read_bytes())
    with pytest.raises(DataError, match="another room"):
        alex2.packet("a", content)


def test_the_room_key_is_private_and_can_be_deleted(
    coach_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = room_files.room_keys()
    path = room_files.identity_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(room_files.room_keys().recipient) == str(keys.recipient)  # made once, then kept
    os.chmod(path, 0o644)
    room_files.room_keys()
    assert "may be read by others" in capsys.readouterr().err
    assert room_files.delete_room_key() == path
    assert not path.exists()


def test_in_an_encrypted_store_the_room_key_is_sealed_with_the_store(coach_home: Path) -> None:
    from coach.store import crypto, vault
    from coach.store.disk import ensure_data_dir

    ensure_data_dir()
    secret = crypto.new_secret()
    keys = crypto.keys_from_secret(secret, "test")
    vault.identity_path().write_bytes(b"locked: never opened, the keys are remembered")
    vault.identity_path().chmod(0o600)
    vault.remember(keys)
    room_key = room_files.room_keys()
    stored = room_files.identity_path().read_bytes()
    assert crypto.is_age(stored)  # locked by the store's passphrase, through its identity
    assert b"AGE-SECRET-KEY" not in stored
    assert crypto.decrypt(stored, keys, "room key").decode().strip() == str(room_key.identity)


def test_a_terminal_with_another_rule_pack_is_refused_before_any_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pack: RulePack
) -> None:
    from dataclasses import replace

    from coach.base.errors import UsageError

    _, _, alex = paired_room(tmp_path, monkeypatch, pack, [1])
    alex.same_pack(pack)  # the pack the room records
    with pytest.raises(UsageError, match=r"rule pack default 1, not default 9; use the same"):
        alex.same_pack(replace(pack, version="9"))
