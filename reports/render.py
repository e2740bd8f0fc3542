"""A report as bytes in one of three formats, its content type and a suggested file name."""

from __future__ import annotations

from typing import Literal, get_args

from reports.model import Report, ReportError
from reports.render_csv import render_csv
from reports.render_pdf import render_pdf
from reports.render_xlsx import render_xlsx

Format = Literal["csv", "xlsx", "pdf"]
FORMATS: tuple[Format, ...] = get_args(Format)

CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def render_report(report: Report, fmt: Format) -> bytes:
    if fmt == "csv":
        return render_csv(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    if fmt == "pdf":
        return render_pdf(report)
    raise ReportError(f"no report format {fmt!r}; the formats are: {', '.join(FORMATS)}")


def report_filename(report: Report, fmt: Format) -> str:
    """``arrears-aging_29403473_2026-11-21.pdf``: ASCII only, safe in a Content-Disposition."""
    if fmt not in FORMATS:
        raise ReportError(f"no report format {fmt!r}; the formats are: {', '.join(FORMATS)}")
    return f"{report.name}_{report.organisation_cvr}_{report.as_of.isoformat()}.{fmt}"
