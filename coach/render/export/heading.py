"""How every format heads a couple's report: its title, and the span of its sessions."""

from __future__ import annotations

from coach.app.reports import CoupleReport
from coach.base.dates import day


def report_title(report: CoupleReport) -> str:
    """ "Couple report: <label>", or "Couple report" for an anonymised one (no label)."""
    return f"Couple report: {report.label}" if report.label else "Couple report"


def report_span(report: CoupleReport) -> str:
    """How many sessions the report holds, from the first date to the last."""
    first, last = report.rows[0].created, report.rows[-1].created
    count = len(report.rows)
    return f"{count} finished session{'s' if count != 1 else ''}, {day(first)} to {day(last)}"
