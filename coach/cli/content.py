"""Content commands: learn about the model behind the coach."""

from __future__ import annotations

import typer

from coach.base.errors import UsageError
from coach.cli.options import WORD

TOPICS = ("all", "flow", "chemicals", "regions", "evidence", "sources", "safety")


def register(app: typer.Typer) -> None:
    from coach.cli.helptext import RULES

    app.command(rich_help_panel=RULES)(learn)


def learn(
    topic: str = typer.Argument(
        "all", metavar="[TOPIC]", click_type=WORD, help=f"One of: {', '.join(TOPICS)}."
    ),
) -> None:
    """Learn the model: the five steps, chemicals and brain regions, with evidence labels.

    `coach learn sources` lists every paper the coach cites. Example: coach learn chemicals
    """
    from coach.base.errors import did_you_mean
    from coach.content import load_content
    from coach.render.learn import print_topics

    if topic not in TOPICS:
        hint = did_you_mean(topic, TOPICS)
        raise UsageError(f'unknown topic "{topic}"{hint}; choose one of {", ".join(TOPICS)}')
    print_topics(load_content(), TOPICS[1:] if topic == "all" else [topic])
