"""The one output writer: where every `-o FILE` of every command goes, under one policy.

  -o -          standard output (as without -o), never a file named "-"
  an existing file (or a symbolic link, even a dangling one) is refused without --force
  something that is not a regular file (/dev/stdout, a FIFO, a device) is refused, even with it
  a path inside coach's data directory (symbolic links resolved) is refused, even with --force:
                an -o file must never replace a session file or put plain text with the
                partners' names into an encrypted store
  the file is written atomically (a temporary file beside it, flushed, renamed) and is 0600

Each refusal is one line naming the file, a UsageError (exit 2). A command checks its target with
`output_target` before it does any work, and writes with `OutputTarget.write` once everything
else has worked, so a failed run leaves no file behind. Without --force the file is created
exclusively, so one that appeared since the check is not replaced either (StorageError, exit 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coach.base import paths
from coach.base.errors import UsageError
from coach.base.stdio import write_stdout

__all__ = ["STDOUT", "OutputTarget", "output_target", "write_stdout"]

STDOUT = "-"


def _inside_data_dir(target: Path) -> Path | None:
    """The data directory when `target` (symbolic links resolved) is it or lies inside it."""
    data = paths.data_dir().expanduser().resolve()
    resolved = target.expanduser().resolve()
    return data if resolved == data or data in resolved.parents else None


@dataclass(frozen=True)
class OutputTarget:
    """Where a command's output goes: a checked file, or standard output (path None)."""

    path: Path | None
    force: bool = False
    option: str = "-o"

    @property
    def to_stdout(self) -> bool:
        return self.path is None

    def write(self, data: str | bytes) -> None:
        """Write `data` (text is UTF-8) to standard output, or to the file: atomically and
        0600, never inside the data directory, never over a file without --force."""
        if self.path is None:
            write_stdout(data)
            return
        from coach.store.disk import atomic_write_bytes, exclusive_create_bytes

        _refuse_data_dir(self.path, self.option)  # again: the directory may be new since
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if self.force:
            atomic_write_bytes(self.path, raw)
        else:
            exclusive_create_bytes(self.path, raw)  # refuses a file that appeared since


def _refuse_data_dir(target: Path, option: str) -> None:
    data = _inside_data_dir(target)
    if data is not None:
        raise UsageError(
            f"{option} {target} is inside coach's data directory {data}; write somewhere else"
        )


def output_target(
    name: str | Path | None, *, force: bool = False, option: str = "-o"
) -> OutputTarget:
    """The checked target of `-o NAME` (None or "-": standard output); UsageError, one line
    naming it, for an empty name, a directory, a missing directory, a path inside the data
    directory, something that is not a regular file, or an existing file without `force`.
    `option` is how the message names it."""
    if name is None or str(name) == STDOUT:
        return OutputTarget(None, force, option)
    text = str(name)
    if not text or text == "." or text.endswith("/"):
        raise UsageError(f"{option} needs a file name (or {STDOUT} for standard output)")
    path = Path(text).expanduser()
    _refuse_data_dir(path, option)
    if path.is_dir():
        raise UsageError(f"{option} {text} is a directory; give a file name")
    if not path.parent.is_dir():
        raise UsageError(f"{option} {text}: the directory {path.parent} does not exist")
    if path.exists() and not path.is_file():
        # /dev/stdout, a FIFO, a device: a rename would replace the node itself, not write to it.
        raise UsageError(f"{option} {text} is not a regular file; use {STDOUT} for standard output")
    if not force and (path.exists() or path.is_symlink()):
        raise UsageError(f"{option} {text} exists; pass --force to replace it")
    return OutputTarget(path, force, option)
