"""``/api/v1/organisations/{cvr}/cases``: arrears cases (list with filters, one with its
timeline, letters and notifications, a letter's PDF), the approval queue, and the actions:
approve (``pakrav``: write; ``terminate``/``evict``: approve), reject (approve), close
(write). Each action is audited by ``app.desk.cases`` with the state before and after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict

from app.api_v1.common import (
    ORG,
    RESPONSES,
    ApiContext,
    Day,
    Id,
    Limit,
    Name,
    Offset,
    Reason,
    file_response,
)  # fmt: skip
from app.auth.roles import Permission
from app.desk import case_views, cases
from app.desk.case_views import CaseFilter, CaseView
from workflows.arrears.approvals import Outcome
from workflows.arrears.states import CaseState


class CaseOut(BaseModel):
    id: int
    tenancy_id: int
    unit_number: str
    department: str
    state: CaseState
    due_date: date
    sequence: int
    opened_on: date
    amount_oere: int
    pakrav_date: date | None
    channel: str | None
    arrival_date: date | None
    deadline: date | None
    earliest_termination: date | None
    fee_oere: int | None
    termination_date: date | None
    eviction_date: date | None
    payment_plan_id: int | None
    closed_on: date | None


class EventOut(BaseModel):
    at: datetime
    on_date: date
    from_state: CaseState | None
    to_state: CaseState
    actor: str
    reason: str


class LetterOut(BaseModel):
    id: int
    kind: str
    channel: str
    status: str
    dispatch_date: date
    sha256: str
    size_bytes: int
    pdf_href: str


class CaseNotificationOut(BaseModel):
    id: int
    kind: str
    municipality_code: int
    status: str
    created_on: date
    delivered_at: datetime | None


class CaseDetailOut(CaseOut):
    lines: list[dict[str, Any]]
    events: list[EventOut]
    letters: list[LetterOut]
    notifications: list[CaseNotificationOut]


class ApproveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["pakrav", "terminate", "evict"]
    rehousing_confirmed: bool = False  # assigned plejebolig (ALL § 90, stk. 3)


class RejectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class CloseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    close_as: Literal["paid", "settled", "written_off", "evicted"]
    reason: Reason


class OutcomeOut(BaseModel):
    case_id: int
    state: CaseState
    letter_id: int | None
    notifications: int


def case_out(view: CaseView) -> CaseOut:
    c = view.case
    assert c.id is not None
    return CaseOut(
        id=c.id, tenancy_id=c.tenancy_id, unit_number=view.unit_number,
        department=view.department, state=CaseState(c.state), due_date=c.due_date,
        sequence=c.sequence, opened_on=c.opened_on, amount_oere=c.amount_oere,
        pakrav_date=c.pakrav_date, channel=None if c.channel is None else str(c.channel),
        arrival_date=c.arrival_date, deadline=c.deadline,
        earliest_termination=c.earliest_termination, fee_oere=c.fee_oere,
        termination_date=c.termination_date, eviction_date=c.eviction_date,
        payment_plan_id=c.payment_plan_id, closed_on=c.closed_on,
    )  # fmt: skip


def outcome_out(outcome: Outcome) -> OutcomeOut:
    return OutcomeOut(
        case_id=outcome.case_id, state=CaseState(outcome.state), letter_id=outcome.letter_id,
        notifications=outcome.notifications,
    )  # fmt: skip


def cases_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix=ORG, tags=["arrears cases"], responses=RESPONSES)

    @router.get("/cases")
    def list_cases(
        cvr: str,
        request: Request,
        state: CaseState | None = None,
        department: Name | None = None,
        due_from: Day | None = None,
        due_to: Day | None = None,
        tenancy_id: int | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[CaseOut]:
        """Cases, newest due date first; filter by state, department name, due dates."""
        filters = CaseFilter(state, department, due_from, due_to, tenancy_id)
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            views = case_views.list_cases(session, access, filters, limit=limit, offset=offset)
            return [case_out(view) for view in views]

    @router.get("/approvals")
    def approval_queue(
        cvr: str, request: Request, limit: Limit = 100, offset: Offset = 0
    ) -> list[CaseOut]:
        """What waits for a person: held påkrav, terminations, and cases after termination
        (where an eviction request may be approved)."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            views = case_views.approval_queue(session, access, limit=limit, offset=offset)
            return [case_out(view) for view in views]

    @router.get("/cases/{case_id}")
    def get_case(cvr: str, case_id: Id, request: Request) -> CaseDetailOut:
        """One case with its timeline (who moved it, when, why), letters and notifications."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            detail = case_views.case_detail(session, access, case_id)
            base = f"/api/v1/organisations/{access.organisation.cvr}/letters"
            return CaseDetailOut(
                **case_out(detail.view).model_dump(),
                lines=detail.view.case.lines,
                events=[
                    EventOut(
                        at=e.at,
                        on_date=e.on_date,
                        from_state=None if e.from_state is None else CaseState(e.from_state),
                        to_state=CaseState(e.to_state),
                        actor=e.actor,
                        reason=e.reason,
                    )
                    for e in detail.events
                ],
                letters=[
                    LetterOut(
                        id=letter.id or 0,
                        kind=str(letter.kind),
                        channel=str(letter.channel),
                        status=str(letter.status),
                        dispatch_date=letter.dispatch_date,
                        sha256=letter.checksum,
                        size_bytes=letter.size_bytes,
                        pdf_href=f"{base}/{letter.id}.pdf",
                    )
                    for letter in detail.letters
                ],
                notifications=[
                    CaseNotificationOut(
                        id=n.id or 0,
                        kind=str(n.kind),
                        municipality_code=n.municipality_code,
                        status=str(n.status),
                        created_on=n.created_on,
                        delivered_at=n.delivered_at,
                    )
                    for n in detail.notifications
                ],
            )

    @router.get(
        "/letters/{letter_id}.pdf",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}, "description": "the letter as sent"}},
    )
    def letter_pdf(cvr: str, letter_id: Id, request: Request) -> Response:
        """The letter exactly as sent (its SHA-256 in ``X-Almen-SHA256``)."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            letter = case_views.letter_in(session, access, letter_id)
            response = file_response(
                letter.pdf, "application/pdf", f"{letter.kind}-{letter.case_id}.pdf"
            )
            response.headers["X-Almen-SHA256"] = letter.checksum
            return response

    @router.post("/cases/{case_id}/approve")
    def approve(cvr: str, case_id: Id, body: ApproveBody, request: Request) -> OutcomeOut:
        """Approve a held påkrav (write), a termination or an eviction request (approve)."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            outcome = cases.approve(
                session, access, case_id, body.action, today=ctx.today(),
                rehousing_confirmed=body.rehousing_confirmed,
            )  # fmt: skip
            return outcome_out(outcome)

    @router.post("/cases/{case_id}/reject")
    def reject(cvr: str, case_id: Id, body: RejectBody, request: Request) -> OutcomeOut:
        """Decline what waits for approval, with a reason; the case closes (approve)."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            return outcome_out(
                cases.reject(session, access, case_id, today=ctx.today(), reason=body.reason)
            )

    @router.post("/cases/{case_id}/close")
    def close(cvr: str, case_id: Id, body: CloseBody, request: Request) -> OutcomeOut:
        """Close a case as paid, settled, written off or evicted, with a reason (write)."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            outcome = cases.close(
                session, access, case_id, body.close_as, today=ctx.today(), reason=body.reason
            )
            return outcome_out(outcome)

    return router
