"""Where each shell loads a completion script from, and writing it there (`coach
--install-completion`): the user's own shell files, not coach's data, so plain writes."""

from __future__ import annotations

from pathlib import Path


def install(shell: str, script: str, home: Path) -> Path:
    """Write `script` where `shell` loads it, and the line that loads it (bash, zsh)."""
    if shell == "bash":
        path = home / ".bash_completions" / "coach.sh"
        _add_line(home / ".bashrc", f"source '{path}'")
    elif shell == "zsh":
        path = home / ".zfunc" / "_coach"
        _add_line(home / ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit")
    else:
        path = home / ".config" / "fish" / "completions" / "coach.fish"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script, encoding="utf-8")
    return path


def _add_line(rc: Path, line: str) -> None:
    text = rc.read_text(encoding="utf-8") if rc.is_file() else ""
    if line not in text.splitlines():
        rc.parent.mkdir(parents=True, exist_ok=True)
        separator = "" if not text or text.endswith("\n") else "\n"
        rc.write_text(f"{text}{separator}{line}\n", encoding="utf-8")
