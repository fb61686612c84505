"""The data directory is private whatever the umask, and an unusable one gives a clear error."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import SessionFactory

from coach.base.errors import StorageError
from coach.store.disk import ensure_data_dir
from coach.store.files import save_session
from coach.store.index_refresh import refresh_index


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_files_0600_and_directories_0700_even_under_umask_0(
    make_session: SessionFactory,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    open_umask: None,
) -> None:
    home = tmp_path / "new" / "parents" / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    path = save_session(make_session())
    save_session(make_session())  # and again, replacing the file
    refresh_index()
    for directory in (tmp_path / "new", tmp_path / "new" / "parents", home, path.parent):
        assert mode(directory) == 0o700, directory
    for file in (path, home / "index.sqlite3"):
        assert mode(file) == 0o600, file
    assert all(mode(side) == 0o600 for side in home.glob("index.sqlite3-*"))


def test_coach_home_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.write_text("not a directory")
    monkeypatch.setenv("COACH_HOME", str(home))
    with pytest.raises(StorageError) as caught:
        ensure_data_dir()
    assert caught.value.message == (
        f"cannot use data directory {home} (it is a file); set COACH_HOME to a directory"
    )


def test_coach_home_below_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    home = blocker / "coach"
    monkeypatch.setenv("COACH_HOME", str(home))
    with pytest.raises(StorageError) as caught:
        ensure_data_dir()
    assert caught.value.message == (
        f"cannot use data directory {home} ({blocker} is a file); set COACH_HOME to a directory"
    )


def test_sessions_directory_that_is_a_file(coach_home: Path) -> None:
    coach_home.mkdir()
    (coach_home / "sessions").write_text("")
    with pytest.raises(StorageError) as caught:
        ensure_data_dir()
    assert f"({coach_home / 'sessions'} is a file)" in caught.value.message


def test_read_only_data_directory(coach_home: Path) -> None:
    coach_home.mkdir(mode=0o500)
    if os.access(coach_home, os.W_OK):
        pytest.skip(
            "running as root, whom chmod 0500 does not stop from writing, so no read-only "
            "directory can be made here; test_data_directory_the_system_reports_read_only "
            "covers the same message"
        )
    with pytest.raises(StorageError) as caught:
        ensure_data_dir()
    assert caught.value.message == (
        f"cannot use data directory {coach_home} (it is read-only); "
        "make it writable or set COACH_HOME to another directory"
    )


def test_data_directory_the_system_reports_read_only(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same check where chmod cannot make a read-only directory (as root): the operating
    system's answer is replaced, the rest is real."""
    coach_home.mkdir(mode=0o500)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, flags: Path(path) != coach_home and real_access(path, flags)
    )
    with pytest.raises(StorageError) as caught:
        ensure_data_dir()
    assert caught.value.message == (
        f"cannot use data directory {coach_home} (it is read-only); "
        "make it writable or set COACH_HOME to another directory"
    )


@pytest.mark.parametrize("loose", [0o777, 0o755, 0o770, 0o701])
@pytest.mark.parametrize("which", ["data", "sessions"])
def test_a_directory_others_may_open_is_made_private_with_a_warning(
    make_session: SessionFactory, coach_home: Path, loose: int, which: str
) -> None:
    from coach_process import invoke

    save_session(make_session())
    refresh_index()
    directory = coach_home if which == "data" else coach_home / "sessions"
    directory.chmod(loose)
    listed = invoke("list")  # a warm index: the quick path of a listing checks too
    assert listed.code == 0
    assert listed.stderr.splitlines() == [
        f"coach: warning: {directory} was open to others (mode {loose:o}); coach set it back to 700"
    ]
    assert mode(directory) == 0o700
    again = invoke("list")
    assert again.code == 0 and again.stderr == ""


def test_a_shared_or_unchangeable_data_directory_is_refused(
    coach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: never coach's to make private
    monkeypatch.setenv("COACH_HOME", str(shared))
    with pytest.raises(StorageError) as refused:
        ensure_data_dir()
    assert refused.value.message == (
        f"cannot use data directory {shared} (it is a shared directory (mode 1777)); "
        "set COACH_HOME to a directory of your own"
    )
    assert mode(shared) == 0o1777
    monkeypatch.setenv("COACH_HOME", str(coach_home))
    ensure_data_dir()
    coach_home.chmod(0o777)

    def no_chmod(path: object, mode: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", no_chmod)
    with pytest.raises(StorageError) as unchangeable:
        ensure_data_dir()
    assert unchangeable.value.message == (
        f"cannot use data directory {coach_home} (others may open it (mode 777) and it cannot be "
        f"made private: Operation not permitted); chmod 700 {coach_home}, or set COACH_HOME to "
        "a directory of your own"
    )


def test_another_users_open_data_directory_is_refused_not_changed(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_data_dir()
    coach_home.chmod(0o755)
    owner = coach_home.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    with pytest.raises(StorageError, match=r"others may open it \(mode 755\), and it is another"):
        ensure_data_dir()
    assert mode(coach_home) == 0o755


def test_a_file_system_that_keeps_the_mode_open_is_warned_about_not_refused(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach.base.errors import set_warning_sink

    ensure_data_dir()
    coach_home.chmod(0o777)
    monkeypatch.setattr(os, "chmod", lambda path, mode: None)  # accepted, and nothing changes
    said: list[str] = []
    previous = set_warning_sink(said.append)
    try:
        ensure_data_dir()
    finally:
        set_warning_sink(previous)
    assert said == [
        f"{coach_home} is open to others (mode 777) and its file system keeps it so; keep "
        "coach's data on a disk only you can reach"
    ]


def test_a_warning_shows_a_hostile_path_harmlessly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coach_process import invoke

    home = tmp_path / "home\x1b]0;owned\x07"
    monkeypatch.setenv("COACH_HOME", str(home))
    ensure_data_dir()
    home.chmod(0o777)
    listed = invoke("list")
    assert listed.code == 0
    assert "\x1b" not in listed.stderr and "\x07" not in listed.stderr
    assert "home\\x1b]0;owned\\x07 was open to others (mode 777)" in listed.stderr
