"""coach: a command-line couples-exercise coach."""

__version__ = "0.1.0"
