"""Notifications made the way the workflows make them (nightly påkrav, approved eviction
request), a clock the tests move, and a unit of work bound to the test's session."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from app.letters import LETTER_TOOLS
from ledger.models import Organisation, Tenant
from ledger.types import utc_now
from tests import factories
from tests.workflows.arrears.helpers import D, nights, only_case
from workflows.arrears import approvals
from workflows.arrears.config import update_settings
from workflows.notifications.models import Notification, NotificationAttempt
from workflows.notifications.registry import DeliveryChoice, set_delivery

SECRET = "s3cret-shared-with-the-municipality-0123456789"
CPR = "0101901234"


class FakeClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or utc_now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def session_uow(session: Session) -> Callable[[], AbstractContextManager[Session]]:
    """Units of work on the test's session: each commits (a savepoint) or rolls back."""

    @contextmanager
    def unit_of_work() -> Iterator[Session]:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    return unit_of_work


def first_year_notifications(
    session: Session,
    codes: Sequence[int] = (751,),
    *,
    cvr: str = factories.CVR,
    children: int | None = 2,
    cpr: str | None = CPR,
) -> tuple[Organisation, list[Notification]]:
    """One assigned tenant per code, three months in, a påkrav on Thursday 9 April 2026
    (deadline 23 April) and its ABL § 59, stk. 11 notification."""
    org = factories.organisation(session, cvr=cvr, ledger_start=D(2026, 4, 1))
    update_settings(
        session, org,
        {"contact_name": "Mette Kristensen", "contact_phone": "86 12 34 56",
         "contact_email": "husleje@test.dk"},
        by="test",
    )  # fmt: skip
    for number, code in enumerate(codes, start=1):
        tenancy = factories.tenancy(
            session, org, f"1-{100 + number}", start=D(2026, 1, 1), assigned=True,
            municipality_code=code,
        )  # fmt: skip
        tenancy.children_in_household = children
        session.add(tenancy)
    if cpr is not None:
        for tenant in session.exec(select(Tenant)):
            tenant.cpr = cpr
            session.add(tenant)
    session.flush()
    nights(session, org, D(2026, 4, 1), D(2026, 4, 9))
    found = list(
        session.exec(
            select(Notification)
            .where(Notification.organisation_id == org.id)
            .order_by(col(Notification.id))
        )
    )
    assert len(found) == len(codes)
    return org, found


def eviction_notification(session: Session, *, children: int | None = 2) -> Notification:
    """An ALL § 92, stk. 2 notification: the eviction request approved on 28 April 2026."""
    org = factories.organisation(session, ledger_start=D(2026, 4, 1))
    tenancy = factories.tenancy(session, org, start=D(2025, 1, 1))
    tenancy.children_in_household = children
    session.add(tenancy)
    update_settings(
        session, org, {"bailiff_court": "Fogedretten i Aarhus", "contact_name": "Mette"},
        by="test",
    )  # fmt: skip
    nights(session, org, D(2026, 4, 1), D(2026, 4, 24))
    case_id = only_case(session, tenancy).id or 0
    approvals.approve_termination(
        session, case_id, today=D(2026, 4, 24), actor="test", tools=LETTER_TOOLS
    )
    approvals.approve_eviction(
        session, case_id, today=D(2026, 4, 28), actor="test", tools=LETTER_TOOLS
    )
    return session.exec(select(Notification)).one()


def configure(session: Session, code: int, **choice: object) -> None:
    set_delivery(session, code, DeliveryChoice(**choice), by="test")  # type: ignore[arg-type]


def attempts(session: Session, notification: Notification) -> list[NotificationAttempt]:
    session.expire_all()
    return list(
        session.exec(
            select(NotificationAttempt)
            .where(NotificationAttempt.notification_id == notification.id)
            .order_by(col(NotificationAttempt.number))
        )
    )


def reload(session: Session, notification: Notification) -> Notification:
    session.expire_all()
    found = session.get(Notification, notification.id)
    assert found is not None
    return found


DAY = date(2026, 4, 9)
