"""History and trend listings, written a page at a time from the rows they are given.

The rows come from the use cases (coach.app.history, coach.app.trends), which read the index
lazily: nothing here queries it.

At a terminal each page is a Rich table with fixed column widths, so pages line up as one
listing; when piped the rows are plain aligned text (no Rich import at all on that path, which
keeps `coach history | ...` as quick and as small as the index allows). Nothing builds one
table of every row in memory, however many sessions there are; only at a terminal, where the
pager (coach.render.pager) takes the listing, is its rendered text gathered first.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.base.dates import day, day_and_time
from coach.base.escape import neutralise_line, one_line, shown_path
from coach.base.formats import JSON_SCHEMA_VERSION
from coach.domain.checkin import MAX_TOTAL, REFERENCE_POINT
from coach.domain.wording import count

if TYPE_CHECKING:
    from rich.console import Console, Group
    from rich.table import Table

    from coach.app.history import Listing
    from coach.store.index import HistoryRow, TrendPoint

DEFAULT_LIMIT = 50
PAGE_ROWS = 50
ID_WIDTH = 22  # 20261125-193000-abcdef


def is_terminal() -> bool:
    return sys.stdout.isatty()


def warn_problems(problems: Iterable[tuple[Path, str]]) -> None:
    """Name every session file the index had to skip; they never stop a listing."""
    for path, message in problems:
        # The message may quote the path: the whole line is neutralised (the neutraliser is
        # idempotent), the path as every path is shown.
        shown = neutralise_line(message)
        if not message.startswith(str(path)):
            shown = f"{shown_path(path)}: {shown}"
        print(f"coach: skipped unreadable session file {shown}", file=sys.stderr)


def stdout_closed() -> None:
    """The reader went away (`coach history | head`): stop quietly, as other tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _pages(rows: Iterable[Any], size: int = PAGE_ROWS) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while page := list(islice(iterator, size)):
        yield page


# --- history -------------------------------------------------------------------------------

HISTORY_HEADINGS = ("ID", "DATE", "COUPLE", "PARTNERS", "STATUS", "HEADLINE")
_PLAIN_WIDTHS = (ID_WIDTH, 16, 20, 20, 8)  # the headline, last, runs to the end of the line


def _partners(row: HistoryRow) -> str:
    return f"{one_line(row.partners['a'])} & {one_line(row.partners['b'])}"


def _plain_line(cells: Sequence[str]) -> str:
    *fixed, last = cells
    return "  ".join(f"{c:<{w}}" for c, w in zip(fixed, _PLAIN_WIDTHS, strict=True)) + f"  {last}\n"


def _plain_history(rows: Iterable[HistoryRow]) -> int:
    count = 0
    for page in _pages(rows):
        lines = [] if count else [_plain_line(HISTORY_HEADINGS)]
        for row in page:
            cells = (row.id, day_and_time(row.created), one_line(row.couple))
            lines.append(_plain_line((*cells, _partners(row), row.status, one_line(row.headline))))
        sys.stdout.write("".join(lines))
        count += len(page)
    return count


def history_table(rows: Iterable[HistoryRow], *, show_header: bool = True) -> Table:
    """A Rich table of sessions; fixed widths, so that consecutive pages line up."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_header=show_header, expand=True, pad_edge=False)
    table.add_column("ID", no_wrap=True, width=ID_WIDTH, style="dim")
    table.add_column("Date", no_wrap=True, width=16)
    table.add_column("Couple", ratio=2)
    table.add_column("Partners", ratio=2)
    table.add_column("Status", no_wrap=True, width=8)
    table.add_column("Headline", ratio=4)
    for row in rows:
        table.add_row(
            row.id,
            day_and_time(row.created),
            Text(one_line(row.couple)),
            Text(_partners(row)),
            Text(row.status, style="yellow" if row.status == "draft" else "green"),
            Text(one_line(row.headline)),
        )
    return table


# Below this many columns the six columns squeeze the couple and the names to a few letters
# each (at 80: "Cou…", "Sam & Alex (de…"): each session becomes a small block instead.
TABLE_MIN_WIDTH = 110


def history_blocks(rows: Iterable[HistoryRow]) -> Group:
    """Sessions as blocks of up to three lines, for a narrow terminal: id, date and status; the
    couple and the partners' names; the headline, indented even where Rich wraps them."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Text | Padding] = []
    for row in rows:
        first = Text(row.id, style="dim")
        first.append(f"  {day_and_time(row.created)}  ", style="")
        first.append(row.status, style="yellow" if row.status == "draft" else "green")
        who = Text(one_line(row.couple) or "(no couple label)", style="bold")
        who.append(f" · {_partners(row)}", style="")
        lines = [who] + ([Text(one_line(row.headline))] if row.headline else [])
        parts += [first, *(Padding(line, (0, 0, 0, 2)) for line in lines), Text("")]
    return Group(*parts)


def _rich_history(console: Console, rows: Iterable[HistoryRow]) -> int:
    count = 0
    narrow = console.width < TABLE_MIN_WIDTH
    for page in _pages(rows):
        if narrow:
            console.print(history_blocks(page))
        else:
            console.print(history_table(page, show_header=count == 0))
        count += len(page)
    return count


def print_history(listing: Listing, *, limit: int | None, as_json: bool = False) -> None:
    """Show a listing (the newest `limit` sessions; None for all), streamed page by page.

    `as_json` writes one JSON document (docs/json-output.md) instead of a table.
    """
    shown, rows = listing.shown, listing.rest
    try:
        if as_json:
            from coach.render.listings import write_sessions_json

            write_sessions_json(shown, rows)
        elif is_terminal():
            _terminal_history(shown, rows, limit)
        else:
            _piped_history(shown, rows, limit)
    except BrokenPipeError:
        stdout_closed()


def _more_note(limit: int | None) -> str:
    sessions = count(limit or 0, "session")
    return f"Showing the newest {sessions}; --limit N shows more and --all shows every one."


def _terminal_history(
    shown: Iterable[HistoryRow], rest: Iterator[HistoryRow], limit: int | None
) -> None:
    from rich.console import Console

    from coach.render.pager import paged

    console = Console()
    with paged(console):
        count = _rich_history(console, shown)
        more = count and next(rest, None) is not None
        if more:
            console.print(_more_note(limit), style="dim")
    if not count:
        # Nothing found: a note on standard error, exit 0 (docs/json-output.md).
        Console(stderr=True).print(
            "No sessions match (coach demo --save adds a sample; coach start begins one)."
        )


def _piped_history(
    shown: Iterable[HistoryRow], rest: Iterator[HistoryRow], limit: int | None
) -> None:
    # Notes go to standard error, so that what is piped is only the listing.
    if not _plain_history(shown):
        print(
            "No sessions match (coach demo --save adds a sample; coach start begins one).",
            file=sys.stderr,
        )
    elif next(rest, None) is not None:
        print(_more_note(limit), file=sys.stderr)


# --- trends --------------------------------------------------------------------------------


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def _total(value: int | None) -> str:
    return "—" if value is None else str(value)


def _plain_trend(points: Iterable[TrendPoint], targets: Sequence[str], show_couple: bool) -> None:
    widths = [max(len(t), 5) for t in targets]
    couple_heading = f"{'COUPLE':<20}  " if show_couple else ""
    heading = (
        f"{'DATE':<16}  {'SESSION':<{ID_WIDTH}}  {couple_heading}"
        + "  ".join(f"{t:>{w}}" for t, w in zip(targets, widths, strict=True))
        + "  CSI-4 A  CSI-4 B\n"
    )
    sys.stdout.write(heading)
    for page in _pages(points):
        lines = []
        for point in page:
            couple = f"{one_line(point.couple):<20}  " if show_couple else ""
            scores = "  ".join(
                f"{_score(point.scores[t]):>{w}}" for t, w in zip(targets, widths, strict=True)
            )
            lines.append(
                f"{day_and_time(point.created)}  {point.session_id:<{ID_WIDTH}}  {couple}{scores}"
                f"  {_total(point.csi_a):>7}  {_total(point.csi_b):>7}\n"
            )
        sys.stdout.write("".join(lines))


def _rich_trend(
    console: Console,
    points: Iterable[TrendPoint],
    targets: Sequence[str],
    names: Callable[[str], str],
    show_couple: bool,
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    first = True
    for page in _pages(points):
        table = Table(box=box.SIMPLE_HEAD, show_header=first, expand=True, pad_edge=False)
        table.add_column("Date", no_wrap=True, width=10)
        if show_couple:
            table.add_column("Couple", ratio=2)
        for target in targets:
            table.add_column(names(target), justify="right", ratio=1)
        table.add_column("CSI-4 A", justify="right", width=7)
        table.add_column("CSI-4 B", justify="right", width=7)
        for point in page:
            couple = [Text(one_line(point.couple))] if show_couple else []
            table.add_row(
                day(point.created),
                *couple,
                *(_score(point.scores[t]) for t in targets),
                _total(point.csi_a),
                _total(point.csi_b),
            )
        console.print(table)
        first = False


def print_trend_table(
    points: Iterable[TrendPoint],
    targets: Sequence[str],
    names: Callable[[str], str],
    *,
    show_couple: bool,
) -> None:
    """Sessions oldest first, one column per target and the CSI-4 totals."""
    try:
        if is_terminal():
            from rich.console import Console

            _rich_trend(Console(), points, targets, names, show_couple)
        else:
            _plain_trend(points, targets, show_couple)
    except BrokenPipeError:
        stdout_closed()


def write_trend_json(
    points: Iterable[TrendPoint], targets: Sequence[str], couple: str | None
) -> None:
    """One JSON document, written point by point so memory stays flat."""
    from coach.render.listings import csi4_totals

    out = sys.stdout
    try:
        head = {
            "schema_version": JSON_SCHEMA_VERSION,
            "couple": couple,
            "targets": list(targets),
            "csi4": {"max": MAX_TOTAL, "reference_point": REFERENCE_POINT},
        }
        out.write(json.dumps(head, indent=2)[:-2] + ',\n  "points": [')
        encode = json.JSONEncoder().encode  # ASCII-only: no character a terminal acts on
        separator = "\n    "
        for point in points:
            item = {
                "created": point.created.isoformat(),
                "session": point.session_id,
                "couple": point.couple,
                "scores": point.scores,
                "csi4": csi4_totals(point.csi_a, point.csi_b, point.csi_hidden),
            }
            out.write(separator + encode(item))
            separator = ",\n    "
        out.write("\n  ]\n}\n")
    except BrokenPipeError:
        stdout_closed()


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a label could start with "=")."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def trend_csv_rows(points: Iterable[TrendPoint], targets: Sequence[str]) -> Iterator[list[str]]:
    yield ["created", "session", "couple", *targets, "csi4_a", "csi4_b"]
    for point in points:
        yield [
            point.created.isoformat(),
            point.session_id,
            spreadsheet_safe(point.couple),
            *("" if point.scores[t] is None else f"{point.scores[t]:.3f}" for t in targets),
            "" if point.csi_a is None else str(point.csi_a),
            "" if point.csi_b is None else str(point.csi_b),
        ]


def write_trend_csv(points: Iterable[TrendPoint], targets: Sequence[str]) -> None:
    try:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        for page in _pages(trend_csv_rows(points, targets)):
            writer.writerows(page)
    except BrokenPipeError:
        stdout_closed()
