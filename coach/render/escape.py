"""The terminal neutraliser for renderers: coach.escape, re-exported where the renderers and
the commands have always imported it from. The one implementation lives in the core, so that
the core can neutralise names where it fills them into content text (coach.content.fill_names)."""

from __future__ import annotations

from coach.escape import bounded, neutralise, neutralise_line, shown_path, unicode_escaped

__all__ = ["bounded", "neutralise", "neutralise_line", "shown_path", "unicode_escaped"]
