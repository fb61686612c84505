"""The exports for other programs: JSON (the session document of docs/json-output.md, or the
report's sessions and scores) and CSV (one row per target, or the report's trend table).

Each carries the educational notice, as every export does: JSON as its last member, CSV as its
last column, the same text in every row. A closing row of its own would break the file's one
shape (pandas then cannot read the dates), and a comment line is no CSV at all.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from coach.app.reports import CoupleReport
from coach.base.formats import JSON_SCHEMA_VERSION
from coach.content import TARGETS, Content
from coach.domain import checkin
from coach.domain.session import Session
from coach.render.summary import NOTICE

if TYPE_CHECKING:
    from coach.rules import Inference
    from coach.store.index import TrendPoint


def session_json(session: Session, content: Content) -> str:
    from coach.render.json_out import session_document, to_json

    # The export took the notes out already unless --with-notes.
    document = dict(session_document(session, content, saved_to=None, with_notes=True))
    document.pop("notice", None)
    document["notice"] = NOTICE  # last, so the document ends with it like every export
    return to_json(document)  # characters a terminal could act on as \u escapes


CSV_FIELDS = (
    "session",
    "created",
    "target",
    "name",
    "couple_score",
    "reading",
    "confidence",
    "a_score",
    "b_score",
    "evidence",
    "notice",
)


def session_csv(session: Session, inference: Inference, content: Content) -> str:
    """One row per target; the notice in the last column of each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for target_id in TARGETS:
        result = inference.couple[target_id]
        writer.writerow(
            (
                session.id,
                session.created.isoformat(),
                target_id,
                content.target(target_id).name,
                f"{result.score:.3f}",
                result.label,
                f"{result.confidence:.3f}",
                f"{inference.a[target_id].score:.3f}",
                f"{inference.b[target_id].score:.3f}",
                result.evidence or "",
                NOTICE,
            )
        )
    return buffer.getvalue()


def report_json(report: CoupleReport) -> str:
    from coach.render.listings import csi4_totals

    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "couple": report.label,
        "sessions": [
            {
                "id": row.id,
                "created": row.created.isoformat(),
                "partners": row.partners,
                "steps": list(row.steps),
                "headline": row.headline,
                "scores": row.scores,
                "csi4": csi4_totals(row.csi_a, row.csi_b, row.csi_hidden),
            }
            for row in report.rows
        ],
        "csi4": {"max": checkin.MAX_TOTAL, "reference_point": checkin.REFERENCE_POINT},
        "notice": NOTICE,
    }
    from coach.render.json_out import to_json

    return to_json(document)  # characters a terminal could act on as \u escapes


def report_csv(report: CoupleReport) -> str:
    from coach.render.tables import trend_csv_rows

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    rows = trend_csv_rows(_points(report), TARGETS)
    writer.writerow([*next(rows), "notice"])
    writer.writerows([*row, NOTICE] for row in rows)
    return buffer.getvalue()


def _points(report: CoupleReport) -> list[TrendPoint]:
    from coach.app.trends import points_from_rows

    return list(points_from_rows(report.rows))
