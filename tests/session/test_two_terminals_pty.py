"""Two terminals of one room driven at once through real pseudo-terminals (issue 22): the whole
flow with the CSI-4, a quit and a rejoin, and a tampered packet refused."""

from __future__ import annotations

import re
import stat
import tomllib
from pathlib import Path

import pexpect
import pytest
from apart_pty import SEALED, drive, join, own_steps, pair, start
from coach_process import run_coach, spawn_coach
from pty_session import ScrollbackTerminal, session_files

from coach.content import Content

pytestmark = pytest.mark.slow

SAM_TEXT = "Tea on the balcony with figs"
ALEX_TEXT = "Walking the dog at dawn together"


def saved(home: Path) -> dict[str, object]:
    files = session_files(home)
    assert len(files) == 1, files
    return tomllib.loads(files[0].read_text(encoding="utf-8"))


def room_bytes(room: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(room.iterdir()))


def test_the_whole_flow_on_two_terminals(tmp_path: Path, content: Content) -> None:
    room, sam_home, alex_home = tmp_path / "room", tmp_path / "sam", tmp_path / "alex"
    sam_screen = ScrollbackTerminal(120, 40)
    sam = start(room, sam_home, "--checkin", "--couple", "Birch Lane", terminal=sam_screen)
    sam.expect_exact("coach join")
    alex = join(room, alex_home)
    pair(sam, alex)
    scores = {"a": [1, 2, 3, 4], "b": [2, 3, 1, 5]}
    sam_steps = own_steps(
        "a",
        text=SAM_TEXT,
        content=content,
        checkin={i.id: s for i, s in zip(content.checkin.items, scores["a"], strict=True)},
    )
    alex_steps = own_steps(
        "b",
        text=ALEX_TEXT,
        content=content,
        checkin={i.id: s for i, s in zip(content.checkin.items, scores["b"], strict=True)},
    )
    drive(sam, sam_steps)
    sam.expect_exact("Waiting for Alex")
    drive(alex, alex_steps)
    alex.expect_exact(SEALED)
    sam.expect_exact(SEALED)
    # Of the other partner, Sam's terminal showed only "answering" or "done" until the reveal.
    before_reveal = sam_screen.flat()
    assert ALEX_TEXT not in before_reveal
    assert "Waiting for Alex to answer their private check (answering)" in before_reveal
    for child in (sam, alex):
        child.expect_exact("Saved:")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    assert ALEX_TEXT in sam_screen.flat()  # the reveal shows both
    # Each data directory holds the same finished session, both partners' answers in it.
    sam_file, alex_file = saved(sam_home), saved(alex_home)
    assert sam_file == alex_file
    values = {a["prompt"]: a["value"] for a in sam_file["answers"]}  # type: ignore[union-attr]
    expected = {s.prompt_id: s.value for s in sam_steps + alex_steps if s.prompt_id}
    assert values == expected
    assert sam_file["session"]["couple"] == "Birch Lane"  # type: ignore[index]
    assert sam_file["checkin"]["b"]  # type: ignore[index]  # both said yes: both totals shown
    # Nothing in the room names a person, the label or an answer; every file is private.
    plain = room_bytes(room)
    for secret in ("Sam", "Alex", "Birch", SAM_TEXT, ALEX_TEXT, "together"):
        assert secret.encode() not in plain
    for path in room.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # It is a session like any other: history lists it in both data directories.
    for home in (sam_home, alex_home):
        listed = run_coach("history", "--format", "json", home=home)
        assert sam_file["session"]["id"] in listed.stdout  # type: ignore[index]


def test_a_partner_quits_and_rejoins_with_nothing_lost(tmp_path: Path, content: Content) -> None:
    room, sam_home, alex_home = tmp_path / "room", tmp_path / "sam", tmp_path / "alex"
    sam = start(room, sam_home, "--steps", "1,2")
    sam.expect_exact("coach join")
    alex = join(room, alex_home)
    pair(sam, alex)
    steps = own_steps("a", (1, 2), text=SAM_TEXT, content=content)
    first = next(i for i, s in enumerate(steps) if s.prompt_id) + 2  # the check and 2 answers
    drive(sam, steps[:first])
    sam.expect_exact(steps[first].expect)
    sam.sendcontrol("c")
    sam.expect_exact("Paused")
    sam.expect(pexpect.EOF)
    sam.close()
    assert sam.exitstatus == 130
    assert not session_files(sam_home)  # a room's draft is not a guided draft
    # Alex goes on meanwhile; Sam comes back later with the same line.
    drive(alex, own_steps("b", (1, 2), text=ALEX_TEXT, content=content))
    alex.expect_exact("Waiting for Sam")
    sam = join(room, sam_home)
    check = [s for s in steps if s.part == "check"]
    drive(sam, check)  # every sitting begins with the private check
    rest = [s for s in steps[first:] if s.part != "check"]
    drive(sam, rest)  # then only what was still unanswered
    for child in (sam, alex):
        child.expect_exact("Saved:")
        child.expect(pexpect.EOF)
    sam_file = saved(sam_home)
    assert sam_file == saved(alex_home)
    kept = {a["prompt"] for a in sam_file["answers"]}  # type: ignore[union-attr]
    assert {s.prompt_id for s in steps[:first] if s.prompt_id} <= kept


def test_a_tampered_packet_is_refused_in_one_line(tmp_path: Path, content: Content) -> None:
    sam_home, alex_home = tmp_path / "sam", tmp_path / "alex"
    # Sam's packet is tampered with before Alex's terminal reads it.
    room2 = tmp_path / "room2"
    sam2 = start(room2, sam_home, "--steps", "1")
    sam2.expect_exact("coach join")
    alex2 = join(room2, alex_home)
    pair(sam2, alex2)
    drive(sam2, own_steps("a", (1,), content=content))
    sam2.expect_exact("Waiting for Alex")
    drive(alex2, own_steps("b", (1,), content=content)[:-1])  # all but the closing's last Enter
    alex2.expect_exact("Press Enter when you are ready")
    sam2.expect_exact(SEALED)  # Sam's packet is in the room: tampered with before Alex reads it
    packet = room2 / "a.packet.age"
    data = bytearray(packet.read_bytes())
    data[-5] ^= 0x01
    packet.write_bytes(bytes(data))
    alex2.send("\r")
    alex2.expect_exact(str(packet))
    alex2.expect_exact("cannot be opened with your key")
    alex2.expect(pexpect.EOF)
    alex2.close()
    assert alex2.exitstatus == 1
    assert "Traceback" not in (alex2.before or "")
    assert not session_files(alex_home)  # nothing was revealed from it
    sam2.terminate(force=True)


def sitting(tmp_path: Path, content: Content, alex_yes: tuple[str, ...]) -> tuple[str, list[str]]:
    """Alex answers the check first ("short", after `alex_yes` if any), then Sam (full): what
    Sam's terminal showed, made comparable, and the names of the room's files."""
    room, sam_home, alex_home = tmp_path / "room", tmp_path / "sam", tmp_path / "alex"
    sam_screen = ScrollbackTerminal(100, 40)
    sam = start(room, sam_home, "--steps", "1-5", terminal=sam_screen)
    sam.expect_exact("coach join")
    alex = join(room, alex_home)
    pair(sam, alex)
    short = (1, 2, 5)
    alex_steps = own_steps("b", short, choice="short", yes=alex_yes, content=content)
    drive(alex, [s for s in alex_steps if s.part == "check"])
    alex.expect_exact("Today's plan: a short session")
    drive(sam, own_steps("a", short, content=content))
    sam.expect_exact("Waiting for Alex")
    drive(alex, [s for s in alex_steps if s.part != "check"])
    for child in (sam, alex):
        child.expect_exact("Saved:")
        child.expect(pexpect.EOF)
    # Without spaces: a long path wraps where the terminal's width falls.
    shown = "".join(sam_screen.flat().split()).replace(str(tmp_path), "TMP")
    shown = re.sub(r"\d{8}-\d{6}-[0-9a-f]{6}", "ID", shown)  # before the codes: ids hold digits
    shown = re.sub(r"[A-Z2-9]{4}-[A-Z2-9]{4}", "CODE", shown)
    shown = re.sub(r"\d{4}-\d{2}-\d{2}", "DATE", shown)
    shown = re.sub(r"\d{2}:\d{2}", "TIME", shown)
    return shown, sorted(p.name for p in room.iterdir())


def test_a_disclosure_on_one_terminal_looks_like_a_short_choice_on_the_other(
    tmp_path: Path, content: Content
) -> None:
    """Alex discloses fear in the check: Sam's terminal, the room's files and Sam's saved
    session are those of a short session Alex chose for no reason."""
    disclosed = sitting(tmp_path / "one", content, ("afraid",))
    chosen = sitting(tmp_path / "two", content, ())
    assert disclosed == chosen
    saved_one, saved_two = saved(tmp_path / "one" / "sam"), saved(tmp_path / "two" / "sam")
    assert saved_one["answers"] == [
        {**a, "time": b["time"]}
        for a, b in zip(saved_two["answers"], saved_one["answers"], strict=True)  # type: ignore[arg-type]
    ]
    assert saved_one["session"]["length"] == "short"  # type: ignore[index]


def test_the_room_folder_vanishing_mid_session_loses_nothing_typed(
    tmp_path: Path, content: Content
) -> None:
    import shutil

    room, sam_home, alex_home = tmp_path / "room", tmp_path / "sam", tmp_path / "alex"
    sam = start(room, sam_home, "--steps", "1,2")
    sam.expect_exact("coach join")
    alex = join(room, alex_home)
    pair(sam, alex)
    steps = own_steps("b", (1, 2), text=ALEX_TEXT, content=content)
    check = [s for s in steps if s.part == "check"]
    drive(alex, check)
    first = steps[len(check)]
    alex.expect_exact(first.expect)
    backup = tmp_path / "stick-copy"
    shutil.copytree(room, backup)
    shutil.rmtree(room)  # the USB stick pulled out while Alex answers
    alex.send(first.keys)
    drive(alex, steps[len(check) + 1 :])
    alex.expect_exact("everything you answered is kept in your own data directory")
    alex.expect(pexpect.EOF)
    alex.close()
    assert alex.exitstatus == 3
    shutil.copytree(backup, room)  # the stick is back
    alex = join(room, alex_home)
    drive(alex, check)  # a new sitting: the private check again, then nothing was lost
    texts = sum(1 for s in steps if s.prompt_id and content.prompts[s.prompt_id].type == "text")
    drive(alex, [s for s in steps if s.part == "closing"][-texts - 1 :])
    alex.expect_exact("Waiting for Sam")
    drive(sam, own_steps("a", (1, 2), content=content))
    for child in (sam, alex):
        child.expect_exact("Saved:")
        child.expect(pexpect.EOF)
    values = {a["prompt"]: a["value"] for a in saved(alex_home)["answers"]}  # type: ignore[union-attr]
    assert {s.prompt_id: s.value for s in steps if s.prompt_id}.items() <= values.items()
    assert saved(alex_home) == saved(sam_home)


def test_without_room_a_private_default_is_made_and_printed(tmp_path: Path) -> None:
    rooms = tmp_path / "rooms"
    sam = spawn_coach(
        ["start", "--a", "Sam", "--b", "Alex", "--mode", "apart"],
        tmp_path / "sam",
        env_extra={"COACH_ROOMS": str(rooms)},
    )
    sam.expect(r"coach join ([^\s\x1b]+)")
    made = Path(sam.match.group(1))
    assert made.parent == rooms
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert (made / "room.toml").is_file()
    sam.sendcontrol("c")
    sam.expect_exact("coach join")  # the pause says how to continue
    sam.expect(pexpect.EOF)
