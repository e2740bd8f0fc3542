"""Reports (pandas) and letters (fpdf2).

Public interface of the reports (the HTTP API and the CLI use exactly these)::

    REPORTS: dict[str, ReportSpec]                                 # slug -> title, builder
    build_report(session, organisation_id, name, as_of) -> Report  # UnknownReport if no such
    render_report(report, "csv" | "xlsx" | "pdf") -> bytes
    CONTENT_TYPES: dict[str, str]                                  # format -> MIME type
    report_filename(report, fmt) -> str

Each report module (``arrears_aging``, ``pakrav_fees``, ``cases_by_state``, ``notifications``,
``deposits``, ``bs_reconciliation``, ``moveout_settlements``) has ``build(session,
organisation_id, as_of) -> Report``; ``model`` holds the data types, ``render_*`` the formats.
Letters are in ``reports.letters``.
"""

from reports.model import Chart, Report, ReportError, ReportSpec, Table, UnknownReport
from reports.registry import REPORTS, build_report
from reports.render import CONTENT_TYPES, FORMATS, Format, render_report, report_filename

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "REPORTS",
    "Chart",
    "Format",
    "Report",
    "ReportError",
    "ReportSpec",
    "Table",
    "UnknownReport",
    "build_report",
    "render_report",
    "report_filename",
]
