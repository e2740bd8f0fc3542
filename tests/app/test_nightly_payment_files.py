"""The nightly run takes in Betalingsservice files before the arrears work (issues #3 and #5).

A charge-back of April's rent arriving on 20 April gets its påkrav from that night's run, its
earliest legal day (9 April) having passed, with its dates counted from the dispatch day.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from app.database import unit_of_work
from app.nightly import nightly_deps, run_nightly
from app.settings import BsFolders
from integrations.betalingsservice import PaymentCode
from ledger.charging import post_month_charges
from ledger.months import Month
from tests import factories
from tests.integrations.betalingsservice.bs_ledger import (
    RENT,
    automatic,
    bs_organisation,
    file_0602,
)
from workflows.arrears.models import ArrearsCase

D = date


def nights(engine: Engine, first: date, last: date, folders: BsFolders, drops: dict[date, bytes]):
    """Run night by night; a file in ``drops`` lands in the inbox before that night's run."""
    summaries = {}
    day = first
    while day <= last:
        if day in drops:
            folders.inbox.mkdir(parents=True, exist_ok=True)
            (folders.inbox / f"0602-{day.isoformat()}.txt").write_bytes(drops[day])
        [summary] = run_nightly(
            lambda: unit_of_work(engine), day, nightly_deps(), payment_files=folders
        )
        assert summary["status"] == "done", summary
        summaries[day] = summary
        day += timedelta(days=1)
    return summaries


def test_all_90_stk_2_charge_back_on_20_april_gets_its_pakrav_that_night(
    fresh_engine: Engine, tmp_path: Path
) -> None:
    with unit_of_work(fresh_engine) as session:
        organisation = bs_organisation(session)
        organisation.ledger_start = D(2026, 1, 1)
        tenancy = factories.tenancy(session, organisation, "1-101", rent_oere=RENT)
        customer = tenancy.bs_customer_number or ""
        post_month_charges(session, organisation, Month(2026, 4), booking_date=D(2026, 3, 20),
                           created_by="test")  # fmt: skip
    folders = BsFolders.under(tmp_path)
    paid = file_0602([automatic(PaymentCode.COMPLETED, customer, D(2026, 4, 1))],
                     "0000000101", D(2026, 4, 1))  # fmt: skip
    charged_back = file_0602(
        [automatic(PaymentCode.CHARGED_BACK, customer, D(2026, 4, 1), actual=D(2026, 4, 20))],
        "0000000102",
        D(2026, 4, 20),
    )
    summaries = nights(fresh_engine, D(2026, 4, 1), D(2026, 4, 20), folders,
                       {D(2026, 4, 1): paid, D(2026, 4, 20): charged_back})  # fmt: skip
    assert summaries[D(2026, 4, 1)]["payment_files"]["payments"] == 1
    assert all(s["pakrav_issued"] == 0 for day, s in summaries.items() if day < D(2026, 4, 20))
    last = summaries[D(2026, 4, 20)]
    assert last["payment_files"]["charged_back"] == 1
    assert last["pakrav_issued"] == 1
    with unit_of_work(fresh_engine) as session:
        [case] = session.exec(select(ArrearsCase)).all()
        assert case.due_date == D(2026, 4, 1)
        assert case.pakrav_date == D(2026, 4, 20)  # the run's own day, never backdated
        assert case.deadline == D(2026, 5, 4)  # 20 April + 14 days, a Monday and a bank day
        assert case.fee_oere == 33_500  # the 2026 fee
    assert sorted(p.name for p in folders.archive.iterdir()) == [
        "0602-2026-04-01.txt", "0602-2026-04-20.txt"]  # fmt: skip
    assert list(folders.inbox.iterdir()) == []
