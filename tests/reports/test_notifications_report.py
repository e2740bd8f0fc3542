"""Municipality notifications with their delivery status and attempts (ABL § 59, stk. 11)."""

from __future__ import annotations

from sqlmodel import Session, select

from reports import build_report
from tests.reports.support import check_all_formats
from tests.workflows.arrears.helpers import D
from tests.workflows.notifications.helpers import (
    FakeClock,
    configure,
    first_year_notifications,
    session_uow,
)
from workflows.notifications.dispatch import SendResult, dispatch
from workflows.notifications.envelope import Outbound
from workflows.notifications.models import (
    AttemptOutcome,
    DeliveryMethod,
    Notification,
    NotificationAttempt,
)
from workflows.notifications.registry import DeliveryTarget


class Answer:
    """A sender that gives one outcome to every call."""

    def __init__(self, outcome: AttemptOutcome) -> None:
        self.outcome = outcome

    def __call__(self, item: Outbound, target: DeliveryTarget) -> SendResult:
        return SendResult(self.outcome, f"fake: {self.outcome}")


def test_abl_59_stk_11_notifications_with_status_and_attempts(session: Session) -> None:
    """Aarhus takes e-mail (delivered), Skanderborg a webhook that refuses (dead letter),
    Odense has no setting yet (tried, failed, tried again later)."""
    org, made = first_year_notifications(session, (751, 746, 461))
    assert org.id is not None
    configure(session, 751, emails=["underretning@aarhus.example"])
    configure(session, 746, webhook_url="https://skanderborg.example/hook", secret="x" * 40)
    senders = {
        DeliveryMethod.EMAIL: Answer(AttemptOutcome.DELIVERED),
        DeliveryMethod.WEBHOOK: Answer(AttemptOutcome.REJECTED),
    }
    dispatch(session_uow(session), senders, clock=FakeClock())
    session.expire_all()

    report = build_report(session, org.id, "notifications", D(2026, 4, 9))
    rows = report.frame.to_dict("records")
    assert [(r["Kommune"], r["Lejemål"], r["Status"], r["Forsøg"]) for r in rows] == [
        ("Aarhus Kommune", "1-101", "Afleveret", 1),
        ("Skanderborg Kommune", "1-102", "Opgivet", 1),
        ("Odense Kommune", "1-103", "Fejlet, prøves igen", 1),
    ]
    assert all(r["Oprettet"] == D(2026, 4, 9) for r in rows)
    assert rows[0]["Via"] == "E-mail" and rows[0]["Afleveret"] is not None
    assert "refused" in rows[1]["Bemærkning"]
    statuses = [str(n.status) for n in session.exec(select(Notification))]
    attempts = session.exec(select(NotificationAttempt)).all()
    assert report.totals["notifications"] == len(statuses) == len(made) == 3
    assert report.totals["delivered"] == statuses.count("delivered") == 1
    assert report.totals["dead_letter"] == statuses.count("dead_letter") == 1
    assert report.totals["failed"] == statuses.count("failed") == 1
    assert report.totals["attempts"] == len(attempts) == sum(r["Forsøg"] for r in rows)
    check_all_formats(report)
    # The day before the påkrav there was nothing to notify.
    before = build_report(session, org.id, "notifications", D(2026, 4, 8))
    assert before.totals["notifications"] == 0 and before.frame.empty
    check_all_formats(before)
