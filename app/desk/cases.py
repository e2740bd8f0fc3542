"""Arrears cases at the desk: find one within the organisation, approve, reject, close.

The legal checks are the workflow's (``workflows.arrears.approvals``); this layer adds who
may do it (the ``approver`` role for terminations and evictions) and the audit row.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from sqlmodel import Session

from app.auth import audit
from app.auth.http import Access
from app.auth.roles import Permission
from app.desk.common import require
from app.desk.errors import DeskError, NotFound
from app.letters import LETTER_TOOLS
from workflows.arrears import approvals
from workflows.arrears.approvals import Outcome
from workflows.arrears.models import ArrearsCase
from workflows.arrears.service import CaseError
from workflows.arrears.states import TransitionError

ApprovalAction = Literal["pakrav", "terminate", "evict"]
CloseAs = Literal["paid", "settled", "written_off", "evicted"]


def case_in(session: Session, access: Access, case_id: int) -> ArrearsCase:
    """The case if it belongs to the caller's organisation, else ``NotFound``."""
    case = session.get(ArrearsCase, case_id)
    if case is None or case.organisation_id != access.organisation_id:
        raise NotFound(f"no arrears case {case_id}")
    return case


def approve(
    session: Session,
    access: Access,
    case_id: int,
    action: ApprovalAction,
    *,
    today: date,
    rehousing_confirmed: bool = False,
) -> Outcome:
    """Approve a held påkrav (``write``), a termination or an eviction request (``approve``)."""
    needed = Permission.WRITE if action == "pakrav" else Permission.APPROVE
    require(access, needed)
    case = case_in(session, access, case_id)
    before = _state(case)
    actor = access.principal.username
    try:
        if action == "pakrav":
            outcome = approvals.approve_pakrav(session, case_id, today=today, actor=actor)
        elif action == "terminate":
            outcome = approvals.approve_termination(
                session, case_id, today=today, actor=actor, tools=LETTER_TOOLS,
                rehousing_confirmed=rehousing_confirmed,
            )  # fmt: skip
        else:
            outcome = approvals.approve_eviction(
                session, case_id, today=today, actor=actor, tools=LETTER_TOOLS
            )
    except (CaseError, TransitionError) as exc:
        raise DeskError(str(exc)) from exc
    _audit(session, access, f"case.approve_{action}", case, before, outcome)
    return outcome


def reject(session: Session, access: Access, case_id: int, *, today: date, reason: str) -> Outcome:
    """Decline what waits for approval, with a reason (the case closes)."""
    require(access, Permission.APPROVE)
    case = case_in(session, access, case_id)
    before = _state(case)
    try:
        outcome = approvals.reject(
            session, case_id, today=today, actor=access.principal.username, reason=reason
        )
    except (CaseError, TransitionError) as exc:
        raise DeskError(str(exc)) from exc
    _audit(session, access, "case.reject", case, before, outcome, reason=reason)
    return outcome


def close(
    session: Session, access: Access, case_id: int, close_as: CloseAs, *, today: date, reason: str
) -> Outcome:
    """Close a case as paid, settled, written off or evicted, with a reason."""
    require(access, Permission.WRITE)
    case = case_in(session, access, case_id)
    before = _state(case)
    try:
        outcome = approvals.close(
            session, case_id, close_as=close_as, today=today,
            actor=access.principal.username, reason=reason,
        )  # fmt: skip
    except (CaseError, TransitionError) as exc:
        raise DeskError(str(exc)) from exc
    _audit(session, access, f"case.close_{close_as}", case, before, outcome, reason=reason)
    return outcome


def _state(case: ArrearsCase) -> dict[str, object]:
    return {"state": str(case.state)}


def _audit(
    session: Session,
    access: Access,
    action: str,
    case: ArrearsCase,
    before: dict[str, object],
    outcome: Outcome,
    *,
    reason: str | None = None,
) -> None:
    audit.record(
        session,
        access.principal,
        action,
        organisation_id=access.organisation_id,
        object_type="arrears_case",
        object_id=case.id,
        before=before,
        after={
            "state": str(outcome.state),
            "letter_id": outcome.letter_id,
            "notifications": outcome.notifications,
        },
        reason=reason,
    )
