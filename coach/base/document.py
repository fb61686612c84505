"""The one way coach reads a TOML document: session files, answer files, rule packs and their
cases, and the packaged content.

Every reader goes through here so that a hostile or damaged file is one clear problem rather
than a crash, whoever reads it:

- a size limit (MAX_FILE_BYTES) checked before reading, and only regular files are read, so
  /dev/zero, a FIFO or a directory is refused at once instead of being read for ever;
- one shape of parse-error message, `file:line:column: not valid TOML: reason`, which never
  quotes the offending character (it may come from a private answer);
- limits on what a parsed document may hold: nesting at most MAX_DEPTH deep, whole numbers in
  the signed 64-bit range TOML defines, and finite decimals only (no nan or inf);
- one Problem type carrying the file, line and key, and one locator that maps a key to its line,
  skipping the inside of strings (multi-line ones included), arrays and inline tables.

Pure apart from read_limited: nothing here imports typer, rich or questionary.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

from coach.base.errors import CoachError, DataError, UsageError

FieldPath: TypeAlias = tuple[str | int, ...]

# Far above any real file (a finished session with every text answer at its limit is well under
# 1 MB), far below what could exhaust memory.
MAX_FILE_BYTES = 4 * 1024 * 1024
# Tables and lists inside each other; coach's own files need five.
MAX_DEPTH = 32
# TOML's integers are signed 64-bit; tomllib accepts any size, which later overflows floats.
MAX_INT = 2**63 - 1
MIN_INT = -(2**63)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: `file:line: key: message` (line and key when known)."""

    file: str
    line: int | None
    key: str
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class DocumentError(DataError):
    """A document that cannot be read or parsed, with the problem that says where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


# --- reading bytes ---------------------------------------------------------------------------


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def read_limited(
    path: Path,
    what: str,
    shown: str | None = None,
    *,
    error: type[CoachError] = UsageError,
    refused: type[CoachError] | None = None,
    missing: type[CoachError] | None = None,
    limit: int = MAX_FILE_BYTES,
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or one clear `error`.

    `what` names the kind of file and `shown` how the user wrote its name (default: the path):
    "cannot read answer file x.toml: no such file". The file is opened without blocking and its
    kind and size are checked before anything is read, so special files are refused at once.
    `refused` (default `error`) is raised for a file of the wrong kind or size, and `missing`,
    when given, for a file that does not exist ("x.toml: no such session file").
    """
    name = shown or str(path)
    bad = refused or error
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if missing is not None:
            raise missing(f"{name}: no such {what}") from None
        raise error(f"cannot read {what} {name}: no such file") from None
    except OSError as exc:
        raise error(f"cannot read {what} {name}: {_os_problem(exc)}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise bad(f"cannot read {what} {name}: it is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise bad(f"cannot read {what} {name}: not a regular file")
        if info.st_size > limit:
            raise bad(
                f"cannot read {what} {name}: it is {_size(info.st_size)}; "
                f"coach reads files of up to {_size(limit)}"
            )
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(1024 * 1024, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise bad(
                    f"cannot read {what} {name}: it is larger than {_size(limit)}, "
                    "the most coach reads"
                )
        return b"".join(chunks)
    except OSError as exc:
        raise error(f"cannot read {what} {name}: {_os_problem(exc)}") from None
    finally:
        os.close(fd)


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.EISDIR:
        return "it is a directory"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "a symbolic link that leads to itself or too deep"
    return exc.strerror or type(exc).__name__


def read_limited_stream(stream: Any, what: str, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """Up to `limit` bytes from a binary stream (standard input), or UsageError if it is more."""
    data: bytes = stream.read(limit + 1)
    if len(data) > limit:
        raise UsageError(f"{what} is larger than {_size(limit)}, the most coach reads")
    return data


def decode(
    data: bytes,
    filename: str,
    *,
    byte_order_mark: bool = False,
    advice: str = "save the file as UTF-8",
) -> str:
    """UTF-8 text, or DocumentError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig" if byte_order_mark else "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DocumentError(Problem(filename, line, "", f"not UTF-8 text; {advice}")) from None


# --- parsing ---------------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")
# tomllib quotes the offending character in a few messages; it may come from an answer.
_TOML_QUOTED_CHARACTER = re.compile(r"(character) '.*'$")
_LONG_NUMBER = re.compile(r"\d[\d_]{3000,}")


def _toml_problem(exc: tomllib.TOMLDecodeError, text: str, filename: str) -> Problem:
    message = str(exc)
    position = _TOML_POSITION.search(message)
    reason = message[: position.start()] if position else message
    reason = _TOML_QUOTED_CHARACTER.sub(r"\1", reason.strip())
    if position is None:
        return Problem(filename, None, "", f"not valid TOML: {reason}")
    if position.group(1) is None:  # at the end of the document
        return Problem(filename, text.count("\n") + 1, "", f"not valid TOML: {reason}")
    line, column = int(position.group(1)), int(position.group(2))
    return Problem(filename, line, "", f"not valid TOML: {reason}", column)


def parse(text: str, filename: str) -> dict[str, Any]:
    """Parse a TOML document and check it against the limits; DocumentError if it fails."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DocumentError(_toml_problem(exc, text, filename)) from None
    except RecursionError:
        raise DocumentError(
            Problem(filename, None, "", f"not valid TOML: nested more than {MAX_DEPTH} deep")
        ) from None
    except ValueError:  # an integer of more digits than Python converts
        found = _LONG_NUMBER.search(text)
        line = text.count("\n", 0, found.start()) + 1 if found else None
        raise DocumentError(
            Problem(filename, line, "", "not valid TOML: a number with too many digits")
        ) from None
    problem = limits_problem(data)
    if problem is not None:
        path, message = problem
        raise DocumentError(Problem(filename, locate_line(text, path), field_name(path), message))
    return data


def limits_problem(data: Any) -> tuple[FieldPath, str] | None:
    """The first place where parsed data breaks the limits, and what is wrong there, or None.

    Iterative, so that no depth of nesting can overflow the stack here.
    """
    stack: list[tuple[FieldPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict | list):
            if len(path) > MAX_DEPTH:
                return path, f"nests tables or lists more than {MAX_DEPTH} deep"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend(((*path, key), item) for key, item in reversed(list(items)))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int) and not MIN_INT <= value <= MAX_INT:
            return path, "is a whole number beyond the 64-bit range TOML allows"
        elif isinstance(value, float) and (value != value or value in (_INF, -_INF)):
            return path, "must be a finite number (nan and inf are not allowed)"
    return None


_INF = float("inf")


# --- naming keys and finding their lines -----------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_DOTTED_KEY = rf"{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*"
_TABLE_LINE = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_DOTTED_KEY})[ \t]*\]")
_KEY_LINE = re.compile(rf"[ \t]*({_DOTTED_KEY})[ \t]*=")
_PART = re.compile(_KEY_PART)
# What changes the scanner's state outside a string: quotes, comments and brackets.
_SPECIAL = re.compile(r"\"\"\"|'''|\"|'|#|[\[\]{}]")
_BASIC_END = re.compile(r'\\.|"')
_MULTI_BASIC_END = re.compile(r'\\.|"""')


def field_name(path: FieldPath) -> str:
    """`("answers", 3, "value")` as `answers[3].value`."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            shown = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
            name += f".{shown}" if name else shown
    return name


def _unquote(part: str) -> str:
    if part.startswith('"'):
        try:
            return str(json.loads(part))
        except ValueError:  # a TOML-only escape such as \U0001F600: close enough to locate
            return part[1:-1]
    return part.strip("'")


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(_unquote(match.group(0)) for match in _PART.finditer(dotted))


class _Scanner:
    """Follows strings, comments and brackets across lines, so that the locator looks for keys
    only where a key can start: not inside a string, an array or an inline table."""

    def __init__(self) -> None:
        self.string: str | None = None  # the closing delimiter of an open multi-line string
        self.depth = 0  # open [ and { of values

    @property
    def busy(self) -> bool:
        return self.string is not None or self.depth > 0

    def scan(self, line: str, start: int = 0) -> None:
        at = start
        while at < len(line):
            if self.string is not None:
                at = self._close_multiline(line, at)
                continue
            found = _SPECIAL.search(line, at)
            if found is None:
                return
            token, at = found.group(0), found.end()
            if token == "#":
                return
            if token in ('"""', "'''"):
                self.string = token
            elif token == '"':
                at = self._end_of(_BASIC_END, '"', line, at)
            elif token == "'":
                end = line.find("'", at)
                at = len(line) if end == -1 else end + 1
            elif token in "[{":
                self.depth += 1
            else:
                self.depth = max(0, self.depth - 1)

    def _close_multiline(self, line: str, at: int) -> int:
        if self.string == "'''":
            end = line.find("'''", at)
            if end == -1:
                return len(line)
            self.string = None
            return _past_quotes(line, end, "'")
        end = self._end_of(_MULTI_BASIC_END, '"""', line, at)
        if end <= len(line) and line.endswith('"""', 0, end):
            self.string = None
            return _past_quotes(line, end - 3, '"')
        return len(line)

    @staticmethod
    def _end_of(pattern: re.Pattern[str], closing: str, line: str, at: int) -> int:
        """Just past the closing delimiter (escapes skipped), or past the end of the line."""
        for found in pattern.finditer(line, at):
            if found.group(0) == closing:
                return found.end()
        return len(line) + 1


def _past_quotes(line: str, at: int, quote: str) -> int:
    # A multi-line string may end with up to two quotes of its own before the delimiter.
    while at < len(line) and line[at] == quote:
        at += 1
    return at


def _resolve(name: tuple[str, ...], arrays: dict[FieldPath, int]) -> FieldPath:
    """A header's key path, with the current index after each array of tables it goes through
    (`[rule.effects]` after the third `[[rule]]` is ("rule", 2, "effects"))."""
    path: FieldPath = ()
    for part in name:
        path = (*path, part)
        if path in arrays:
            path = (*path, arrays[path])
    return path


def key_lines(text: str) -> dict[FieldPath, int]:
    """Every key path the text opens or assigns (and each of its prefixes) to the line, from 1,
    where it first appears. Array-of-tables entries count from 0: ("rule", 2, "id")."""
    lines: dict[FieldPath, int] = {}
    table: FieldPath = ()
    arrays: dict[FieldPath, int] = {}
    scanner = _Scanner()
    for number, line in enumerate(text.split("\n"), 1):
        if scanner.busy:
            scanner.scan(line)
            continue
        here: FieldPath | None = None
        rest = 0
        if header := _TABLE_LINE.match(line):
            name = _key_parts(header.group(2))
            if header.group(1) == "[[":
                array = (*_resolve(name[:-1], arrays), name[-1])
                arrays[array] = arrays.get(array, -1) + 1
                table = (*array, arrays[array])
            else:
                table = _resolve(name, arrays)
            here, rest = table, header.end()
            if line.startswith("]", rest):  # the second bracket of [[name]]
                rest += 1
        elif key := _KEY_LINE.match(line):
            here, rest = (*table, *_key_parts(key.group(1))), key.end()
        if here is not None:
            for end in range(1, len(here) + 1):
                lines.setdefault(here[:end], number)
        scanner.scan(line, rest)
    return lines


def nearest_line(lines: dict[FieldPath, int], path: FieldPath) -> int | None:
    """The line of `path`, else of the nearest key or table that encloses it, else None."""
    for end in range(len(path), 0, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return None


def locate_line(text: str, path: FieldPath) -> int:
    """The line (from 1) that holds `path`, else the line of the nearest table enclosing it."""
    return nearest_line(key_lines(text), path) or 1
