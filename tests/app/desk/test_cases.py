"""The desk's case actions: the caller's organisation only, the right role, an audit row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from app.auth.http import Access
from app.auth.models import AuditEvent, TokenKind
from app.auth.roles import Role
from app.auth.service import create_user, grant, issue_token, resolve_token
from app.desk import cases
from app.desk.errors import DeskError, Forbidden, NotFound
from ledger.models import Organisation
from tests import factories
from tests.workflows.arrears.helpers import D
from tests.workflows.arrears.test_approvals import awaiting
from workflows.arrears.states import CaseState

NOW = datetime(2026, 4, 24, 8, 0, tzinfo=UTC)


def access_as(session: Session, organisation: Organisation, *roles: Role) -> Access:
    user = create_user(session, f"u{len(roles)}{roles[0].value}", "Mette", "x" * 12, created_by="t")
    for role in roles:
        grant(session, user, organisation, role, granted_by="test")
    issued = issue_token(session, user, TokenKind.SESSION, now=NOW)
    principal = resolve_token(session, issued.token, now=NOW)
    assert principal is not None
    return Access(principal=principal, organisation=organisation)


def test_an_approver_terminates_and_the_audit_log_says_who(session: Session) -> None:
    org, _, case_id = awaiting(session)
    access = access_as(session, org, Role.APPROVER)
    outcome = cases.approve(session, access, case_id, "terminate", today=D(2026, 4, 24))
    assert outcome.state == CaseState.TERMINATION_SENT
    event = session.exec(select(AuditEvent)).one()
    assert (event.actor, event.action, event.organisation_id, event.object_id) == (
        access.principal.username, "case.approve_terminate", org.id, str(case_id),
    )  # fmt: skip
    assert event.before == {"state": "awaiting_termination_approval"}
    assert event.after is not None and event.after["state"] == "termination_sent"
    assert event.after["letter_id"] == outcome.letter_id is not None


def test_an_accountant_may_not_terminate(session: Session) -> None:
    org, _, case_id = awaiting(session)
    with pytest.raises(Forbidden, match="approve"):
        cases.approve(
            session, access_as(session, org, Role.ACCOUNTANT), case_id, "terminate",
            today=D(2026, 4, 24),
        )  # fmt: skip
    assert session.exec(select(AuditEvent)).all() == []


def test_another_organisations_case_is_not_found(session: Session) -> None:
    _, _, case_id = awaiting(session)
    other = factories.organisation(session, cvr=factories.OTHER_CVR)
    access = access_as(session, other, Role.APPROVER)
    with pytest.raises(NotFound, match=f"no arrears case {case_id}"):
        cases.approve(session, access, case_id, "terminate", today=D(2026, 4, 24))
    with pytest.raises(NotFound):
        cases.reject(session, access, case_id, today=D(2026, 4, 24), reason="nej")


def test_the_laws_refusal_comes_through_and_nothing_is_audited(session: Session) -> None:
    org, _, case_id = awaiting(session)
    access = access_as(session, org, Role.APPROVER)
    with pytest.raises(DeskError, match="earliest termination day is 2026-04-24"):
        cases.approve(session, access, case_id, "terminate", today=D(2026, 4, 23))
    assert session.exec(select(AuditEvent)).all() == []


def test_a_rejection_keeps_its_reason(session: Session) -> None:
    org, _, case_id = awaiting(session)
    access = access_as(session, org, Role.APPROVER)
    outcome = cases.reject(
        session, access, case_id, today=D(2026, 4, 24), reason="Aftale med lejer"
    )
    assert outcome.state == CaseState.CLOSED_REJECTED
    event = session.exec(select(AuditEvent)).one()
    assert (event.action, event.reason) == ("case.reject", "Aftale med lejer")
