"""Bulk writes (COPY on PostgreSQL, executemany on SQLite) give the same ledger either way."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from ledger import bulk, posting
from ledger.models import LedgerEntry, Posting, Tenancy
from ledger.payments import payment_posting
from ledger.posting import Reversal, existing_keys, post_many, reversals_of
from ledger.types import Account, PaymentMethod
from tests import factories


def _payments(t: Tenancy, count: int, prefix: str = "bulk") -> list[posting.NewPosting]:
    assert t.id is not None
    return [
        payment_posting(
            organisation_id=t.organisation_id,
            tenancy_id=t.id,
            amount_oere=10_000 + number,
            payment_date=date(2026, 1, 1 + number % 28),
            method=PaymentMethod.BETALINGSSERVICE,
            source="test",
            external_ref=f"{prefix}-{number}",
            booking_date=date(2026, 2, 1),
            created_by="test",
        )
        for number in range(count)
    ]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 3, so that ten postings cross chunk borders on both paths."""
    monkeypatch.setattr(posting, "_CHUNK", 3)
    monkeypatch.setattr(posting, "_COPY_CHUNK", 3)
    monkeypatch.setattr(bulk, "CHUNK", 3)
    monkeypatch.setattr(bulk, "LOOKUP_CHUNK_POSTGRESQL", 3)


def test_post_many_in_chunks_writes_every_posting_once_in_order(
    session: Session, small_chunks: None
) -> None:
    t = factories.tenancy(session, factories.organisation(session))
    postings = _payments(t, 10)
    result = post_many(session, postings)
    assert len(result.posted) == 10 and result.posted == sorted(result.posted)
    assert [result.ids_by_key[p.key] for p in postings] == result.posted
    rows = session.exec(
        select(Posting.id, Posting.external_ref, Posting.kind, Posting.created_by)
        .where(Posting.source == "test")
        .order_by(col(Posting.id))
    ).all()
    assert [(pid, ref) for pid, ref, _, _ in rows] == [
        (pid, p.external_ref) for pid, p in zip(result.posted, postings, strict=True)
    ]
    entries = session.exec(
        select(LedgerEntry).where(col(LedgerEntry.posting_id).in_(result.posted))
    ).all()
    assert len(entries) == 20 and sum(e.amount_oere for e in entries) == 0
    debtor = sorted(
        (e.posting_id, e.amount_oere, e.value_date, e.method)
        for e in entries
        if e.account == Account.DEBTOR
    )
    assert debtor == [
        (pid, p.lines[0].amount_oere, p.lines[0].value_date, PaymentMethod.BETALINGSSERVICE)
        for pid, p in zip(result.posted, postings, strict=True)
    ]
    again = post_many(session, postings + _payments(t, 2, prefix="more"))
    assert (len(again.posted), again.already_posted) == (2, 10)
    assert existing_keys(session, [p.key for p in postings]) == {p.key for p in postings}


def test_bulk_reversals_mirror_each_posting_and_refuse_doubles(
    session: Session, small_chunks: None
) -> None:
    t = factories.tenancy(session, factories.organisation(session))
    ids = post_many(session, _payments(t, 5)).posted
    requests = [
        Reversal(pid, date(2026, 3, 1), date(2026, 3, 2), "test", f"back-{pid}", "Tilbageført")
        for pid in ids[:4]
    ]
    reversals = reversals_of(session, requests, created_by="test")
    assert [r.reverses_posting_id for r in reversals] == ids[:4]
    assert all(sum(line.amount_oere for line in r.lines) == 0 for r in reversals)
    post_many(session, reversals)
    with pytest.raises(posting.PostingError, match="already reversed by posting"):
        reversals_of(session, requests[:1], created_by="test")
    with pytest.raises(posting.PostingError, match="twice in one batch"):
        reversals_of(session, [requests[0], requests[0]], created_by="test")
    with pytest.raises(posting.PostingError, match="posting 0 does not exist"):
        reversals_of(session, [Reversal(0, date(2026, 3, 1), date(2026, 3, 2), "t", "x", "y")],
                     created_by="test")  # fmt: skip


def test_bulk_update_sets_the_columns_of_the_rows_named(
    session: Session, small_chunks: None
) -> None:
    organisation = factories.organisation(session)
    tenancies = [factories.tenancy(session, organisation, f"1-{n}") for n in range(101, 108)]
    updated = bulk.bulk_update(
        session,
        "tenancy",
        "id",
        ("bs_customer_number", "children_in_household"),
        [(t.id, f"K{t.id}", 2) for t in tenancies[:5]],
    )
    assert updated == 5
    rows = session.execute(
        sa.select(Tenancy.id, Tenancy.bs_customer_number, Tenancy.children_in_household)
        .where(col(Tenancy.organisation_id) == organisation.id)
        .order_by(col(Tenancy.id))
    ).all()
    assert [(number, kids) for _, number, kids in rows] == [
        *((f"K{t.id}", 2) for t in tenancies[:5]),
        *((f"1-{106 + i}", None) for i in range(2)),
    ]


def test_bulk_names_are_checked_against_the_schema(session: Session) -> None:
    with pytest.raises(AssertionError, match="has no column"):
        bulk.bulk_insert(session, "posting", ("id", "1; DROP TABLE posting"), [])
