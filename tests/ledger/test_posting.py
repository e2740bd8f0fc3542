"""Posting groups: balanced, idempotent, append-only; reversals reopen what they reverse."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from ledger.accounts import debtor_items, debtor_lines, reallocate, tenancy_statement
from ledger.models import Allocation, LedgerEntry, Posting
from ledger.posting import Line, NewPosting, PostingError, check_posting, post_many, reversal_of
from ledger.types import Account, PostingKind
from tests import factories

D = date


def two_lines(org_id: int, tenancy_id: int, amounts: tuple[int, int], ref: str) -> NewPosting:
    return NewPosting(
        organisation_id=org_id,
        kind=PostingKind.ADJUSTMENT,
        booking_date=D(2026, 1, 1),
        source="test",
        external_ref=ref,
        text="x",
        lines=(
            Line(Account.DEBTOR, amounts[0], tenancy_id=tenancy_id, due_date=D(2026, 1, 1)),
            Line(Account.INCOME, amounts[1]),
        ),
        created_by="test",
    )


def test_unbalanced_posting_is_refused_as_a_value() -> None:
    problems = check_posting(two_lines(1, 1, (100, -99), "r"))
    assert problems == ["posting does not balance: its lines sum to 1 øre"]


def test_debtor_line_without_tenancy_or_date_is_refused() -> None:
    posting = NewPosting(
        organisation_id=1,
        kind=PostingKind.ADJUSTMENT,
        booking_date=D(2026, 1, 1),
        source="test",
        external_ref="r",
        text="x",
        created_by="t",
        lines=(Line(Account.DEBTOR, 100), Line(Account.INCOME, -100)),
    )
    assert check_posting(posting) == [
        "line 1: a debtor line needs a tenancy",
        "line 1: a debtor line needs a due date or a payment date",
    ]


def test_posting_twice_changes_nothing(session: Session) -> None:
    org = factories.organisation(session)
    tenancy = factories.tenancy(session, org)
    assert org.id and tenancy.id
    posting = two_lines(org.id, tenancy.id, (100, -100), "once")
    first = post_many(session, [posting])
    second = post_many(session, [posting])
    assert len(first.posted) == 1 and first.already_posted == 0
    assert second.posted == [] and second.already_posted == 1
    assert session.exec(select(func.count()).select_from(Posting)).one() == 1


def test_invalid_posting_in_a_batch_writes_nothing(session: Session) -> None:
    org = factories.organisation(session)
    tenancy = factories.tenancy(session, org)
    assert org.id and tenancy.id
    good = two_lines(org.id, tenancy.id, (100, -100), "good")
    bad = two_lines(org.id, tenancy.id, (100, -1), "bad")
    with pytest.raises(PostingError, match="does not balance"):
        post_many(session, [good, bad])
    assert session.exec(select(func.count()).select_from(Posting)).one() == 0


def test_every_posting_group_in_the_ledger_balances(session: Session) -> None:
    org = factories.organisation(session)
    tenancy = factories.tenancy(session, org)
    factories.charge(session, tenancy, 650_000, D(2026, 1, 1))
    factories.pay(session, tenancy, 400_000, D(2026, 1, 2))
    sums = session.exec(
        select(LedgerEntry.posting_id, func.sum(LedgerEntry.amount_oere)).group_by(
            col(LedgerEntry.posting_id)
        )
    ).all()
    assert len(sums) == 2 and all(total == 0 for _, total in sums)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_entry SET amount_oere = 1",
        "DELETE FROM ledger_entry",
        "UPDATE posting SET text = 'changed'",
        "DELETE FROM posting",
    ],
)
def test_the_ledger_is_append_only_in_the_database(session: Session, statement: str) -> None:
    org = factories.organisation(session)
    tenancy = factories.tenancy(session, org)
    factories.charge(session, tenancy, 650_000, D(2026, 1, 1))
    session.flush()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), session.begin_nested():
        session.execute(sa.text(statement))


def test_reversal_of_a_payment_reopens_the_charge(session: Session) -> None:
    org = factories.organisation(session)
    tenancy = factories.tenancy(session, org)
    assert org.id and tenancy.id
    factories.charge(session, tenancy, 650_000, D(2026, 4, 1))
    payment = factories.pay(session, tenancy, 650_000, D(2026, 4, 1))
    assert tenancy_statement(session, org.id, tenancy.id, D(2026, 4, 2)).balance_oere == 0
    reversal = reversal_of(
        session,
        payment,
        effective_date=D(2026, 4, 20),
        booking_date=D(2026, 4, 21),
        source="test",
        external_ref="chargeback-1",
        text="Tilbageført",
        created_by="test",
    )
    result = post_many(session, [reversal])
    reallocate(session, org.id, result.tenancy_ids)
    before = tenancy_statement(session, org.id, tenancy.id, D(2026, 4, 19))
    after = tenancy_statement(session, org.id, tenancy.id, D(2026, 4, 20))
    assert before.balance_oere == 0
    assert after.balance_oere == 650_000
    assert [(i.due_date, i.open_oere) for i in after.open_items] == [(D(2026, 4, 1), 650_000)]
    assert after.overdue_pligtig_oere == 650_000
    assert session.exec(select(func.count()).select_from(Allocation)).one() == 0
    with pytest.raises(PostingError, match="already reversed"):
        reversal_of(
            session,
            payment,
            effective_date=D(2026, 4, 20),
            booking_date=D(2026, 4, 21),
            source="test",
            external_ref="again",
            text="x",
            created_by="test",
        )


def test_stored_allocation_follows_the_ledger(session: Session) -> None:
    org = factories.organisation(session)
    tenancy = factories.tenancy(session, org)
    assert org.id and tenancy.id
    jan = factories.charge(session, tenancy, 500, D(2026, 1, 1))
    factories.charge(session, tenancy, 500, D(2026, 2, 1))
    factories.pay(session, tenancy, 700, D(2026, 2, 3))
    rows = session.exec(select(Allocation.amount_oere).order_by(col(Allocation.debit_entry_id)))
    assert list(rows) == [500, 200]
    assert reallocate(session, org.id, [tenancy.id]) == 0  # already in step
    jan_line = session.exec(
        select(LedgerEntry.id).where(
            LedgerEntry.posting_id == jan, LedgerEntry.account == Account.DEBTOR
        )
    ).one()
    assert (
        session.exec(
            select(Allocation.amount_oere).where(Allocation.debit_entry_id == jan_line)
        ).one()
        == 500
    )


def test_post_many_returns_each_postings_own_id(session: Session) -> None:
    """The ids ``post_many`` reports belong to the postings of those keys (SQLite reads them
    back by key after one ``executemany``; PostgreSQL takes them from the sequence)."""
    org = factories.organisation(session)
    tenancies = [factories.tenancy(session, org, f"1-{n}") for n in (101, 102, 103)]
    assert org.id
    postings = [
        two_lines(org.id, t.id, (100 * n, -100 * n), f"ids-{n}")
        for n, t in enumerate(tenancies, start=1)
        if t.id
    ]
    result = post_many(session, postings)
    assert len(set(result.posted)) == 3
    for posting in postings:
        posting_id = result.ids_by_key[posting.key]
        stored = session.exec(select(Posting.external_ref).where(Posting.id == posting_id)).one()
        assert stored == posting.external_ref
        amount = session.exec(
            select(LedgerEntry.amount_oere).where(
                LedgerEntry.posting_id == posting_id, LedgerEntry.account == Account.DEBTOR
            )
        ).one()
        assert amount == posting.lines[0].amount_oere


def test_reallocation_reads_the_same_items_as_the_statement(session: Session) -> None:
    """``debtor_items`` (what reallocation reads) equals ``debtor_lines`` seen by the allocator,
    with charges, a payment before its charge, a reversal, and a second tenancy."""
    org = factories.organisation(session)
    first, second = factories.tenancy(session, org), factories.tenancy(session, org, "1-102")
    assert org.id and first.id and second.id
    factories.charge(session, first, 650_000, D(2026, 4, 1))
    factories.charge(session, first, 35_000, D(2026, 4, 1), code="VASKERI")
    payment = factories.pay(session, first, 400_000, D(2026, 3, 28))
    factories.charge(session, second, 500_000, D(2026, 4, 1))
    reversal = reversal_of(
        session,
        payment,
        effective_date=D(2026, 4, 20),
        booking_date=D(2026, 4, 21),
        source="test",
        external_ref="items-chargeback",
        text="Tilbageført",
        created_by="test",
    )
    post_many(session, [reversal])
    ids = [first.id, second.id]
    lines = debtor_lines(session, org.id, ids)
    items = debtor_items(session, org.id, ids)
    assert {t: [line.as_item() for line in found] for t, found in lines.items()} == items
    assert [len(items[first.id]), len(items[second.id])] == [4, 1]
    assert any(item.reverses_entry_id is not None for item in items[first.id])
    assert {item.pligtig for item in items[first.id]} == {True, False}
