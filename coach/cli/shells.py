"""Shell completion for bash, zsh and fish: the scripts coach prints or installs, and the values
it sends back on each Tab.

Loaded only when a shell asks for completions (`_COACH_COMPLETE` is set) or for a script
(`--show-completion`, `--install-completion`): a completion call imports what `coach --version`
does plus sqlite3, never Rich. Typer's own scripts are replaced because bash inserted a couple
label such as `Sam & Alex (demo)` unquoted (Enter then ran `Sam` in the background), and because
every shell sorted the values, so session ids came oldest first.

Each script sends the command line up to the cursor in `_COACH_COMPLETE_ARGS` with
`_COACH_COMPLETE=values_SHELL`, and reads one value a line (bash), a value line and a help
line (zsh, "_" for none) or `value<TAB>help` lines (fish). Scripts installed from an older coach
(Typer's, `_COACH_COMPLETE=complete_SHELL`) keep working: they get the answers in their form.
"""

from __future__ import annotations

import os
import shlex
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from coach.base.errors import EXIT_USAGE, UsageError

if TYPE_CHECKING:
    import typer

SHELLS = ("bash", "zsh", "fish")
VARIABLE = "_COACH_COMPLETE"
ARGS = "_COACH_COMPLETE_ARGS"

# `-o nosort` (bash 4.4) keeps coach's order: ids newest first. printf %q quotes a value for the
# shell (`Sam\ \&\ Alex\ \(demo\)`) unless the word was started with a quote, which readline
# then closes itself.
BASH = r"""_coach_completion() {
    local IFS=$'\n' value quoted
    local -a values
    values=($(env _COACH_COMPLETE_ARGS="${COMP_LINE:0:COMP_POINT}" \
        _COACH_COMPLETE=values_bash "$1"))
    COMPREPLY=()
    case "${COMP_WORDS[COMP_CWORD]}" in
        \'* | \"*) COMPREPLY=("${values[@]}") ;;
        *) for value in "${values[@]}"; do
               printf -v quoted '%q' "$value"
               COMPREPLY+=("$quoted")
           done ;;
    esac
    return 0
}

complete -o default -o nosort -F _coach_completion coach
"""

# `-V unsorted` keeps coach's order; zsh quotes what it inserts.
ZSH = r"""#compdef coach

_coach_completion() {
    local -a response described plain
    local value help
    response=("${(@f)$(env _COACH_COMPLETE_ARGS="${words[1,CURRENT]}" \
        _COACH_COMPLETE=values_zsh coach)}")
    for value help in "${response[@]}"; do
        [[ -n "$value" ]] || continue
        if [[ "$help" == "_" ]]; then
            plain+=("$value")
        else
            described+=("${value//:/\\:}:$help")
        fi
    done
    (( ${#described} )) && _describe -V unsorted described -U
    (( ${#plain} )) && compadd -U -V unsorted -a plain
    (( ${#described} + ${#plain} )) || _files
}

compdef _coach_completion coach
"""

# One call a Tab (Typer's script called coach twice: once to ask whether to offer files).
FISH = r"""function _coach_completion
    set -l response (env _COACH_COMPLETE_ARGS=(commandline -cp) _COACH_COMPLETE=values_fish coach)
    if test (count $response) -eq 0
        __fish_complete_path (commandline -ct)
    else
        printf '%s\n' $response
    end
end

complete --command coach --no-files --keep-order --arguments '(_coach_completion)'
"""

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}


def script(shell: str) -> str:
    """The completion script for `shell`; UsageError naming the shells there are."""
    if shell not in SCRIPTS:
        raise UsageError(f'no completion for the shell "{shell}"; choose bash, zsh or fish')
    return SCRIPTS[shell]


def _one_line(text: str) -> str:
    return "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)


def _words(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        words.extend(lexer)
    except ValueError:  # an unclosed quote or a trailing backslash: the word so far
        words.append(lexer.token)
    return words


def split_line(line: str) -> tuple[list[str], str]:
    """The complete words after the program name, and the word being typed ("" after a space).

    The shell's own quoting is undone, and an unclosed quote is part of the word being typed.
    """
    words = _words(line + "\0")
    last = words.pop() if words else "\0"
    return words[1:], last[:-1] if last.endswith("\0") else last


def values(app: typer.Typer, args: list[str], incomplete: str) -> list[tuple[str, str]]:
    """(value, help) pairs for the word `incomplete` after `args`: a parameter's values in
    coach's order (ids newest first), command and option names sorted."""
    import typer.main
    from typer._click.shell_completion import _resolve_context, _resolve_incomplete

    command = typer.main.get_command(app)
    context = _resolve_context(command, {}, "coach", args)
    source, incomplete = _resolve_incomplete(context, args, incomplete)
    items = source.shell_complete(context, incomplete)
    pairs = [(_one_line(str(item.value)), _one_line(item.help or "")) for item in items]
    if getattr(source, "_custom_shell_complete", None) is None:
        pairs.sort()
    return pairs


def formatted(shell: str, pairs: list[tuple[str, str]]) -> str:
    if shell == "bash":
        return "".join(f"{value}\n" for value, _ in pairs)
    if shell == "zsh":
        return "".join(f"{value}\n{help or '_'}\n" for value, help in pairs)
    return "".join(f"{value}\t{help}\n" if help else f"{value}\n" for value, help in pairs)


def complete(app: typer.Typer, instruction: str) -> int:
    """Answer one completion request from a shell; the exit status for the process.

    A completion that fails offers nothing rather than an error at the prompt.
    """
    kind, _, shell = instruction.partition("_")
    if shell not in SCRIPTS or kind not in ("values", "complete"):
        return EXIT_USAGE
    try:
        if kind == "complete":
            return _typer_script(app, shell)
        pairs = values(app, *split_line(os.environ.get(ARGS, "")))
    except Exception:
        return 0
    sys.stdout.write(formatted(shell, pairs))
    return 0


def _typer_script(app: typer.Typer, shell: str) -> int:
    """Answer a script Typer wrote for an older coach, in the form it reads."""
    if shell == "bash":
        words = _words(os.environ.get("COMP_WORDS", ""))
        cword = int(os.environ.get("COMP_CWORD", "0"))
        args, incomplete = words[1:cword], (words[cword] if cword < len(words) else "")
    else:
        args, incomplete = split_line(os.environ.get("_TYPER_COMPLETE_ARGS", ""))
    pairs = values(app, args, incomplete)
    if shell == "fish" and os.environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
        return 0 if pairs else 1
    if shell != "zsh":
        sys.stdout.write(formatted(shell, pairs))
    elif pairs:
        quoted = [
            f'"{_zsh_escape(value)}":"{_zsh_escape(help)}"' if help else f'"{_zsh_escape(value)}"'
            for value, help in pairs
        ]
        print("_arguments '*: :((" + "\n".join(quoted) + "))'")
    else:
        print("_files")
    return 0


def _zsh_escape(text: str) -> str:  # as Typer's zsh script expects
    for old, new in (('"', '""'), ("'", "''"), ("$", "\\$"), ("`", "\\`"), (":", r"\\:")):
        text = text.replace(old, new)
    return text


def detect_shell() -> str:
    """The shell coach runs under, by its parent processes, else $SHELL."""
    try:
        import shellingham  # type: ignore[import-untyped]  # Typer's, to find the shell

        name = str(shellingham.detect_shell()[0])
    except Exception:
        name = Path(os.environ.get("SHELL", "")).name
    if name not in SCRIPTS:
        shown = f'"{name}"' if name else "not recognised"
        raise UsageError(
            f"your shell is {shown}: completion is for bash, zsh and fish; "
            "print a script with --show-completion bash (or zsh, fish)"
        )
    return name


def install(shell: str, home: Path) -> Path:
    """Write the script where `shell` loads it, and the line that loads it (bash, zsh)."""
    from coach.base import shell_files

    return shell_files.install(shell, script(shell), home)
