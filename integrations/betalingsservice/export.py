"""Writing a month's collections as a 0601 delivery, and recording what was asked for.

Decisions (the spec leaves them open):

- **Charges first.** The month's recurring charges are posted before the file is built
  (``ledger.charging.post_month_charges``, idempotent): the file collects exactly what the
  ledger says is due, and a month never goes out without its charges.
- **What is collected**: per tenancy with a mandate that collects on the payment date
  (``mandates.collects_on``; electronic slip agreements, 999999999, do not), the month's
  recurring charges that are not reversed (rent, a conto heat and water, ...). Arrears, fees
  and one-off charges are not collected by Betalingsservice automatically: taking them needs a
  decision by a person. A tenancy whose charges add up to nothing is skipped.
- **Payment date**: the month's earliest due date of the tenancy, rolled to the next bank day
  (``ledger.calendar.next_bank_day_on_or_after``); BS debits only on bank days. A month whose
  payment date has passed cannot be exported (BS would refuse it).
- **One month, one delivery.** Exporting a month again is refused unless ``again=True``; then
  the earlier delivery's collections that BS has not answered become ``superseded`` (send only
  the new file: a collection in two files would be taken twice).
- **Creditor reference** ``<YYYY-MM>-<tenancy id>-<serial>``: unique per organisation, returned
  in 0602, and how an import finds the collection it answers.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ledger.calendar import next_bank_day_on_or_after
from ledger.charging import RECURRING_SOURCE, post_month_charges
from ledger.models import LedgerEntry, Organisation, Posting, Tenancy, table
from ledger.money import format_kr
from ledger.months import Month
from ledger.types import Account, PostingKind, utc_now

from .agreement import lock_organisations, require_settings, take_delivery_serial
from .builders import TEXT_LINE_LENGTH, CollectionRequest, build_collection_delivery
from .codes import ELECTRONIC_SLIP_AGREEMENT, DeliveryType
from .errors import BsSetupError
from .mandates import collects_on
from .models import BsDelivery, BsMandate, CollectionStatus, Direction
from .writer import write

MAX_COLLECTIONS = 500_000


@dataclass(frozen=True, slots=True)
class ChargeLine:
    """One of the month's charges of a tenancy, as the debtor's overview shows it."""

    text: str
    amount_oere: int
    due_date: date


@dataclass(frozen=True, slots=True)
class PlannedCollection:
    """One 0280 record to write: a tenancy's charges of the month."""

    tenancy_id: int
    customer_number: str
    agreement_number: str
    due_date: date
    payment_date: date
    charges: tuple[ChargeLine, ...]

    @property
    def amount_oere(self) -> int:
        return sum(charge.amount_oere for charge in self.charges)

    def text_lines(self) -> list[str]:
        """ "Husleje december 2026  6.512,00": one line per charge, at most 60 characters."""
        lines = []
        for charge in self.charges:
            amount = format_kr(charge.amount_oere)
            room = TEXT_LINE_LENGTH - len(amount) - 2
            lines.append(f"{charge.text[:room].rstrip()}  {amount}")
        return lines


@dataclass(slots=True)
class Export:
    """A written 0601 and what was recorded for it."""

    organisation_cvr: str
    month: str
    delivery_id: int
    delivery_serial: str
    data: bytes
    collections: int
    amount_oere: int
    superseded: list[str] = field(default_factory=list)  # serials of replaced deliveries


def plan_collections(
    charges: dict[int, list[ChargeLine]],
    mandates: dict[int, list[BsMandate]],
    customer_numbers: dict[int, str],
) -> list[PlannedCollection]:
    """The collections of a month (pure): per tenancy with charges and a mandate that collects
    on the payment date, in tenancy order."""
    planned = []
    for tenancy_id in sorted(charges):
        if tenancy_id not in customer_numbers:
            continue  # no customer number, nothing BS could collect under
        lines = tuple(sorted(charges[tenancy_id], key=lambda c: c.due_date))  # stable: ledger order
        if sum(line.amount_oere for line in lines) <= 0:
            continue
        due = lines[0].due_date
        payment_date = next_bank_day_on_or_after(due)
        usable = [
            m
            for m in mandates.get(tenancy_id, [])
            if collects_on(m, payment_date) and m.agreement_number != ELECTRONIC_SLIP_AGREEMENT
        ]
        if not usable:
            continue
        mandate = max(usable, key=lambda m: (m.effective_date, m.id or 0))
        planned.append(
            PlannedCollection(
                tenancy_id=tenancy_id,
                customer_number=customer_numbers[tenancy_id],
                agreement_number=mandate.agreement_number,
                due_date=due,
                payment_date=payment_date,
                charges=lines,
            )
        )
    return planned


def export_month(
    session: Session,
    organisation: Organisation,
    month: Month,
    *,
    today: date,
    exported_by: str,
    file_name: str,
    again: bool = False,
) -> Export:
    """Post the month's charges, plan its collections, record them, and return the 0601."""
    assert organisation.id is not None
    settings = require_settings(session, organisation)
    lock_organisations(session, [organisation.id])
    earlier = _exports_of(session, organisation.id, month)
    if earlier and not again:
        first = earlier[-1]
        raise BsSetupError(
            f"{month} was exported already in delivery {first.delivery_serial} "
            f"({first.file_name}, {first.recorded_at:%Y-%m-%d %H:%M} UTC by {first.recorded_by}); "
            "use --again to replace it"
        )
    post_month_charges(session, organisation, month, booking_date=today, created_by=exported_by)
    planned = plan_collections(
        _month_charges(session, organisation.id, month),
        _mandates_by_tenancy(session, organisation.id),
        _customer_numbers(session, organisation.id),
    )
    if not planned:
        raise BsSetupError(f"nothing to collect for {month}: no tenancy with a mandate and charges")
    if len(planned) > MAX_COLLECTIONS:
        raise BsSetupError(f"more than {MAX_COLLECTIONS} collections in one month")
    late = min(p.payment_date for p in planned)
    if late < today:
        raise BsSetupError(
            f"the collections of {month} fall due from {late}, before today ({today}): "
            "too late for Betalingsservice"
        )
    serial = take_delivery_serial(session, settings)
    requests = [
        CollectionRequest(
            customer_number=p.customer_number,
            payment_date=p.payment_date,
            amount=p.amount_oere,
            creditor_reference=f"{month}-{p.tenancy_id}-{int(serial)}",
            text_lines=p.text_lines(),
            agreement_number=p.agreement_number,
        )
        for p in planned
    ]
    data = write(
        build_collection_delivery(
            data_supplier_cvr=settings.data_supplier_cvr,
            pbs_number=settings.pbs_number,
            debtor_group=settings.debtor_group,
            delivery_serial=serial,
            created=today,
            collections=requests,
            main_text=organisation.name[:60],
        )
    )
    delivery = BsDelivery(
        organisation_id=organisation.id,
        direction=Direction.OUTBOUND,
        delivery_type=DeliveryType.COLLECTION.value,
        delivery_serial=serial,
        data_supplier_cvr=settings.data_supplier_cvr,
        created=today,
        month=str(month),
        file_name=file_name[:300],
        sha256=hashlib.sha256(data).hexdigest(),
        recorded_by=exported_by,
        records=len(planned),
        amount_oere=sum(p.amount_oere for p in planned),
    )
    session.add(delivery)
    session.flush()
    assert delivery.id is not None
    superseded = _supersede(session, earlier, delivery.id)
    _record_collections(session, organisation.id, delivery.id, month, planned, requests)
    return Export(
        organisation_cvr=organisation.cvr,
        month=str(month),
        delivery_id=delivery.id,
        delivery_serial=serial,
        data=data,
        collections=len(planned),
        amount_oere=delivery.amount_oere,
        superseded=superseded,
    )


def _exports_of(session: Session, organisation_id: int, month: Month) -> list[BsDelivery]:
    return list(
        session.exec(
            select(BsDelivery)
            .where(
                BsDelivery.organisation_id == organisation_id,
                BsDelivery.direction == Direction.OUTBOUND,
                BsDelivery.month == str(month),
            )
            .order_by(col(BsDelivery.id))
        )
    )


def _month_charges(
    session: Session, organisation_id: int, month: Month
) -> dict[int, list[ChargeLine]]:
    """The month's recurring charges per tenancy that no posting reverses.

    Two plain queries rather than a self-join on ``reverses_entry_id`` (which has no index):
    reversals are few, and each query reads the table once.
    """
    rows = session.execute(
        sa.select(
            col(LedgerEntry.id),
            col(LedgerEntry.tenancy_id),
            col(LedgerEntry.text),
            col(LedgerEntry.amount_oere),
            col(LedgerEntry.due_date),
        )
        .join(Posting, col(Posting.id) == col(LedgerEntry.posting_id))
        .where(
            col(LedgerEntry.organisation_id) == organisation_id,
            col(LedgerEntry.account) == Account.DEBTOR,
            col(LedgerEntry.due_date).between(month.first_day, month.last_day),
            col(Posting.source) == RECURRING_SOURCE,
            col(Posting.kind) == PostingKind.CHARGE,
        )
        .order_by(col(LedgerEntry.id))
    ).all()
    reversed_entries = set(
        session.execute(
            sa.select(col(LedgerEntry.reverses_entry_id)).where(
                col(LedgerEntry.organisation_id) == organisation_id,
                col(LedgerEntry.account) == Account.DEBTOR,
                col(LedgerEntry.reverses_entry_id).is_not(None),
            )
        ).scalars()
    )
    charges: dict[int, list[ChargeLine]] = defaultdict(list)
    for entry_id, tenancy_id, text, amount, due in rows:
        assert tenancy_id is not None and due is not None
        if entry_id not in reversed_entries:
            charges[tenancy_id].append(ChargeLine(text, amount, due))
    return dict(charges)


def _mandates_by_tenancy(session: Session, organisation_id: int) -> dict[int, list[BsMandate]]:
    found: dict[int, list[BsMandate]] = defaultdict(list)
    for mandate in session.exec(
        select(BsMandate).where(
            BsMandate.organisation_id == organisation_id, col(BsMandate.tenancy_id).is_not(None)
        )
    ):
        assert mandate.tenancy_id is not None
        found[mandate.tenancy_id].append(mandate)
    return dict(found)


def _customer_numbers(session: Session, organisation_id: int) -> dict[int, str]:
    rows = session.execute(
        sa.select(col(Tenancy.id), col(Tenancy.bs_customer_number)).where(
            col(Tenancy.organisation_id) == organisation_id,
            col(Tenancy.bs_customer_number).is_not(None),
        )
    )
    return {tenancy_id: number for tenancy_id, number in rows if number}


def _supersede(session: Session, earlier: list[BsDelivery], delivery_id: int) -> list[str]:
    """Mark the collections of earlier 0601s of the month that BS never answered."""
    ids = [row.id for row in earlier if row.id is not None]
    if not ids:
        return []
    session.execute(
        sa.update(table("bs_collection"))
        .where(
            table("bs_collection").c.delivery_id.in_(ids),
            table("bs_collection").c.status == CollectionStatus.REQUESTED.value,
        )
        .values(
            status=CollectionStatus.SUPERSEDED.value,
            status_delivery_id=delivery_id,
            status_changed_at=utc_now(),
        )
    )
    return [row.delivery_serial for row in earlier]


def _record_collections(
    session: Session,
    organisation_id: int,
    delivery_id: int,
    month: Month,
    planned: list[PlannedCollection],
    requests: list[CollectionRequest],
) -> None:
    rows = [
        {
            "organisation_id": organisation_id,
            "delivery_id": delivery_id,
            "tenancy_id": plan.tenancy_id,
            "customer_number": plan.customer_number,
            "agreement_number": plan.agreement_number,
            "month": str(month),
            "due_date": plan.due_date,
            "payment_date": plan.payment_date,
            "amount_oere": plan.amount_oere,
            "creditor_reference": request.creditor_reference,
            "status": CollectionStatus.REQUESTED.value,
        }
        for plan, request in zip(planned, requests, strict=True)
    ]
    session.connection().execute(sa.insert(table("bs_collection")), rows)
