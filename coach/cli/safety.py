"""`coach safety check FILE`: which lines of a file the free-text risk lexicon flags.

For clinicians who extend the lexicon (docs/safety-lexicon.md) and want to see what it makes of
sentences, and for scripts. The texts come from a file or standard input, never from the command
line (argv is visible to other users of the machine and kept in shell history). Nothing is saved,
and the exit status never depends on what was flagged: 0 whenever the file could be read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from coach.base.formats import JSON_SCHEMA_VERSION, choices
from coach.cli.options import WORD

if TYPE_CHECKING:
    from coach.domain.risk_text import Verdict

app = typer.Typer(
    help="Check free text against the risk lexicon (a backstop for the private check, not a "
    "diagnosis). See docs/safety-lexicon.md.\n\n"
    "Example: coach safety check sentences.txt",
    no_args_is_help=True,
)

# Far above any list of sentences a person writes; far below what would take long to read.
MAX_CHECK_BYTES = 1024 * 1024
MAX_LINE_CHARACTERS = 10_000
STDIN = "-"


@app.command()
def check(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            click_type=WORD,
            help="A UTF-8 text file, one text per line; - reads standard input.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{choices('safety')}. text: one line per input, ok or flag:KIND, a tab, the "
            "text. json: one document (docs/json-output.md).",
        ),
    ] = "text",
) -> None:
    """Read one text per line and print the lexicon's verdict on each, in order.

    KIND is one of self_harm, physical_violence, sexual_coercion, threats, coercive_control.
    Blank lines get a verdict too (ok). The lexicon is the packaged one plus any lexicon.toml
    or lexicon/*.toml in the data directory. Exit 0 whatever is flagged; 1 if the file is not
    UTF-8, has a line over 10,000 characters, or a lexicon file does not validate; 2 if the file
    cannot be read (missing, a directory, over 1 MB).

    Examples: coach safety check sentences.txt
              coach safety check - --format json < sentences.txt
    """
    from coach.base.formats import Format, parse_format
    from coach.domain.risk_text import classifier

    fmt = parse_format("safety", output_format)
    name = "standard input" if file == STDIN else file
    lines = _lines(_read(file), name)
    judge = classifier()
    verdicts = [(line, judge.classify(line)) for line in lines]
    if fmt is Format.JSON:
        from coach.render.json_out import write_json

        write_json(verdicts_document(verdicts))
        return
    from coach.base.escape import neutralise_line
    from coach.render.json_out import write_utf8

    write_utf8("".join(f"{_label(v)}\t{neutralise_line(line)}\n" for line, v in verdicts))


def _label(verdict: Verdict) -> str:
    return f"flag:{verdict.kind}" if verdict.risk else "ok"


def verdicts_document(verdicts: list[tuple[str, Verdict]]) -> dict[str, object]:
    """The JSON document (docs/json-output.md, coach/render/safety.schema.json)."""
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "verdicts": [{"text": t, "risk": v.risk, "kind": v.kind} for t, v in verdicts],
    }


def _read(file: str) -> bytes:
    from pathlib import Path

    from coach.base.document import read_limited, read_limited_stream
    from coach.base.errors import UsageError

    if file != STDIN:
        return read_limited(Path(file).expanduser(), "text file", file, limit=MAX_CHECK_BYTES)
    import sys

    if sys.stdin is None:
        raise UsageError("coach safety check -: standard input is closed")
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream put in its place
        data = sys.stdin.read(MAX_CHECK_BYTES + 1).encode("utf-8")
        if len(data) > MAX_CHECK_BYTES:
            raise UsageError("standard input is larger than 1.0 MB, the most coach reads")
        return data
    return read_limited_stream(buffer, "standard input", limit=MAX_CHECK_BYTES)


def _lines(data: bytes, name: str) -> list[str]:
    """The texts, one per line (a last newline ends the last line; it adds no blank text)."""
    from coach.base.document import DocumentError, Problem, decode

    text = decode(data, name, byte_order_mark=True)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.removesuffix("\r") for line in lines]
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARACTERS:
            problem = f"a line of {len(line):,} characters; each text may have up to 10,000"
            raise DocumentError(Problem(name, number, "", problem))
    return lines
