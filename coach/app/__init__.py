"""Use cases: what a command does, apart from how it asks and how it shows the result.

Each function here is one thing a person can do with coach (start a session, list the history,
follow a trend, build a couple's report, pick exercises). It calls the core (content, rules,
session, store) and returns data; the CLI parses options, calls one of these and hands the
result to a renderer. Part of the core: no typer, rich or questionary here
(tests/core/test_architecture.py).

Finishing a session stays in coach/domain/finish.py: it is the one step every way of running a
session shares (the guided session, the demo, answer files), below this layer.
"""
