"""How every format heads a couple's report: its title, and the span of its sessions."""

from __future__ import annotations

from coach.app.reports import CoupleReport
from coach.base.dates import day
from coach.domain.wording import count


def report_title(report: CoupleReport) -> str:
    """ "Couple report: <label>", or "Couple report" for an anonymised one (no label)."""
    return f"Couple report: {report.label}" if report.label else "Couple report"


def report_span(report: CoupleReport) -> str:
    """How many sessions the report holds, from the first date to the last."""
    first, last = report.rows[0].created, report.rows[-1].created
    return f"{count(len(report.rows), 'finished session')}, {day(first)} to {day(last)}"
