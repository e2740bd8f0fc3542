"""Reports at the desk (``reports``): the list, and one report as a file or as its totals,
always for the caller's organisation. Reading only: nothing is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.auth.http import Access
from app.auth.roles import Permission
from app.desk.common import require
from app.desk.errors import NotFound
from reports import (
    CONTENT_TYPES,
    FORMATS,
    REPORTS,
    Format,
    Report,
    UnknownReport,
    build_report,
    render_report,
    report_filename,
)


@dataclass(frozen=True)
class ReportEntry:
    name: str
    title: str
    description: str


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    media_type: str
    filename: str


def report_list() -> list[ReportEntry]:
    """Every report, in the registry's order (Danish titles)."""
    return [ReportEntry(spec.name, spec.title, spec.description) for spec in REPORTS.values()]


def report_in(session: Session, access: Access, name: str, *, as_of: date) -> Report:
    """Report ``name`` of the caller's organisation as of ``as_of`` (NotFound if no such)."""
    require(access, Permission.READ)
    try:
        return build_report(session, access.organisation_id, name, as_of)
    except UnknownReport as exc:
        raise NotFound(str(exc)) from exc


def report_file(
    session: Session, access: Access, name: str, fmt: Format, *, as_of: date
) -> ReportFile:
    """Report ``name`` rendered as ``fmt`` (csv, xlsx, pdf) with its file name."""
    if fmt not in FORMATS:
        raise NotFound(f"no report format {fmt!r}; use one of {', '.join(FORMATS)}")
    report = report_in(session, access, name, as_of=as_of)
    return ReportFile(render_report(report, fmt), CONTENT_TYPES[fmt], report_filename(report, fmt))
