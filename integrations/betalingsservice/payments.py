"""Booking 0602 payment information: payments, rejections, cancellations, charge-backs.

:func:`decide` is pure: one record, the collection it names and the tenancy its customer
number matches, in; what to do, out. :func:`book_payments` looks up what ``decide`` needs in
bulk, posts in bulk, and records what happened (collection statuses, suspense items).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session

from ledger.bulk import bulk_update, lookup_chunk, one_of
from ledger.chunks import chunked
from ledger.models import table
from ledger.payments import payment_posting
from ledger.posting import NewPosting, Reversal, reversals_of
from ledger.types import PaymentMethod, utc_now

from .booking import SOURCE, Context, OrganisationReport
from .chargebacks import pick_original, reversed_among, unreversed_payments
from .codes import PaymentCode, SlipCode
from .matching import CustomerIndex, Match, TenancyPeriod, load_customer_index
from .matching import normalise_customer_number as normalised
from .models import BsSuspenseItem, CollectionStatus, SuspenseDirection
from .records import AutomaticPayment, SlipPayment
from .suspense import suspense_posting

PaymentRecord = AutomaticPayment | SlipPayment


class CollectionView(NamedTuple):
    """The part of a ``bs_collection`` row that matching needs (a named tuple: an import
    reads 100,000 of them)."""

    id: int
    tenancy_id: int
    customer_number: str
    status: CollectionStatus
    payment_posting_id: int | None
    reversal_posting_id: int | None


# --- decisions (pure) ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pay:
    """Post a payment on the tenancy."""

    tenancy_id: int
    amount_oere: int
    day: date
    method: PaymentMethod
    collection_id: int | None


@dataclass(frozen=True, slots=True)
class MarkCollection:
    """No money: the collection was rejected or cancelled."""

    collection_id: int
    status: CollectionStatus


@dataclass(frozen=True, slots=True)
class ChargeBack:
    """Reverse the payment this takes back (found later, in the ledger), or suspense."""

    amount_oere: int
    original_date: date
    effective_date: date
    method: PaymentMethod
    collection: CollectionView | None
    match: Match


@dataclass(frozen=True, slots=True)
class Suspend:
    """Money in or out for no known tenancy."""

    direction: SuspenseDirection
    amount_oere: int
    day: date
    method: PaymentMethod
    reason: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Nothing to book; tell the accountant."""

    text: str


Decision = Pay | MarkCollection | ChargeBack | Suspend | Notice


def paid_amount(record: PaymentRecord) -> int:
    """The amount that moved: the amount actually paid where BS gives one, else the amount."""
    return record.amount_paid if record.amount_paid > 0 else record.amount


def decide(record: PaymentRecord, collection: CollectionView | None, match: Match) -> Decision:
    """What one 0602 record means for the ledger (see ``importer`` for the codes).

    ``collection`` is the 0601 collection the record's creditor reference names (only if its
    customer number agrees); ``match`` the tenancy its customer number has on the record's
    date. A named collection decides the tenancy: it is the one we asked to collect for (and
    ``match`` is then not consulted; the importer passes ``None`` without looking it up).
    """
    method = (
        PaymentMethod.BETALINGSSERVICE
        if isinstance(record, AutomaticPayment)
        else PaymentMethod.SLIP
    )
    code = record.transaction_code
    if code in (PaymentCode.REJECTED, PaymentCode.CANCELLED):
        if collection is None:
            return Notice(
                f"{code.value} for a collection we have no record of (reference "
                f"{_reference(record)!r}, customer {record.customer_number.lstrip('0')})"
            )
        status = (
            CollectionStatus.REJECTED
            if code is PaymentCode.REJECTED
            else CollectionStatus.CANCELLED
        )
        return MarkCollection(collection.id, status)
    amount = paid_amount(record)
    if code in (PaymentCode.CHARGED_BACK, SlipCode.CHARGED_BACK):
        return ChargeBack(
            amount_oere=amount,
            original_date=record.payment_date,
            effective_date=_actual(record) or record.bookkeeping_date or record.payment_date,
            method=method,
            collection=collection,
            match=match,
        )
    day = _actual(record) or record.payment_date
    if collection is not None:
        return Pay(collection.tenancy_id, amount, day, method, collection.id)
    if isinstance(match, TenancyPeriod):
        return Pay(match.tenancy_id, amount, day, method, None)
    why = "no tenancy has" if match is None else "several units have"
    reason = f"{why} customer number {normalised(record.customer_number)}"
    return Suspend(SuspenseDirection.IN, amount, day, method, reason)


def _actual(record: PaymentRecord) -> date | None:
    return (
        record.actual_payment_date if isinstance(record, AutomaticPayment) else record.actual_date
    )


def _reference(record: PaymentRecord) -> str:
    return record.creditor_reference if isinstance(record, AutomaticPayment) else record.reference


def matching_date(record: PaymentRecord) -> date:
    """The date a record's customer number is matched on: when the tenant paid (for a
    charge-back: when the payment it takes back was made)."""
    if record.transaction_code in (PaymentCode.CHARGED_BACK, SlipCode.CHARGED_BACK):
        return record.payment_date
    return _actual(record) or record.payment_date


# --- booking ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Decided:
    line: int
    record: PaymentRecord
    decision: Decision


# A collection status change: (line, collection id, status, payment posting, reversal posting)
_Mark = tuple[int, int, CollectionStatus, int | None, int | None]


def book_payments(
    context: Context, payments: Sequence[tuple[int, PaymentRecord]], report: OrganisationReport
) -> None:
    """Book a 0602's records of one organisation (in file order, with their line numbers)."""
    session = context.session
    references = {r.creditor_reference for _, r in payments if isinstance(r, AutomaticPayment)}
    collections = load_collections(session, context.organisation_id, references)
    named = [
        (line, record, _named_collection(record, collections, report, line))
        for line, record in payments
    ]
    # The customer number matters only where no collection of ours is named (a named one
    # decides the tenancy): the tenancies are read only if some record needs them.
    index = (
        load_customer_index(session, context.organisation_id)
        if any(collection is None for _, _, collection in named)
        else None
    )
    decided = [
        _Decided(line, record, _decide_one(record, collection, index))
        for line, record, collection in named
    ]
    marks: list[_Mark] = []
    suspended: list[tuple[_Decided, Suspend]] = []
    ids = context.post(_first_postings(context, decided, report, marks, suspended))
    marks = [
        (line, collection, status, ids[context.key(line)] if status is _COMPLETED else None, None)
        for line, collection, status, _, _ in marks
    ]
    paid_now = {m[1]: m[3] for m in marks if m[2] is _COMPLETED and m[3] is not None}
    charge_backs = [d for d in decided if isinstance(d.decision, ChargeBack)]
    ids.update(_book_charge_backs(context, charge_backs, paid_now, report, marks, suspended))
    _update_collections(context, marks, {c.id: c for c in collections.values()})
    _store_suspense_items(context, suspended, ids)


_COMPLETED = CollectionStatus.COMPLETED


def _named_collection(
    record: PaymentRecord,
    collections: dict[str, CollectionView],
    report: OrganisationReport,
    line: int,
) -> CollectionView | None:
    """The collection the record's creditor reference names, if its customer number agrees."""
    if not isinstance(record, AutomaticPayment) or not record.creditor_reference:
        return None
    collection = collections.get(record.creditor_reference)
    if collection is None:
        return None
    customer = normalised(record.customer_number)
    if normalised(collection.customer_number) != customer:
        report.notice(
            line,
            f"reference {record.creditor_reference!r} belongs to customer "
            f"{collection.customer_number}, not {customer}: "
            "matched by customer number instead",
        )
        return None
    return collection


def _decide_one(
    record: PaymentRecord, collection: CollectionView | None, index: CustomerIndex | None
) -> Decision:
    """``decide``, with the customer number's match looked up only if no collection is named
    (``index`` is then loaded)."""
    if collection is not None:
        return decide(record, collection, None)
    assert index is not None, "the customer index is loaded when a record names no collection"
    return decide(record, None, index.for_payment(record.customer_number, matching_date(record)))


def _first_postings(
    context: Context,
    decided: list[_Decided],
    report: OrganisationReport,
    marks: list[_Mark],
    suspended: list[tuple[_Decided, Suspend]],
) -> list[NewPosting]:
    """Payments and money in for the suspense list; collection marks; notices."""
    postings: list[NewPosting] = []
    for item in decided:
        decision, line = item.decision, item.line
        if isinstance(decision, Pay):
            postings.append(
                payment_posting(
                    organisation_id=context.organisation_id,
                    tenancy_id=decision.tenancy_id,
                    amount_oere=decision.amount_oere,
                    payment_date=decision.day,
                    method=decision.method,
                    source=SOURCE,
                    external_ref=context.key(line),
                    booking_date=context.today,
                    created_by=context.by,
                    import_batch_id=context.import_batch_id,
                )
            )
            report.payments += 1
            report.paid_oere += decision.amount_oere
            if decision.collection_id is not None:
                marks.append((line, decision.collection_id, _COMPLETED, None, None))
        elif isinstance(decision, Suspend):
            postings.append(_suspense(context, item, decision, report))
            suspended.append((item, decision))
        elif isinstance(decision, MarkCollection):
            marks.append((line, decision.collection_id, decision.status, None, None))
            if decision.status is CollectionStatus.REJECTED:
                report.rejected += 1
            else:
                report.cancelled += 1
        elif isinstance(decision, Notice):
            report.notice(line, decision.text)
    return postings


def _suspense(
    context: Context, item: _Decided, decision: Suspend, report: OrganisationReport
) -> NewPosting:
    report.suspense += 1
    report.suspense_oere += decision.amount_oere
    report.notice(item.line, f"on the suspense list: {decision.reason}")
    return suspense_posting(
        organisation_id=context.organisation_id,
        direction=decision.direction,
        amount_oere=decision.amount_oere,
        day=decision.day,
        method=decision.method,
        customer_number=item.record.customer_number,
        source=SOURCE,
        external_ref=context.key(item.line),
        booking_date=context.today,
        created_by=context.by,
        import_batch_id=context.import_batch_id,
    )


def _book_charge_backs(
    context: Context,
    charge_backs: list[_Decided],
    paid_now: dict[int, int],
    report: OrganisationReport,
    marks: list[_Mark],
    suspended: list[tuple[_Decided, Suspend]],
) -> dict[str, int]:
    """Reverse what each charge-back takes back, or put it on the suspense list."""
    done = context.ids_of(context.key(item.line) for item in charge_backs)
    named = {
        paid
        for item in charge_backs
        if isinstance(item.decision, ChargeBack) and item.decision.collection is not None
        for paid in (
            paid_now.get(item.decision.collection.id),
            item.decision.collection.payment_posting_id,
        )
        if paid is not None
    }
    taken = reversed_among(context.session, named)  # reversed before: not to be taken again
    requests: list[Reversal] = []
    postings: list[NewPosting] = []
    reversing: list[tuple[_Decided, ChargeBack]] = []
    for item in charge_backs:
        decision = item.decision
        assert isinstance(decision, ChargeBack)
        key = context.key(item.line)
        original = None if key in done else _original(context, decision, paid_now, taken)
        if original is not None:
            taken.add(original)
            text = (
                f"Tilbageført betaling ({decision.method.value}, {decision.original_date:%d.%m.%Y})"
            )
            requests.append(
                Reversal(
                    original, decision.effective_date, context.today, SOURCE, key, text,
                    import_batch_id=context.import_batch_id,
                )
            )  # fmt: skip
        if key in done or original is not None:
            reversing.append((item, decision))
            continue
        why = (
            "the payment it takes back was not found"
            if decision.collection is not None or isinstance(decision.match, TenancyPeriod)
            else "no tenancy could be matched"
        )
        out = Suspend(
            SuspenseDirection.OUT,
            decision.amount_oere,
            decision.effective_date,
            decision.method,
            f"charge-back: {why}",
        )
        postings.append(_suspense(context, item, out, report))
        suspended.append((item, out))
    postings += reversals_of(context.session, requests, created_by=context.by)
    ids = context.post(postings)
    ids.update(done)
    for item, decision in reversing:
        report.charged_back += 1
        report.charged_back_oere += decision.amount_oere
        if decision.collection is not None:
            reversal = ids[context.key(item.line)]
            status = CollectionStatus.CHARGED_BACK
            marks.append((item.line, decision.collection.id, status, None, reversal))
    return ids


def _original(
    context: Context, decision: ChargeBack, paid_now: dict[int, int], taken: set[int]
) -> int | None:
    """The payment a charge-back takes back (see ``chargebacks``), or ``None``. ``taken``:
    payments reversed already, or by an earlier charge-back of this file."""
    collection = decision.collection
    if collection is not None:
        paid = paid_now.get(collection.id) or collection.payment_posting_id
        if paid is not None and paid not in taken:
            return paid
        tenancy_id: int | None = collection.tenancy_id
    else:
        match = decision.match
        tenancy_id = match.tenancy_id if isinstance(match, TenancyPeriod) else None
    if tenancy_id is None:
        return None
    candidates = unreversed_payments(
        context.session,
        context.organisation_id,
        tenancy_id,
        amount_oere=decision.amount_oere,
        payment_date=decision.original_date,
        method=decision.method,
    )
    return pick_original(candidates, taken)


def load_collections(
    session: Session, organisation_id: int, references: set[str]
) -> dict[str, CollectionView]:
    """The organisation's 0601 collections with these creditor references.

    Our references begin with their month (``export.py``): those are read month by month, one
    query each, instead of passing a hundred thousand references to the database.
    """
    wanted = {ref for ref in references if ref}
    ours = {ref for ref in wanted if _OUR_REFERENCE.match(ref)}
    months = sorted({ref[:7] for ref in ours})
    others = sorted(wanted - ours)
    found: dict[str, CollectionView] = {}
    collection = table("bs_collection")  # Core, not the ORM: rows as plain tuples
    conditions = [collection.c.month == month for month in months]
    conditions += [
        one_of(session, collection.c.creditor_reference, chunk)
        for chunk in chunked(others, lookup_chunk(session))
    ]
    for condition in conditions:
        rows = session.connection().execute(
            sa.select(
                collection.c.creditor_reference,
                collection.c.id,
                collection.c.tenancy_id,
                collection.c.customer_number,
                collection.c.status,
                collection.c.payment_posting_id,
                collection.c.reversal_posting_id,
            ).where(collection.c.organisation_id == organisation_id, condition)
        )
        for ref, collection_id, tenancy_id, customer, status, paid, reversal in rows:
            if ref in wanted:
                found[ref] = CollectionView(
                    collection_id, tenancy_id, customer, status, paid, reversal
                )
    return found


_OUR_REFERENCE = re.compile(r"\d{4}-\d{2}-\d+-\d+$")


def _update_collections(
    context: Context, marks: list[_Mark], collections: dict[int, CollectionView]
) -> None:
    """Each collection's final status from this file, with the line that set it (a collection
    completed and charged back in one file ends charged back, keeping both postings)."""
    final: dict[int, tuple[CollectionStatus, int, int | None, int | None]] = {}
    for line, collection_id, status, paid, reversal in sorted(marks, key=lambda m: m[0]):
        view = collections[collection_id]
        _, _, paid_before, reversal_before = final.get(
            collection_id, (view.status, 0, view.payment_posting_id, view.reversal_posting_id)
        )
        final[collection_id] = (status, line, paid or paid_before, reversal or reversal_before)
    now = utc_now()
    bulk_update(
        context.session,
        "bs_collection",
        "id",
        (
            "status", "status_delivery_id", "status_line", "status_changed_at",
            "payment_posting_id", "reversal_posting_id",
        ),
        (
            (cid, status.value, context.delivery_id, line, now, paid, reversal)
            for cid, (status, line, paid, reversal) in final.items()
        ),
    )  # fmt: skip


def _store_suspense_items(
    context: Context, suspended: list[tuple[_Decided, Suspend]], ids: dict[str, int]
) -> None:
    for item, decision in suspended:
        record = item.record
        context.session.add(
            BsSuspenseItem(
                organisation_id=context.organisation_id,
                delivery_id=context.delivery_id,
                line=item.line,
                transaction_code=record.transaction_code.value,
                direction=decision.direction,
                method=decision.method,
                pbs_number=record.pbs_number,
                debtor_group=record.debtor_group,
                customer_number=record.customer_number,
                agreement_number=getattr(record, "agreement_number", ""),
                amount_oere=decision.amount_oere,
                payment_date=record.payment_date,
                actual_date=_actual(record),
                creditor_reference=_reference(record)[:30],
                reason=decision.reason[:200],
                posting_id=ids[context.key(item.line)],
            )
        )
    context.session.flush()
