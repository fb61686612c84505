# Shared by scripts/coach and scripts/test: make sure .venv exists and holds the project.
# Re-installs when pyproject.toml changed since the last install (a stamp file keeps its hash).
# Usage: source scripts/_bootstrap.sh EXTRAS   (EXTRAS is "" or "dev")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
extras="${1:-}"
stamp="$venv/.coach-install-${extras:-runtime}"
constraints="$root/scripts/constraints-dev.txt"
want="$( (cat "$root/pyproject.toml" "$constraints"; echo "$extras") | sha256sum | cut -d' ' -f1)"

pick_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "coach needs Python 3.11 or newer; none was found on PATH (set PYTHON=/path/to/python3.11)." >&2
  return 1
}

if [ ! -x "$venv/bin/python" ]; then
  python="$(pick_python)"
  echo "Creating $venv with $python ..." >&2
  "$python" -m venv "$venv"
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing coach${extras:+ with [$extras] extras} into .venv ..." >&2
  spec="$root"; pin=()
  # The test tools and the libraries whose output the tests read are pinned for scripts/test.
  if [ -n "$extras" ]; then spec="$root[$extras]"; pin=(-c "$constraints"); fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2 || true
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pin[@]}" -e "$spec" >&2
  echo "$want" > "$stamp"
fi
