"""``/api/v1/organisations/{cvr}/reports``: the accountant's reports (``reports``) as CSV,
Excel or PDF, and their totals as JSON (the same figures, for reconciliation)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from app.api_v1.common import ORG, RESPONSES, ApiContext, Day, file_response
from app.auth.roles import Permission
from app.desk import reports as desk
from reports import Format

ReportName = Annotated[
    str, Path(pattern=r"^[a-z0-9-]{1,40}$", description="the report's name (see the list)")
]
ReportFormat = Annotated[Format, Query(alias="format", description="csv, xlsx or pdf")]


class ReportOut(BaseModel):
    name: str
    title: str
    description: str


class ReportTotalsOut(BaseModel):
    name: str
    title: str
    as_of: date
    totals: dict[str, int]  # keys ending in _oere are øre, the rest counts
    labels: dict[str, str]  # the Danish label of each total


def reports_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix=ORG, tags=["reports"], responses=RESPONSES)

    @router.get("/reports")
    def list_reports(cvr: str, request: Request) -> list[ReportOut]:
        """The reports there are, with their Danish titles."""
        with ctx.scope(request, cvr, Permission.READ):
            return [ReportOut(**vars(entry)) for entry in desk.report_list()]

    @router.get("/reports/{name}/totals")
    def report_totals(
        cvr: str, name: ReportName, request: Request, as_of: Day | None = None
    ) -> ReportTotalsOut:
        """A report's totals as of a day (default today)."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            report = desk.report_in(session, access, name, as_of=as_of or ctx.today())
            return ReportTotalsOut(
                name=report.name, title=report.title, as_of=report.as_of,
                totals=dict(report.totals), labels=dict(report.total_labels),
            )  # fmt: skip

    @router.get(
        "/reports/{name}",
        response_class=Response,
        responses={200: {"description": "the report as a file"}},
    )
    def report_file(
        cvr: str,
        name: ReportName,
        request: Request,
        fmt: ReportFormat = "pdf",
        as_of: Day | None = None,
    ) -> Response:
        """A report as CSV (semicolons, decimal comma), Excel or PDF."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            found = desk.report_file(session, access, name, fmt, as_of=as_of or ctx.today())
            return file_response(found.content, found.media_type, found.filename)

    return router
