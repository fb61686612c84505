"""Display-safe user text, with no Rich import: the plain history listing uses it on its fast
path, and the Rich summary re-exports it (coach.render.summary.neutralise)."""

from __future__ import annotations

# Bidirectional overrides can make text display in a misleading order; show them escaped.
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def neutralise(text: str) -> str:
    """Make user text safe to show: control characters and bidi overrides become visible escapes.

    Answers are stored exactly as typed; this is only for display.
    """
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch)
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in _BIDI_CONTROLS:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)
