"""Two terminals (issue 22): the room's files, the pairing codes and the sealed documents. Pure.

A room is a folder both partners can reach (a synced folder, a share, a USB stick). In it:
  room.toml            the room's id and kind, in the clear (no name, label or answer)
  a.pub, b.pub         each partner's age public key (public by design)
  setup.age            names, couple label, steps, session id, rule pack: sealed to both keys
  P.decision.N.age     partner P's choice for today (and CSI-4 consent): sealed to both keys
  P.packet.age         partner P's answers, only what the reveal shows both: sealed to both keys
Every sealed document names its room, its session and its partner, so that a file copied in
from another room, another couple or an earlier sitting is refused. This module knows the
shapes and the rules; coach.store.room_files reads and writes them, coach.app.rooms runs a room.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeAlias

import tomli_w

from coach.base.errors import DataError
from coach.content import AnswerValue
from coach.domain.pathway import Choice, combined

ROOM_FORMAT = "coach-room/1"
SETUP_FORMAT = "coach-setup/1"
DECISION_FORMAT = "coach-decision/1"
PACKET_FORMAT = "coach-packet/1"
Kind: TypeAlias = Literal["apart"]
PARTNERS = ("a", "b")
ROOM_FILE = "room.toml"
SETUP_FILE = "setup.age"
CHOICES: tuple[Choice, ...] = ("full", "short", "stop")
# Code letters a person reads aloud and types without confusion (no 0/O, 1/I/L, no U).
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def other(partner: str) -> str:
    return "b" if partner == "a" else "a"


def key_file(partner: str) -> str:
    return f"{partner}.pub"


def decision_file(partner: str, number: int) -> str:
    return f"{partner}.decision.{number}.age"


def packet_file(partner: str) -> str:
    return f"{partner}.packet.age"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def couple_id(keys: dict[str, str]) -> str:
    """Who the room is for: both public keys, sorted (a packet of another couple differs)."""
    return digest("\n".join(sorted(keys[p] for p in PARTNERS)).encode())[:32]


def _code(label: str, room: str, keys: dict[str, str], setup_digest: str) -> str:
    text = "\n".join([label, room, *sorted(keys[p] for p in PARTNERS), setup_digest])
    number = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    letters = []
    for _ in range(8):
        number, rest = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[rest])
    return "".join(letters[:4]) + "-" + "".join(letters[4:])


def pairing_code(room: str, keys: dict[str, str], setup_digest: str) -> str:
    """The code the starter's terminal shows and the joiner types: both keys as each terminal
    read them from the room, and the setup it opened. A key or setup swapped in the room folder
    makes the two terminals compute different codes (a short authentication string)."""
    return _code("coach-pairing/1", room, keys, setup_digest)


def reply_code(room: str, keys: dict[str, str], setup_digest: str) -> str:
    """The code the joiner's terminal shows back and the starter types: the same check, the
    other way, so that each partner knows the room holds the other's key."""
    return _code("coach-pairing-reply/1", room, keys, setup_digest)


def codes_match(typed: str, expected: str) -> bool:
    cleaned = "".join(c for c in typed.upper() if c.isalnum())
    wanted = "".join(c for c in expected if c.isalnum())
    return len(cleaned) == len(wanted) and cleaned == wanted


# --- documents ---------------------------------------------------------------------------------


def _load(data: bytes, where: str, expected_format: str) -> dict[str, Any]:
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise DataError(f"{where}: not a coach room document (damaged?)") from None
    if parsed.get("format") != expected_format:
        raise DataError(f'{where}: not a coach room document (format "{expected_format}")')
    return parsed


def _field(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
        raise DataError(f"{where}: {key} is missing or not valid (damaged?)")
    return value


def room_text(room: str, kind: Kind) -> bytes:
    return tomli_w.dumps({"format": ROOM_FORMAT, "room": room, "kind": kind}).encode()


def parse_room(data: bytes, where: str) -> tuple[str, Kind]:
    parsed = _load(data, where, ROOM_FORMAT)
    room = _field(parsed, "room", str, where)
    if parsed.get("kind") != "apart" or not room.isalnum():
        raise DataError(f'{where}: kind must be "apart" and room an id of letters and digits')
    return room, "apart"


@dataclass(frozen=True)
class Setup:
    """What both terminals need to ask their questions: sealed, since it names the couple."""

    room: str
    session_id: str
    created: datetime
    names: dict[str, str]
    couple: str
    steps: list[int]
    checkin: bool
    pack: str  # the rule pack's id and version: both terminals reflect with the same one


def setup_bytes(setup: Setup) -> bytes:
    data = {
        "format": SETUP_FORMAT,
        "room": setup.room,
        "session": setup.session_id,
        "created": setup.created,
        "names": dict(setup.names),
        "couple": setup.couple,
        "steps": list(setup.steps),
        "checkin": setup.checkin,
        "pack": setup.pack,
    }
    return tomli_w.dumps(data).encode()


def parse_setup(data: bytes, where: str, room: str) -> Setup:
    parsed = _load(data, where, SETUP_FORMAT)
    _same_room(parsed, where, room)
    names = _field(parsed, "names", dict, where)
    if set(names) != set(PARTNERS) or not all(isinstance(v, str) and v for v in names.values()):
        raise DataError(f"{where}: names must name partners a and b (damaged?)")
    steps = _field(parsed, "steps", list, where)
    if not steps or not all(isinstance(s, int) and 1 <= s <= 5 for s in steps):
        raise DataError(f"{where}: steps must be numbers from 1 to 5 (damaged?)")
    return Setup(
        room=room,
        session_id=_field(parsed, "session", str, where),
        created=_field(parsed, "created", datetime, where),
        names=dict(names),
        couple=_field(parsed, "couple", str, where),
        steps=list(steps),
        checkin=_field(parsed, "checkin", bool, where),
        pack=_field(parsed, "pack", str, where),
    )


def _same_room(parsed: dict[str, Any], where: str, room: str) -> None:
    if parsed.get("room") != room:
        raise DataError(f"{where}: it belongs to another room; it was not used")


def _same_sitting(parsed: dict[str, Any], where: str, session_id: str, partner: str) -> None:
    if parsed.get("session") != session_id:
        raise DataError(f"{where}: it is from another session (replayed?); it was not used")
    if parsed.get("partner") != partner:
        raise DataError(f"{where}: it is another partner's file under this name; it was not used")


@dataclass(frozen=True)
class Decision:
    """A partner's choice for today (the check's last question, whatever its reason) and,
    once asked, their private yes or no to showing their CSI-4 total to both."""

    partner: str
    number: int
    choice: Choice
    checkin_shared: bool | None = None


def decision_bytes(decision: Decision, room: str, session_id: str) -> bytes:
    data: dict[str, Any] = {
        "format": DECISION_FORMAT,
        "room": room,
        "session": session_id,
        "partner": decision.partner,
        "number": decision.number,
        "choice": decision.choice,
    }
    if decision.checkin_shared is not None:
        data["checkin_shared"] = decision.checkin_shared
    return tomli_w.dumps(data).encode()


def parse_decision(data: bytes, where: str, room: str, session_id: str, partner: str) -> Decision:
    parsed = _load(data, where, DECISION_FORMAT)
    _same_room(parsed, where, room)
    _same_sitting(parsed, where, session_id, partner)
    choice = parsed.get("choice")
    if choice not in CHOICES:
        raise DataError(f'{where}: choice must be "full", "short" or "stop" (damaged?)')
    shared = parsed.get("checkin_shared")
    if shared is not None and not isinstance(shared, bool):
        raise DataError(f"{where}: checkin_shared must be true or false (damaged?)")
    number = _field(parsed, "number", int, where)
    return Decision(partner, number, choice, shared)


def plan_of(decisions: list[Decision]) -> Choice | None:
    """Today's plan, the shorter choice of the two, once both partners chose (else None).
    A later sitting's check can only make the day shorter."""
    chosen = {p: [d.choice for d in decisions if d.partner == p] for p in PARTNERS}
    if not all(chosen.values()):
        return "stop" if any("stop" in c for c in chosen.values()) else None
    return combined([choice for choices in chosen.values() for choice in choices])


def shared_consent(decisions: list[Decision], partner: str) -> bool | None:
    """The partner's latest yes or no to showing their CSI-4 total to both (None: not yet)."""
    said = [d for d in sorted(decisions, key=lambda d: d.number) if d.partner == partner]
    answers = [d.checkin_shared for d in said if d.checkin_shared is not None]
    return answers[-1] if answers else None


@dataclass(frozen=True)
class PacketAnswer:
    prompt_id: str
    value: AnswerValue
    time: datetime


@dataclass(frozen=True)
class Packet:
    """One partner's sealed answers: only what the reveal shows both."""

    partner: str
    couple: str  # couple_id of the keys it was sealed for
    plan: Choice
    sealed: datetime
    answers: list[PacketAnswer] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    checkin: dict[str, int] = field(default_factory=dict)
    checkin_shared: bool = False


def packet_bytes(packet: Packet, room: str, session_id: str) -> bytes:
    data: dict[str, Any] = {
        "format": PACKET_FORMAT,
        "room": room,
        "session": session_id,
        "partner": packet.partner,
        "couple": packet.couple,
        "plan": packet.plan,
        "sealed": packet.sealed,
        "skipped": list(packet.skipped),
        "checkin_shared": packet.checkin_shared,
        "checkin": dict(packet.checkin),
        "answers": [
            {"prompt": a.prompt_id, "value": a.value, "time": a.time} for a in packet.answers
        ],
    }
    return tomli_w.dumps(data).encode()


def parse_packet(
    data: bytes, where: str, room: str, session_id: str, partner: str, couple: str
) -> Packet:
    parsed = _load(data, where, PACKET_FORMAT)
    _same_room(parsed, where, room)
    _same_sitting(parsed, where, session_id, partner)
    if parsed.get("couple") != couple:
        raise DataError(f"{where}: it was sealed for another couple; it was not used")
    plan = parsed.get("plan")
    if plan not in ("full", "short"):
        raise DataError(f'{where}: plan must be "full" or "short" (damaged?)')
    answers = []
    for entry in _field(parsed, "answers", list, where):
        if not isinstance(entry, dict):
            raise DataError(f"{where}: an answer is not a table (damaged?)")
        value = entry.get("value")
        if not isinstance(value, (str, int, bool)):
            raise DataError(f"{where}: an answer has no valid value (damaged?)")
        answers.append(
            PacketAnswer(
                _field(entry, "prompt", str, where), value, _field(entry, "time", datetime, where)
            )
        )
    checkin = _field(parsed, "checkin", dict, where)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in checkin.values()):
        raise DataError(f"{where}: checkin scores must be whole numbers (damaged?)")
    skipped = _field(parsed, "skipped", list, where)
    if not all(isinstance(s, str) for s in skipped):
        raise DataError(f"{where}: skipped must list prompt ids (damaged?)")
    return Packet(
        partner=partner,
        couple=couple,
        plan=plan,
        sealed=_field(parsed, "sealed", datetime, where),
        answers=answers,
        skipped=list(skipped),
        checkin=dict(checkin),
        checkin_shared=_field(parsed, "checkin_shared", bool, where),
    )
