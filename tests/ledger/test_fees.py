"""The påkrav fee table (ALL § 90, stk. 2, 5.-8. pkt.): data with a source, never a formula."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from ledger.fee_table import lookup_fee, set_fee, sync_shipped_fees
from ledger.fees import FeeError, FeeRow, fee_for_year, shipped_fee_rows

TABLE = shipped_fee_rows()


def test_shipped_table_has_every_year_from_2010() -> None:
    years = [row.year for row in TABLE]
    assert years == list(range(2010, years[-1] + 1))
    assert {row.year: row.amount_kr for row in TABLE}[2023] == 314


@pytest.mark.parametrize(("year", "amount"), [(2010, 255), (2021, 287), (2023, 314)])
def test_all_90_stk_2_published_amounts_are_confirmed(year: int, amount: int) -> None:
    fee = fee_for_year(TABLE, year)
    assert (fee.amount_kr, fee.confirmed, fee.warning) == (amount, True, None)


def test_unconfirmed_year_is_used_with_a_warning() -> None:
    fee = fee_for_year(TABLE, 2026)
    assert (fee.amount_kr, fee.confirmed) == (335, False)
    assert fee.warning is not None and "not confirmed" in fee.warning


def test_year_past_the_table_uses_the_newest_amount_never_more() -> None:
    newest = max(TABLE, key=lambda row: row.year)
    fee = fee_for_year(TABLE, newest.year + 3)
    assert fee.amount_kr == newest.amount_kr and fee.from_year == newest.year
    assert fee.warning is not None and "newest known amount" in fee.warning


def test_year_before_2010_is_an_error() -> None:
    with pytest.raises(FeeError, match=r"before 2010|out of range"):
        fee_for_year(TABLE, 2009)


def test_gap_in_the_table_uses_the_earlier_year_not_a_later_one() -> None:
    table = [FeeRow(2020, 286, "s", True), FeeRow(2022, 291, "s", True)]
    assert fee_for_year(table, 2021).amount_kr == 286


def test_fee_set_adds_and_confirms_a_year(session: Session) -> None:
    assert lookup_fee(session, 2026).confirmed is False
    set_fee(session, FeeRow(2026, 335, "VEJ nr. 9886 af 04/09/2025", True), by="revisor")
    assert lookup_fee(session, 2026).confirmed is True
    set_fee(session, FeeRow(2031, 370, "test source", True), by="revisor")
    assert lookup_fee(session, 2031).amount_kr == 370
    assert sync_shipped_fees(session) == []  # never overwrites what a person set
    assert lookup_fee(session, 2026).source == "VEJ nr. 9886 af 04/09/2025"


def test_fee_set_refuses_nonsense() -> None:
    with pytest.raises(FeeError):
        fee_for_year([], 2020)
    from ledger.fees import check_fee_row

    with pytest.raises(FeeError, match="needs a source"):
        check_fee_row(FeeRow(2030, 350, " ", True))
    with pytest.raises(FeeError, match="outside"):
        check_fee_row(FeeRow(2030, 0, "s", True))
