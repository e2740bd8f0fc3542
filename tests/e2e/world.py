"""The browser tests' world: the demo organisation after 30 nights (cases waiting for
approval, letters, notifications), a second organisation with one case of its own, users,
and the real app served by uvicorn on a free port with real commits (SQLite)."""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app import demo
from app.api import create_app
from app.api_v1.common import ApiSettings
from app.auth.roles import Role
from app.auth.service import create_user, grant
from app.cli.context import CliContext
from app.cli.main import main
from app.database import unit_of_work
from app.demo_bs import DEMO_DEBTOR_GROUP, DEMO_PBS_NUMBER
from app.settings import Settings
from integrations.betalingsservice import (
    AutomaticPayment,
    PaymentCode,
    Sign,
    build_payment_delivery,
    write,
)
from ledger.registry import require_organisation
from tests import factories
from workflows.arrears.models import ArrearsCase
from workflows.arrears.states import CaseState

TODAY = date(2026, 11, 21)
OTHER_CVR = "13585628"  # a valid CVR (tests/factories.CVR)
PASSWORD = "Sommerhus-2026"


@dataclass(frozen=True)
class World:
    base_url: str
    engine: Engine
    cvr: str
    other_cvr: str
    other_case_id: int


def build(engine: Engine, url: str, workdir: Path) -> World:
    """The demo as of ``TODAY`` (30 nights), a second organisation and the users."""
    context = CliContext(
        settings=Settings(database_url=url, secure_cookies=False),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        today=lambda: TODAY,
    )
    argv = ["demo", "--as-of", TODAY.isoformat(), "--nights", "30"]
    argv += ["--files", str(workdir / "files"), "--mail-dir", str(workdir / "mail")]
    code = main(argv, context)
    assert code == 0, context.stderr.getvalue()  # type: ignore[attr-defined]
    with unit_of_work(engine) as session:
        other_case_id = _other_organisation(session)
        _users(session)
    return World("", engine, demo.DEMO_CVR, OTHER_CVR, other_case_id)


def _other_organisation(session: Session) -> int:
    """Organisation B with one tenancy and one case waiting for a termination approval."""
    other = factories.organisation(session, cvr=OTHER_CVR)
    assert other.id is not None
    tenancy = factories.tenancy(session, other, "7-701")
    assert tenancy.id is not None
    case = ArrearsCase(
        organisation_id=other.id,
        tenancy_id=tenancy.id,
        due_date=date(2026, 10, 1),
        state=CaseState.AWAITING_TERMINATION_APPROVAL,
        opened_on=date(2026, 10, 6),
        amount_oere=812_500,
    )
    session.add(case)
    session.flush()
    assert case.id is not None
    return case.id


def _users(session: Session) -> None:
    """mette: approver in the demo organisation; bo: accountant there; other: admin in B."""
    ours = require_organisation(session, demo.DEMO_CVR)
    theirs = require_organisation(session, OTHER_CVR)
    for username, name, organisation, role in (
        ("mette", "Mette Kristensen", ours, Role.APPROVER),
        ("bo", "Bo Jensen", ours, Role.ACCOUNTANT),
        ("other", "Anne Andersen", theirs, Role.ADMIN),
    ):
        user = create_user(session, username, name, PASSWORD, created_by="test")
        grant(session, user, organisation, role, granted_by="test")


def waiting_case(engine: Engine) -> int:
    """A case of the demo organisation waiting for a termination approval."""
    with unit_of_work(engine) as session:
        organisation = require_organisation(session, demo.DEMO_CVR)
        found = session.exec(
            select(ArrearsCase.id)
            .where(
                col(ArrearsCase.organisation_id) == organisation.id,
                col(ArrearsCase.state) == CaseState.AWAITING_TERMINATION_APPROVAL,
            )
            .order_by(col(ArrearsCase.id))
        ).first()
    assert found is not None, "the demo's 30 nights leave cases waiting for approval"
    return found


def case_state(engine: Engine, case_id: int) -> CaseState:
    with unit_of_work(engine) as session:
        case = session.get(ArrearsCase, case_id)
        assert case is not None
        return CaseState(case.state)


def payment_file(serial: str) -> bytes:
    """A 0602 delivery for the demo organisation: two payments of known tenancies (by unit
    number as customer number) and one of a customer number nobody has (suspense)."""

    def payment(customer: str, amount_oere: int) -> AutomaticPayment:
        day = date(2026, 11, 20)
        return AutomaticPayment(
            DEMO_PBS_NUMBER, PaymentCode.COMPLETED, DEMO_DEBTOR_GROUP, customer.zfill(15),
            "000000000", day, Sign.WITHDRAWAL, amount_oere, "", day, day, amount_oere,
        )  # fmt: skip

    delivery = build_payment_delivery(
        data_supplier_cvr=demo.DEMO_CVR,
        delivery_serial=serial,
        created=date(2026, 11, 20),
        payments=[payment("1-001", 650_000), payment("1-002", 712_550), payment("9-999", 10_000)],
    )
    return write(delivery)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(engine: Engine) -> Iterator[str]:
    """The real app (API, web page) on a free port in a background thread; yields its URL."""
    app = create_app(
        unit_of_work=lambda: unit_of_work(engine),
        today=lambda: TODAY,
        settings=ApiSettings(secure_cookies=False),
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
