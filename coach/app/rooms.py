"""Two terminals (issue 22): one partner's side of a room, without the terminal.

Sam runs `coach start --mode apart` (partner a), Alex `coach join DIR` (partner b), each with
their own data directory. The room folder carries only public keys and sealed documents
(coach.domain.room); each partner's draft stays in their own data directory
(coach.store.room_files), so a room folder that vanishes or fills loses nothing typed.

The order: a writes room.toml and a.pub; b writes b.pub; a seals setup.age to both keys; each
terminal computes the pairing codes from the keys and the setup it read, and each partner types
the code the other's terminal shows (a key or setup swapped in the folder makes them differ).
Then each answers their own questions; each choice for today is sealed to both as a decision;
a partner's packet is sealed when both choices are known, trimmed to today's plan; the other's
packet is opened only after one's own is sealed; both terminals then build the same session.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomli_w

from coach.app.reveal import assemble, check_answers, session_from_setup, session_text
from coach.base.errors import DataError, UsageError
from coach.domain import room_docs as doc
from coach.domain.pathway import Choice, plan_for
from coach.domain.session import Session, now
from coach.store import room_files as files

if TYPE_CHECKING:
    from coach.content import Content
    from coach.rules import Inference, RulePack
    from coach.store.crypto import Keys

ROOMS_ENV = "COACH_ROOMS"
RECORD_FORMAT = "coach-room-record/1"


def default_room_base() -> Path:
    """Where rooms go without --room: private to this user, outside every data directory, so
    two data directories on this machine reach the same room ($COACH_ROOMS overrides it)."""
    override = os.environ.get(ROOMS_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("coach-rooms", appauthor=False))


def pack_label(pack: RulePack) -> str:
    return f"{pack.id} {pack.version}"


@dataclass
class Record:
    """This partner's own record of a room, kept in their data directory."""

    room_id: str
    me: str
    keys: dict[str, str]
    setup_digest: str = ""
    paired: bool = False
    session_text: str = ""
    choice: str = ""
    checkin_shared: bool | None = None
    my_packet: str = ""
    their_packet: str = ""

    def to_bytes(self) -> bytes:
        data: dict[str, Any] = {
            "format": RECORD_FORMAT,
            "room": self.room_id,
            "me": self.me,
            "keys": self.keys,
            "setup": self.setup_digest,
            "paired": self.paired,
            "session": self.session_text,
            "choice": self.choice,
            "my_packet": self.my_packet,
            "their_packet": self.their_packet,
        }
        if self.checkin_shared is not None:
            data["checkin_shared"] = self.checkin_shared
        return tomli_w.dumps(data).encode()

    @classmethod
    def from_bytes(cls, data: bytes, where: str) -> Record:
        try:
            parsed = tomllib.loads(data.decode("utf-8"))
            return cls(
                room_id=parsed["room"],
                me=parsed["me"],
                keys=dict(parsed["keys"]),
                setup_digest=parsed["setup"],
                paired=parsed["paired"],
                session_text=parsed["session"],
                choice=parsed["choice"],
                checkin_shared=parsed.get("checkin_shared"),
                my_packet=parsed["my_packet"],
                their_packet=parsed["their_packet"],
            )
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
            raise DataError(f"{where}: damaged; delete it to join the room afresh") from None


class Apart:
    """One partner's side of one room."""

    def __init__(self, path: Path, room_id: str, keys: Keys, record: Record) -> None:
        self.path = path
        self.room_id = room_id
        self.keys = keys
        self.record = record
        self.me = record.me
        self.them = doc.other(record.me)
        self.setup: doc.Setup | None = None

    # --- opening a room ---------------------------------------------------------------------

    @classmethod
    def start(cls, path: Path | None) -> Apart:
        """A new room for partner a, in `path` (empty or new) or the default place."""
        room_id = secrets.token_hex(8)
        path = path if path is not None else default_room_base() / room_id
        if (path / doc.ROOM_FILE).exists():
            raise UsageError(f"{path} already holds a room; continue it with: coach join {path}")
        files.make_room_dir(path)
        keys = files.room_keys()
        if not files.write_room_file(path / doc.ROOM_FILE, doc.room_text(room_id, "apart")):
            raise UsageError(f"{path} already holds a room; continue it with: coach join {path}")
        files.write_room_file(path / doc.key_file("a"), f"{keys.recipient}\n".encode())
        record = Record(room_id, "a", {"a": str(keys.recipient)})
        apart = cls(path, room_id, keys, record)
        apart.save()
        return apart

    @classmethod
    def join(cls, path: Path) -> Apart:
        """This partner's side of the room in `path`: a's or b's by their key, or b's when the
        room has no second partner yet."""
        where = path / doc.ROOM_FILE
        data = files.read_room_file(where)
        if data is None:
            raise UsageError(f"{path} is not a room (no {doc.ROOM_FILE}); check the folder")
        room_id, _ = doc.parse_room(data, str(where))
        keys = files.room_keys()
        mine = str(keys.recipient)
        found = {p: cls._public(path, p) for p in doc.PARTNERS}
        me = next((p for p in doc.PARTNERS if found[p] == mine), None)
        if me is None and found["b"] is None and found["a"] is not None:
            files.write_room_file(path / doc.key_file("b"), f"{mine}\n".encode())
            me = "b"
        if me is None:
            raise DataError(f"{path}: this room is for two other keys; it is not yours to join")
        stored = files.load_record(room_id)
        record = Record.from_bytes(stored, str(files.record_path(room_id))) if stored else None
        if record is None:
            record = Record(room_id, me, {p: k for p, k in found.items() if k})
        apart = cls(path, room_id, keys, record)
        apart.check_keys()
        apart.save()
        return apart

    @staticmethod
    def _public(path: Path, partner: str) -> str | None:
        where = path / doc.key_file(partner)
        data = files.read_room_file(where)
        return (
            None
            if data is None
            else files.valid_public_key(data.decode(errors="replace"), str(where))
        )

    def check_keys(self) -> None:
        """The keys in the room are those pinned at pairing (a swapped key is refused)."""
        for partner in doc.PARTNERS:
            found = self._public(self.path, partner)
            pinned = self.record.keys.get(partner)
            if found is None:
                continue
            if pinned is None and not self.record.paired:
                self.record.keys[partner] = found
            elif found != pinned:
                raise DataError(
                    f"{self.path / doc.key_file(partner)}: replaced since you joined; "
                    "this room cannot be trusted (start a new one)"
                )

    def save(self) -> None:
        files.save_record(self.room_id, self.record.to_bytes())

    def file(self, name: str) -> Path:
        return self.path / name

    # --- pairing ----------------------------------------------------------------------------

    def both_keys(self) -> bool:
        self.check_keys()
        return all(p in self.record.keys for p in doc.PARTNERS)

    def recipients(self) -> list[str]:
        return [self.record.keys[p] for p in doc.PARTNERS]

    def write_setup(self, session: Session, pack: RulePack) -> None:
        """Partner a seals the names, label, steps and rule pack to both keys (once)."""
        setup = doc.Setup(
            self.room_id,
            session.id,
            session.created,
            dict(session.partners),
            session.couple,
            list(session.steps),
            bool(session.checkin),
            pack_label(pack),
        )
        files.write_room_file(
            self.file(doc.SETUP_FILE), files.seal_to(doc.setup_bytes(setup), self.recipients())
        )
        self.open_setup()

    def open_setup(self) -> doc.Setup | None:
        where = self.file(doc.SETUP_FILE)
        data = files.read_room_file(where)
        if data is None:
            return None
        found = doc.digest(data)
        if self.record.setup_digest and found != self.record.setup_digest:
            raise DataError(f"{where}: replaced since pairing; this room cannot be trusted")
        self.setup = doc.parse_setup(
            files.open_sealed(data, self.keys, str(where)), str(where), self.room_id
        )
        if not self.record.setup_digest:
            self.record.setup_digest = found
            self.record.session_text = session_text(session_from_setup(self.setup))
            self.save()
        return self.setup

    def codes(self) -> tuple[str, str]:
        """(pairing code, reply code) as this terminal computes them."""
        args = (self.room_id, self.record.keys, self.record.setup_digest)
        return doc.pairing_code(*args), doc.reply_code(*args)

    def mark_paired(self) -> None:
        self.record.paired = True
        self.save()

    # --- the sitting ------------------------------------------------------------------------

    def session(self) -> Session:
        from coach.store.format import session_from_text

        where = str(files.record_path(self.room_id))
        return session_from_text(self.record.session_text, where)

    def keep(self, session: Session) -> Path:
        """Save this partner's draft in their own data directory (never in the room)."""
        self.record.session_text = session_text(session)
        self.save()
        return files.record_path(self.room_id)

    def status(self, partner: str) -> str:
        """What a partner's terminal shows of the other: only "answering" or "done"."""
        try:
            if self.file(doc.packet_file(partner)).exists():
                return "done"
        except OSError:
            pass
        return "answering"

    def decide(self, choice: Choice, checkin_shared: bool | None = None) -> None:
        """Seal this partner's choice for today (and CSI-4 consent) to both keys."""
        self.record.choice = choice
        if checkin_shared is not None:
            self.record.checkin_shared = checkin_shared
        self.save()  # kept first: a room folder that is gone loses nothing
        assert self.setup is not None
        stem = f"{self.me}.decision"
        number = (files.numbered(self.path, stem) or [0])[-1] + 1
        shared = self.record.checkin_shared if self.setup.checkin else None
        decision = doc.Decision(self.me, number, choice, shared)
        data = doc.decision_bytes(decision, self.room_id, self.setup.session_id)
        while not files.write_room_file(
            self.file(doc.decision_file(self.me, number)), files.seal_to(data, self.recipients())
        ):
            number += 1
            decision = doc.Decision(self.me, number, choice, shared)
            data = doc.decision_bytes(decision, self.room_id, self.setup.session_id)

    def decisions(self) -> list[doc.Decision]:
        assert self.setup is not None
        found = []
        for partner in doc.PARTNERS:
            for number in files.numbered(self.path, f"{partner}.decision"):
                where = self.file(doc.decision_file(partner, number))
                data = files.read_room_file(where)
                if data is None:
                    continue
                plain = files.open_sealed(data, self.keys, str(where))
                found.append(
                    doc.parse_decision(
                        plain, str(where), self.room_id, self.setup.session_id, partner
                    )
                )
        return found

    def plan(self) -> Choice | None:
        """Today's plan once both chose (stop as soon as either chose it)."""
        assert self.setup is not None
        plan = doc.plan_of(self.decisions())
        return None if plan is None else plan_for(self.setup.steps, plan)

    def ready_to_seal(self) -> bool:
        """Both choices known, and both CSI-4 consents when the check-in was asked."""
        assert self.setup is not None
        decisions = self.decisions()
        if doc.plan_of(decisions) is None:
            return False
        if not self.setup.checkin:
            return True
        return all(doc.shared_consent(decisions, p) is not None for p in doc.PARTNERS)

    def sealed(self) -> bool:
        return bool(self.record.my_packet)

    def seal(self, session: Session, content: Content) -> None:
        """Seal this partner's packet: today's plan, only what the reveal shows both."""
        from coach.domain.pathway import short_steps
        from coach.domain.session import prompts_for

        assert self.setup is not None
        decisions = self.decisions()
        plan = self.plan()
        if plan is None or plan == "stop":
            raise DataError("internal: a packet is sealed only once today's plan is known")
        steps = short_steps(self.setup.steps) if plan == "short" else self.setup.steps
        wanted = {p.id for p in prompts_for(content, steps) if p.partner == self.me}
        both = all(doc.shared_consent(decisions, p) for p in doc.PARTNERS)
        packet = doc.Packet(
            partner=self.me,
            couple=doc.couple_id(self.record.keys),
            plan=plan,
            sealed=now(),
            answers=[
                doc.PacketAnswer(a.prompt_id, a.value, a.time)
                for a in session.answers
                if a.prompt_id in wanted and a.prompt_id not in session.unfinished
            ],
            skipped=[s for s in session.skipped if s in wanted],
            checkin=dict(session.checkin.get(self.me, {})) if both else {},
            checkin_shared=both,
        )
        data = doc.packet_bytes(packet, self.room_id, self.setup.session_id)
        where = self.file(doc.packet_file(self.me))
        files.write_room_file(where, files.seal_to(data, self.recipients()))
        written = files.read_room_file(where)
        if written is None:
            raise DataError(f"{where}: gone as soon as it was written; join again")
        self.record.my_packet = doc.digest(written)
        self.save()

    def packet(self, partner: str, content: Content) -> doc.Packet | None:
        """A sealed packet, checked; the other's only once this partner's own is sealed, and
        either only as first seen (a sealed set cannot be replaced)."""
        assert self.setup is not None
        if partner == self.them and not self.sealed():
            raise DataError("internal: the other packet is opened only after one's own is sealed")
        where = self.file(doc.packet_file(partner))
        data = files.read_room_file(where)
        if data is None:
            return None
        pinned = self.record.my_packet if partner == self.me else self.record.their_packet
        if pinned and doc.digest(data) != pinned:
            raise DataError(f"{where}: replaced after it was sealed; it was not used")
        plain = files.open_sealed(data, self.keys, str(where))
        couple = doc.couple_id(self.record.keys)
        packet = doc.parse_packet(
            plain, str(where), self.room_id, self.setup.session_id, partner, couple
        )
        check_answers(packet, content, str(where))
        if partner == self.them and not pinned:
            self.record.their_packet = doc.digest(data)
            self.save()
        return packet

    def reveal(self, content: Content, pack: RulePack) -> tuple[Session, Inference]:
        """The finished session both terminals build alike from the two packets."""
        assert self.setup is not None
        self.same_pack(pack)
        packets = [self.packet(p, content) for p in doc.PARTNERS]
        if None in packets:
            raise DataError("internal: the reveal needs both packets")
        return assemble(self.setup, [p for p in packets if p is not None], content, pack)

    def same_pack(self, pack: RulePack) -> None:
        """UsageError unless `pack` is the rule pack the room records (one for both)."""
        assert self.setup is not None
        if pack_label(pack) != self.setup.pack:
            raise UsageError(
                f"this room reflects with the rule pack {self.setup.pack}, not {pack_label(pack)}; "
                "use the same --rules on both terminals"
            )

    def forget(self) -> None:
        files.remove_record(self.room_id)
