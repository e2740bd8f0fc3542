"""Issue #4's "Done when", against real peers on this machine: the demo's first-year påkrav in
the municipality's mailbox the same night (PDF attached, deadline in the text) and a
correctly signed webhook POST; a receiver down for three rounds and up on the fourth; a crash
between sending and recording; the nightly run and ``almen serve`` sending."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.database import unit_of_work
from app.letters import LETTER_TOOLS
from app.notify import dispatch_now
from app.scheduler import _dispatch_job, build_scheduler
from app.settings import Settings
from integrations.email import SmtpConfig, SmtpSecurity
from tests import factories
from tests.cli import Runner
from tests.peers import SmtpPeer, WebhookReceiver
from tests.workflows.notifications.helpers import (
    SECRET,
    FakeClock,
    attempts,
    configure,
    first_year_notifications,
    session_uow,
)
from workflows.notifications.dispatch import DispatchReport
from workflows.notifications.message import long_date
from workflows.notifications.models import Notification, NotificationAttempt
from workflows.notifications.policy import RetryPolicy

ROOT = Path(__file__).resolve().parents[2]
SENDER = "underretning@engtoften.dk"


def smtp_settings(peer: SmtpPeer, **more: object) -> Settings:
    config = SmtpConfig("127.0.0.1", SENDER, SmtpSecurity.NONE, port=peer.port)
    return Settings(database_url="unused", smtp=config, **more)  # type: ignore[arg-type]


@pytest.mark.slow
def test_demo_first_year_pakrav_reaches_the_mailbox_the_same_night_and_the_webhook_is_signed(
    cli: Runner, tmp_path: Path
) -> None:
    with SmtpPeer() as smtp, WebhookReceiver(SECRET) as receiver:
        # Skanderborg takes a webhook; the demo keeps a setting made before it.
        hook = cli("municipality", "set", "--code", "746", "--webhook", receiver.url,
                   "--secret", SECRET)  # fmt: skip
        assert hook.code == 0, hook.err
        result = cli("demo", "--as-of", "2026-11-07", "--nights", "6", "--files", str(tmp_path),
                     "--json", today=date(2026, 11, 7), settings=smtp_settings(smtp))  # fmt: skip
        assert result.code == 0, result.err
        night = {n["as_of"]: n for n in result.json()["nights"]}["2026-11-06"]
        assert night["pakrav_issued"] > 0 and night["notifications_created"] >= 2
        assert night["dispatch"]["delivered"] == night["notifications_created"]  # that night
        listed = cli("notifications", "list", "--json").json()
        assert {(n["kind"], n["created_on"], n["status"]) for n in listed} == {
            ("pakrav_first_year", "2026-11-06", "delivered")
        }
        by_code = {
            code: [n for n in listed if n["municipality_code"] == code] for code in (751, 746)
        }
        assert by_code[751] and by_code[746]
        for row in by_code[751]:
            payload = cli("notifications", "show", str(row["id"])).json()
            deadline = date.fromisoformat(payload["pakrav"]["deadline"])
            [mail] = smtp.mailbox.by_key(row["idempotency_key"])
            assert mail.rcpt_tos == ["underretning@aarhus.example"]
            assert f"Påkravsfrist: fredag den {long_date(deadline)}" in mail.text
            assert f"møde inden {deadline:%d.%m.%Y}" in mail.message["Subject"]
            [(content_type, filename, pdf)] = mail.attachments()
            assert content_type == "application/pdf" and pdf.startswith(b"%PDF-")
            assert filename.startswith("paakrav-RS-")
        for row in by_code[746]:
            [delivery] = receiver.seen(row["idempotency_key"])
            assert delivery.verified and delivery.answered == 200
            assert delivery.body is not None
            assert delivery.body["payload"]["meeting_before"] == delivery.body["payload"][
                "pakrav"]["deadline"]  # fmt: skip
        assert len(smtp.mailbox.messages) == len(by_code[751])
        assert len(receiver.deliveries) == len(by_code[746])


def test_receiver_down_for_three_rounds_and_up_on_the_fourth(cli: Runner, session: Session) -> None:
    _, notifications = first_year_notifications(session, [751, 751])
    receiver = WebhookReceiver(SECRET)  # not started yet: connection refused
    configure(session, 751, webhook_url=receiver.url, secret=SECRET)
    clock, settings = FakeClock(), Settings(database_url="unused", webhook_timeout_seconds=2)
    for _ in range(3):
        report = dispatch_now(session_uow(session), settings, clock=clock)
        assert (report.claimed, report.retrying) == (2, 2)
        clock.advance(6 * 3600)
    with receiver:
        report = dispatch_now(session_uow(session), settings, clock=clock)
    assert (report.claimed, report.delivered) == (2, 2)
    keys = [n.idempotency_key for n in notifications]
    assert sorted(receiver.accepted) == sorted(keys)  # each key accepted, once
    assert sorted(d.key for d in receiver.deliveries) == sorted(keys)
    for notification in notifications:
        history = cli("notifications", "history", str(notification.id), "--json").json()
        assert history["status"] == "delivered"
        assert [a["outcome"] for a in history["attempt_history"]] == [
            "retry", "retry", "retry", "delivered",
        ]  # fmt: skip
        assert all(a["receipt"].startswith("ConnectError") for a in history["attempt_history"][:3])
        assert history["attempt_history"][3]["receipt"] == 'HTTP 200 OK: {"status":"accepted"}'


CRASH = """
import os, sys
import workflows.notifications.dispatch as dispatcher
from app.database import make_engine, unit_of_work
from app.notify import senders
from app.settings import Settings

def crash(*args, **kwargs):
    os._exit(17)  # the process dies after sending, before recording the outcome

dispatcher.record_outcome = crash
engine = make_engine(sys.argv[1])
dispatcher.dispatch(lambda: unit_of_work(engine), senders(Settings(database_url=sys.argv[1])))
sys.exit(1)
"""


def test_a_crash_between_send_and_record_sends_again_with_the_same_key(
    fresh_engine: Engine,
) -> None:
    with unit_of_work(fresh_engine) as session:
        _, [notification] = first_year_notifications(session)
    key = notification.idempotency_key
    uow, settings = (lambda: unit_of_work(fresh_engine)), Settings(database_url="unused")
    with WebhookReceiver(SECRET) as receiver:
        with unit_of_work(fresh_engine) as session:
            configure(session, 751, webhook_url=receiver.url, secret=SECRET)
        url = fresh_engine.url.render_as_string(hide_password=False)
        crashed = subprocess.run(
            [sys.executable, "-c", CRASH, url], cwd=ROOT, capture_output=True, timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert crashed.returncode == 17, crashed.stderr.decode()
        assert [d.key for d in receiver.deliveries] == [key]  # it was sent ...
        with Session(fresh_engine) as session:
            row = session.get(Notification, notification.id)
            assert row is not None and row.status == "sending"  # ... and not recorded
            assert [a.outcome for a in attempts(session, notification)] == ["sending"]
        clock = FakeClock()
        assert dispatch_now(uow, settings, clock=clock).claimed == 0  # its lease holds
        clock.advance(RetryPolicy().lease_seconds + 1)
        report = dispatch_now(uow, settings, clock=clock)
        assert (report.interrupted, report.delivered) == (1, 1)
    assert [d.key for d in receiver.deliveries] == [key, key]  # sent again, same key
    assert list(receiver.accepted) == [key]  # the receiver dropped the repeat
    assert [d.answered for d in receiver.deliveries] == [200, 200]
    with Session(fresh_engine) as session:
        history = attempts(session, notification)
        assert [(a.number, a.outcome) for a in history] == [(1, "interrupted"), (2, "delivered")]
        assert history[1].receipt == 'HTTP 200 OK: {"status":"duplicate, dropped"}'
        row = session.get(Notification, notification.id)
        assert row is not None and row.status == "delivered"


def test_the_nightly_run_sends_its_notifications_the_same_night(
    cli: Runner, session: Session
) -> None:
    org = factories.organisation(session, ledger_start=date(2026, 4, 1))
    factories.tenancy(session, org, start=date(2026, 1, 1), assigned=True)
    configure(session, 751, emails=["underretning@aarhus.dk"])
    with SmtpPeer() as smtp:
        for day in range(1, 10):
            run = cli("nightly", "--as-of", f"2026-04-{day:02d}", settings=smtp_settings(smtp),
                      today=date(2026, 4, day))  # fmt: skip
            assert run.code == 0, run.err
            if day < 9:
                assert smtp.mailbox.messages == []
        assert "notifications: 1 delivered, 0 to be tried again, 0 dead letters" in run.out
        [mail] = smtp.mailbox.messages
        assert "Påkravsfrist: torsdag den 23. april 2026" in mail.text


def test_an_approved_eviction_request_is_sent_at_once(cli: Runner, session: Session) -> None:
    """ALL § 92, stk. 2: the municipality is told no later than the request is filed."""
    from tests.workflows.arrears.helpers import nights, only_case
    from workflows.arrears import approvals
    from workflows.arrears.config import update_settings

    org = factories.organisation(session, ledger_start=date(2026, 4, 1))
    tenancy = factories.tenancy(session, org, start=date(2025, 1, 1))
    update_settings(session, org, {"bailiff_court": "Fogedretten i Aarhus"}, by="test")
    nights(session, org, date(2026, 4, 1), date(2026, 4, 24))
    case_id = only_case(session, tenancy).id or 0
    approvals.approve_termination(
        session, case_id, today=date(2026, 4, 24), actor="test", tools=LETTER_TOOLS
    )
    configure(session, 751, emails=["underretning@aarhus.dk"])
    with SmtpPeer() as smtp:
        approved = cli("cases", "approve", str(case_id), "--action", "evict", "--by", "Mette",
                       settings=smtp_settings(smtp), today=date(2026, 4, 28))  # fmt: skip
        assert approved.code == 0, approved.err
        assert "notifications: 1 delivered" in approved.out
        [mail] = smtp.mailbox.messages
        assert "ALL § 92, stk. 2" in mail.message["Subject"]


def test_serve_sends_waiting_notifications_on_a_short_interval(fresh_engine: Engine) -> None:
    calls: list[int] = []

    def dispatch() -> DispatchReport:
        calls.append(1)
        return DispatchReport()

    scheduler = build_scheduler(fresh_engine, "02:30", dispatch=dispatch, dispatch_seconds=15)
    job = scheduler.get_job("dispatch-notifications")
    assert job is not None and job.trigger.interval.total_seconds() == 15
    _dispatch_job(dispatch)
    assert calls == [1]

    def broken() -> DispatchReport:
        raise RuntimeError("database is locked")

    _dispatch_job(broken)  # logged; the next round tries again


def test_the_nightly_job_of_serve_sends_after_the_night(fresh_engine: Engine) -> None:
    from app.notify import nightly_dispatch
    from app.scheduler import run_at

    with unit_of_work(fresh_engine) as session:
        _, _ = first_year_notifications(session)
        configure(session, 751, pull_only=True)
    with SmtpPeer() as smtp:
        run_at(fresh_engine, "02:30", "02:30", as_of=date(2026, 4, 10),
               after_commit=nightly_dispatch(smtp_settings(smtp)))  # fmt: skip
    with Session(fresh_engine) as session:
        positions = session.exec(select(Notification.feed_position)).all()
        assert positions == [1]  # published for the pull feed after the night
        assert session.exec(select(NotificationAttempt)).all() == []  # pull only: no pushes
