"""A world for the ``/api/v1`` tests on a database with real commits: organisation A with a
case awaiting termination approval (built by the real nightly run), organisation B with one
object of every kind the API addresses by id, users of each role, and a TestClient.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.api import create_app
from app.api_v1 import ApiSettings
from app.auth.models import TokenKind
from app.auth.roles import Role
from app.auth.service import create_user, grant, issue_token
from app.database import unit_of_work
from ledger.models import Organisation
from ledger.types import DeliveryChannel
from tests import factories
from tests.workflows.arrears.test_approvals import awaiting
from workflows.arrears.letters import pdf_checksum
from workflows.arrears.models import (
    ArrearsCase,
    Letter,
    LetterKind,
    LetterStatus,
    PaymentPlan,
    PlanStatus,
)
from workflows.arrears.states import CaseState
from workflows.moveout.deadlines import MoveoutCause
from workflows.moveout.models import CaseState as MoveoutState
from workflows.moveout.models import MoveoutCase
from workflows.notifications.models import (
    Notification,
    NotificationKind,
    NotificationStatus,
)

TODAY = date(2026, 4, 24)  # the A case's earliest termination day
PASSWORD = "korrekt hest batteri"
NOW = datetime.now(UTC)


@dataclass
class World:
    engine: Engine
    client: TestClient
    a: Organisation
    b: Organisation
    a_case: int
    b_ids: dict[str, int]  # one object of B per kind: tenancy, case, letter, plan, ...
    tokens: dict[str, str] = field(default_factory=dict)  # bearer token by username
    users: dict[str, int] = field(default_factory=dict)  # user id by username

    def bearer(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def url(self, path: str, cvr: str | None = None) -> str:
        return f"/api/v1/organisations/{cvr or self.a.cvr}{path}"

    def get(self, path: str, username: str, **kwargs: object) -> httpx.Response:
        return self.client.get(self.url(path), headers=self.bearer(username), **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, username: str, **kwargs: object) -> httpx.Response:
        return self.client.post(self.url(path), headers=self.bearer(username), **kwargs)  # type: ignore[arg-type]


@contextmanager
def uow(engine: Engine) -> Iterator[Session]:
    with unit_of_work(engine) as session:
        yield session


# username -> (organisation "a"/"b", roles)
USERS: dict[str, tuple[str, tuple[Role, ...]]] = {
    "accountant": ("a", (Role.ACCOUNTANT,)),
    "approver": ("a", (Role.APPROVER,)),
    "auditor": ("a", (Role.AUDITOR,)),
    "admin": ("a", (Role.ADMIN,)),
    "chief": ("a", (Role.APPROVER, Role.ADMIN)),  # may do everything in A
    "boss_b": ("b", (Role.APPROVER, Role.ADMIN)),
}


def build_world(engine: Engine, settings: ApiSettings | None = None) -> World:
    with uow(engine) as session:
        a, _, a_case = awaiting(session)
        b = factories.organisation(session, cvr=factories.OTHER_CVR)
        b_ids = b_objects(session, b)
        tokens, users = {}, {}
        for name, (which, roles) in USERS.items():
            user = create_user(session, name, name.title(), PASSWORD, created_by="test")
            for role in roles:
                grant(session, user, a if which == "a" else b, role, granted_by="test")
            issued = issue_token(session, user, TokenKind.API, now=NOW, lifetime=timedelta(days=2))
            tokens[name], users[name] = issued.token, user.id or 0
        b_ids["user_id"] = users["boss_b"]
    app = create_app(
        unit_of_work=lambda: unit_of_work(engine), today=lambda: TODAY, settings=settings
    )
    client = TestClient(app)
    return World(engine, client, a, b, a_case, b_ids, tokens, users)


def b_objects(session: Session, b: Organisation) -> dict[str, int]:
    """One row of every kind the API addresses by id, all of organisation B."""
    assert b.id is not None
    tenancy = factories.tenancy(session, b, "9-901")
    assert tenancy.id is not None
    case = ArrearsCase(
        organisation_id=b.id, tenancy_id=tenancy.id, due_date=date(2026, 4, 1),
        state=CaseState.AWAITING_TERMINATION_APPROVAL, opened_on=date(2026, 4, 8),
        amount_oere=650_000, pakrav_date=date(2026, 4, 8), channel=DeliveryChannel.DIGITAL_POST,
        deadline=date(2026, 4, 22), earliest_termination=date(2026, 4, 23),
    )  # fmt: skip
    session.add(case)
    session.flush()
    assert case.id is not None
    pdf = b"%PDF-1.4 organisation B's letter"
    letter = Letter(
        organisation_id=b.id, case_id=case.id, kind=LetterKind.PAKRAV,
        channel=DeliveryChannel.DIGITAL_POST, status=LetterStatus.ISSUED,
        dispatch_date=date(2026, 4, 8), recipient="Jens Hansen", checksum=pdf_checksum(pdf),
        size_bytes=len(pdf), pdf=pdf, created_by="test",
    )  # fmt: skip
    plan = PaymentPlan(
        organisation_id=b.id, tenancy_id=tenancy.id, status=PlanStatus.ACTIVE,
        agreed_on=date(2026, 4, 10), total_oere=650_000, created_by="test",
    )  # fmt: skip
    notification = Notification(
        organisation_id=b.id, municipality_code=751,
        kind=NotificationKind.EVICTION_REQUEST, arrears_case_id=case.id,
        tenancy_id=tenancy.id, created_on=date(2026, 4, 20),
        status=NotificationStatus.DEAD_LETTER, idempotency_key="b-notification-1",
        dead_letter_reason="550 mailbox unknown",
    )  # fmt: skip
    moveout = MoveoutCase(
        organisation_id=b.id, tenancy_id=tenancy.id, state=MoveoutState.OPEN,
        end_date=date(2026, 3, 31), cause=MoveoutCause.NOTICE, created_by="test",
    )  # fmt: skip
    for row in (letter, plan, notification, moveout):
        session.add(row)
    session.flush()
    return {
        "tenancy_id": tenancy.id,
        "case_id": case.id,
        "letter_id": letter.id or 0,
        "plan_id": plan.id or 0,
        "notification_id": notification.id or 0,
        "moveout_id": moveout.id or 0,
    }
