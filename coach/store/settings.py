"""Settings made with `coach init`: for now, the country whose support lines come first.

One small file, `settings.toml` in the data directory (0600). The country is set only by the
person running `coach init --country CODE`: never asked, never saved because of a disclosure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from coach.base import paths
from coach.base.errors import DataError

SETTINGS_FILE: Final = "settings.toml"


def settings_path() -> Path:
    return paths.data_dir() / SETTINGS_FILE


def saved_country() -> str | None:
    """The country saved by `coach init --country`, or None."""
    from coach.base.document import parse
    from coach.store import vault

    path = settings_path()
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None  # no setting yet (a data directory that cannot be used is named later)
    except OSError as error:
        raise DataError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        table = parse(vault.open_bytes(data, str(path)).decode("utf-8"), str(path))
    except UnicodeDecodeError:
        raise DataError(f"{path}: is not UTF-8 text") from None
    country = table.get("country")
    if country is not None and (not isinstance(country, str) or not country.strip()):
        raise DataError(f'{path}: country: must be a country code such as "GB" or "US"')
    return country


def save_country(country: str) -> Path:
    import tomli_w

    from coach.store import disk

    disk.ensure_data_dir()
    path = settings_path()
    disk.atomic_write_bytes(path, tomli_w.dumps({"country": country}).encode("utf-8"))
    return path
