"""Importing a Betalingsservice delivery (0602 payments, 0603 mandates) into the ledger.

All-or-nothing and idempotent. :func:`prepare` parses the file and routes every section to an
organisation by PBS number and debtor group (``bs_settings``); any problem (a format error, an
unknown PBS number, a sign this integration does not book) raises with line and field, and
nothing is written. :func:`import_prepared` then books the file in the caller's transaction. A
delivery whose serial was imported before changes nothing (the report says so); every posting
also carries the key ``<type>-<serial>-<line>``, so even a re-import that slipped past that
check would post nothing twice.

0602, section 0211 (automatic payments), per record:

- **0236** completed: a payment on the tenant's account (method betalingsservice) at the actual
  payment date; the 0601 collection it answers (by creditor reference) becomes ``completed``.
- **0237** rejected, **0238** cancelled: no money; the collection becomes ``rejected`` or
  ``cancelled``. The charge stays unpaid on the ledger, so arrears detection sees it.
- **0239** charged back: the reversal of the payment it takes back, effective on the
  charge-back date (``chargebacks.py`` says how the payment is found).

Section 0215 (slips): **0297** a payment (method slip), **0299** the reversal of one.

Matching: the creditor reference names our collection and its tenancy; otherwise the customer
number does (``matching.py``). A payment no tenancy can be matched to goes to the suspense list
(``suspense.py``), never dropped. 0603 records set mandates (``mandates.py``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlmodel import Session, select

from ledger.models import ImportBatch, Organisation
from ledger.types import utc_now

from .agreement import lock_organisations, settings_by_route
from .booking import Context, OrganisationReport
from .codes import DeliveryType, PaymentCode, Sign, SlipCode
from .delivery import Delivery, Section
from .errors import BsImportError, Issue
from .mandates import apply_mandates
from .models import BsDelivery, BsSettings, Direction
from .parser import parse
from .payments import book_payments, paid_amount
from .records import AutomaticPayment, BodyRecord, Mandate, SlipPayment

MONEY_CODES = frozenset((PaymentCode.COMPLETED, PaymentCode.CHARGED_BACK, *SlipCode))


class Numbered(NamedTuple):
    """A body record with its line number in the file (a named tuple: one per record)."""

    line: int
    record: BodyRecord


@dataclass(slots=True)
class Prepared:
    """A parsed delivery, routed: its records by organisation, ready to be booked."""

    delivery: Delivery
    file_name: str
    sha256: str
    settings: dict[int, BsSettings]  # by organisation id
    records: dict[int, list[Numbered]]  # by organisation id, in file order

    @property
    def organisation_ids(self) -> list[int]:
        return sorted(self.settings)


@dataclass(slots=True)
class ImportReport:
    """What an import did: per organisation, or that the delivery was imported before."""

    file_name: str
    delivery_type: str
    delivery_serial: str
    data_supplier_cvr: str
    created: date
    sha256: str
    already_imported: bool = False
    imported_before: list[str] = field(default_factory=list)  # "organisation, at, by"
    organisations: list[OrganisationReport] = field(default_factory=list)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def numbered_records(delivery: Delivery) -> Iterator[tuple[Section, Numbered]]:
    """Every body record with its line number (BS002 is line 1; a section adds its BS012 and
    BS092 lines; the parser refuses blank lines inside a delivery)."""
    line = 1
    for section in delivery.sections:
        line += 1
        for record in section.records:
            line += 1
            yield section, Numbered(line, record)
        line += 1


def section_lines(delivery: Delivery) -> Iterator[tuple[Section, int]]:
    """Every section with the line number of its BS012."""
    line = 1
    for section in delivery.sections:
        line += 1
        yield section, line
        line += len(section.records) + 1


def prepare(session: Session, data: bytes, file_name: str) -> Prepared:
    """Parse and route a delivery; raise ``BsFormatError``/``BsImportError`` if it cannot be
    imported. Reads the database, writes nothing."""
    delivery = parse(data)
    issues: list[Issue] = []
    if delivery.delivery_type is DeliveryType.COLLECTION:
        problem = "0601 is a delivery to Betalingsservice, not from it:"
        raise BsImportError([Issue(1, "delivery_type", delivery.delivery_type.value, problem)])
    routes = settings_by_route(session)
    by_section: dict[int, BsSettings] = {}
    for index, (section, line) in enumerate(section_lines(delivery)):
        settings = routes.get((section.pbs_number, section.debtor_group))
        if settings is None:
            problem = (
                f"no organisation has Betalingsservice settings for debtor group "
                f"{section.debtor_group} of PBS number (almen bs settings):"
            )
            issues.append(Issue(line, "pbs_number", section.pbs_number, problem))
        elif settings.data_supplier_cvr != delivery.data_supplier_cvr:
            problem = (
                f"PBS number {section.pbs_number} is set up with data supplier "
                f"{settings.data_supplier_cvr}, but the delivery comes from"
            )
            issues.append(Issue(1, "data_supplier_cvr", delivery.data_supplier_cvr, problem))
        else:
            by_section[index] = settings
    records: dict[int, list[Numbered]] = defaultdict(list)
    section_index = {id(section): index for index, section in enumerate(delivery.sections)}
    for section, numbered in numbered_records(delivery):
        settings = by_section.get(section_index[id(section)])
        issues.extend(_money_issues(numbered))
        if settings is not None:
            records[settings.organisation_id].append(numbered)
    if issues:
        raise BsImportError(_distinct(issues))
    return Prepared(
        delivery=delivery,
        file_name=file_name,
        sha256=sha256_of(data),
        settings={s.organisation_id: s for s in by_section.values()},
        records=dict(records),
    )


def _money_issues(numbered: Numbered) -> list[Issue]:
    """A record that moves money must be a withdrawal (sign 1) of more than nothing."""
    record = numbered.record
    if not isinstance(record, AutomaticPayment | SlipPayment):
        return []
    if record.transaction_code not in MONEY_CODES:
        return []
    if record.sign is not Sign.WITHDRAWAL:
        problem = f"{record.transaction_code.value} must be a withdrawal (sign 1) to be booked:"
        return [Issue(numbered.line, "sign", str(record.sign.value), problem)]
    if paid_amount(record) <= 0:
        return [Issue(numbered.line, "amount", "0", "a payment of nothing cannot be booked:")]
    return []


def _distinct(issues: list[Issue]) -> list[Issue]:
    return list(dict.fromkeys(issues))


def imported_before(session: Session, delivery: Delivery) -> list[BsDelivery]:
    """Deliveries already recorded with this data supplier, type and serial."""
    return list(
        session.exec(
            select(BsDelivery).where(
                BsDelivery.direction == Direction.INBOUND,
                BsDelivery.data_supplier_cvr == delivery.data_supplier_cvr,
                BsDelivery.delivery_type == delivery.delivery_type.value,
                BsDelivery.delivery_serial == delivery.delivery_serial,
            )
        )
    )


def import_file(
    session: Session, data: bytes, file_name: str, *, today: date, imported_by: str
) -> ImportReport:
    """Parse, route and book a delivery file in the caller's transaction."""
    return import_prepared(
        session, prepare(session, data, file_name), today=today, imported_by=imported_by
    )


def import_prepared(
    session: Session, prepared: Prepared, *, today: date, imported_by: str
) -> ImportReport:
    """Book a prepared delivery: one import batch and one ``bs_delivery`` row per organisation.

    Takes the organisations' locks first, then checks the serial: two imports of the same file
    at once book it once (the second waits, then finds it imported).
    """
    delivery = prepared.delivery
    report = ImportReport(
        file_name=prepared.file_name,
        delivery_type=delivery.delivery_type.value,
        delivery_serial=delivery.delivery_serial,
        data_supplier_cvr=delivery.data_supplier_cvr,
        created=delivery.created,
        sha256=prepared.sha256,
    )
    lock_organisations(session, prepared.organisation_ids)
    earlier = imported_before(session, delivery)
    if earlier:
        _refuse_other_content(prepared, earlier)
        report.already_imported = True
        report.imported_before = [
            f"{row.file_name} at {row.recorded_at:%Y-%m-%d %H:%M} UTC by {row.recorded_by}"
            for row in earlier
        ]
        return report
    for organisation_id in prepared.organisation_ids:
        report.organisations.append(
            _import_for(session, prepared, organisation_id, today=today, imported_by=imported_by)
        )
    return report


def _refuse_other_content(prepared: Prepared, earlier: list[BsDelivery]) -> None:
    """The same serial from a different file is not a re-import but a problem to look at."""
    other = [row for row in earlier if row.sha256 != prepared.sha256]
    if other:
        problem = (
            f"this serial was imported before from {other[0].file_name} "
            f"(SHA-256 {other[0].sha256[:12]}...), whose content differs; serial"
        )
        value = prepared.delivery.delivery_serial
        raise BsImportError([Issue(1, "delivery_serial", value, problem)])


def _import_for(
    session: Session, prepared: Prepared, organisation_id: int, *, today: date, imported_by: str
) -> OrganisationReport:
    delivery = prepared.delivery
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None
    numbered = prepared.records.get(organisation_id, [])
    batch = ImportBatch(
        organisation_id=organisation_id,
        kind=f"betalingsservice-{delivery.delivery_type.value}",
        filename=prepared.file_name[:300],
        sha256=prepared.sha256,
        rows=len(numbered),
        imported_by=imported_by,
    )
    session.add(batch)
    session.flush()
    row = BsDelivery(
        organisation_id=organisation_id,
        direction=Direction.INBOUND,
        delivery_type=delivery.delivery_type.value,
        delivery_serial=delivery.delivery_serial,
        data_supplier_cvr=delivery.data_supplier_cvr,
        created=delivery.created,
        file_name=prepared.file_name[:300],
        sha256=prepared.sha256,
        import_batch_id=batch.id,
        recorded_by=imported_by,
        records=len(numbered),
    )
    session.add(row)
    session.flush()
    assert row.id is not None and batch.id is not None
    report = OrganisationReport(organisation.cvr, row.id, records=len(numbered))
    context = Context(
        session=session,
        organisation_id=organisation_id,
        delivery_row=row,
        import_batch_id=batch.id,
        key_prefix=f"{delivery.delivery_type.value}-{delivery.delivery_serial}",
        today=today,
        by=imported_by,
    )
    if delivery.delivery_type is DeliveryType.MANDATE_INFORMATION:
        mandates = [(n.line, n.record) for n in numbered if isinstance(n.record, Mandate)]
        apply_mandates(context, mandates, report)
    else:
        payments = [
            (n.line, n.record)
            for n in numbered
            if isinstance(n.record, AutomaticPayment | SlipPayment)
        ]
        book_payments(context, payments, report)
    _store_counts(row, report)
    session.add(row)
    session.flush()
    return report


def _store_counts(row: BsDelivery, report: OrganisationReport) -> None:
    row.payments, row.amount_oere = report.payments, report.paid_oere
    row.rejected, row.cancelled = report.rejected, report.cancelled
    row.charged_back, row.suspense = report.charged_back, report.suspense
    row.mandates = report.mandates
    row.recorded_at = utc_now()
