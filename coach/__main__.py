"""Allow ``python -m coach``."""

from coach.cli.main import run

if __name__ == "__main__":
    run()
