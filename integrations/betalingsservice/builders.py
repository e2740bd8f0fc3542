"""Build deliveries from what the ledger knows: 0601 collections, and 0602/0603 for tests and demos.

Builders take natural input (identifiers with or without leading zeros, text with trailing
blanks), check it with clear messages and return a canonical :class:`~.delivery.Delivery` that
:func:`~.writer.write` turns into a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from stdnum.dk import cvr as stdnum_cvr

from ledger.money import MoneyError, check_amount

from .codes import (
    ELECTRONIC_SLIP_AGREEMENT,
    CollectionCode,
    DeliveryType,
    MandateCode,
    SectionCode,
    Sign,
)
from .delivery import Delivery, Section
from .errors import BsWriteError
from .fields import PRINTABLE_CLASS
from .parser import MAX_LINES
from .records import (
    AutomaticPayment,
    BodyRecord,
    Collection,
    CollectionSectionStart,
    Mandate,
    SectionStart,
    SlipPayment,
    TextLine,
)
from .structure import MAX_TEXT_LINES, section_totals

MAX_AMOUNT_DIGITS = 13
TEXT_LINE_LENGTH = 60
_NO_AGREEMENT = "000000000"


@dataclass(frozen=True, slots=True)
class CollectionRequest:
    """One collection (opkrævning) to ask BS for: withdraw ``amount`` øre from the debtor."""

    customer_number: str  # kundenummer, up to 15 characters
    payment_date: date
    amount: int  # øre, > 0
    creditor_reference: str = ""  # up to 30 characters, returned in 0602
    text_lines: Sequence[str] = ()  # lines of up to 60 characters on the debtor's overview
    agreement_number: str = _NO_AGREEMENT  # zeros for "BS total" creditors


def build_collection_delivery(
    *,
    data_supplier_cvr: str,
    pbs_number: str,
    debtor_group: str,
    delivery_serial: str,
    created: date,
    collections: Sequence[CollectionRequest],
    data_supplier_id: str = "",
    main_text: str = "",
    creditor_reg_no: str = "0",
    creditor_account: str = "0",
    section_date: date | None = None,
) -> Delivery:
    """A 0601 delivery: one section 0112 with a 0280 record and its 0241 text lines per collection.

    Text lines are numbered 00001... after each collection. Amounts are withdrawals (sign code
    1); an amount of zero or less, of more than 13 digits, or above the ledger's limit is refused.
    """
    cvr = _cvr(data_supplier_cvr)
    _date("created", created)
    if section_date is not None:
        _date("section_date", section_date)
    pbs = _digits("pbs_number", pbs_number, 8)
    group = _digits("debtor_group", debtor_group, 5)
    if not collections:
        raise BsWriteError("collections: a 0601 delivery needs at least one collection")
    if len(collections) > MAX_LINES // 2:
        raise BsWriteError(f"collections: more than {MAX_LINES // 2}")
    records: list[BodyRecord] = []
    for number, request in enumerate(collections, 1):
        records += _collection_records(request, pbs, group, created, f"collection {number}")
    start = CollectionSectionStart(
        pbs_number=pbs,
        section=SectionCode.COLLECTIONS,
        debtor_group=group,
        data_supplier_id=_text("data_supplier_id", data_supplier_id, 15),
        section_date=section_date,
        creditor_reg_no=_digits("creditor_reg_no", creditor_reg_no, 4),
        creditor_account=_digits("creditor_account", creditor_account, 10),
        main_text=_text("main_text", main_text, 60),
    )
    return Delivery(
        delivery_type=DeliveryType.COLLECTION,
        data_supplier_cvr=cvr,
        delivery_serial=_digits("delivery_serial", delivery_serial, 10),
        created=created,
        sections=(Section(start, tuple(records)),),
    )


def _collection_records(
    request: CollectionRequest, pbs: str, group: str, created: date, where: str
) -> list[BodyRecord]:
    """The 0280 record of one collection and its 0241 text lines."""
    where = f"{where} ({request.customer_number!r})"
    customer = _identifier_text(f"{where}, customer_number", request.customer_number, 15)
    agreement = _digits(f"{where}, agreement_number", request.agreement_number, 9)
    amount = _amount(f"{where}, amount", request.amount)
    _date(f"{where}, payment_date", request.payment_date)
    if request.payment_date < created:
        raise BsWriteError(
            f"{where}, payment_date: {request.payment_date} is before the delivery's "
            f"creation date {created}"
        )
    if len(request.text_lines) > MAX_TEXT_LINES:
        raise BsWriteError(f"{where}, text_lines: more than {MAX_TEXT_LINES} lines")
    reference = _text(f"{where}, creditor_reference", request.creditor_reference, 30)
    records: list[BodyRecord] = [
        Collection(
            pbs,
            CollectionCode.COLLECTION,
            group,
            customer,
            agreement,
            request.payment_date,
            Sign.WITHDRAWAL,
            amount,
            reference,
        )
    ]
    for number, line in enumerate(request.text_lines, 1):
        text = _text(f"{where}, text_lines[{number - 1}]", line, TEXT_LINE_LENGTH)
        records.append(TextLine(pbs, number, group, customer, agreement, text))
    return records


def build_payment_delivery(
    *,
    data_supplier_cvr: str,
    delivery_serial: str,
    created: date,
    payments: Sequence[AutomaticPayment | SlipPayment],
    data_supplier_id: str = "",
) -> Delivery:
    """A 0602 delivery: section 0211 for automatic payments, 0215 for slips, per PBS number
    and debtor group in order of first appearance. Each section's gross amount (the BS092
    amount) is the sum of its records' amounts."""
    sections: dict[tuple[SectionCode, str, str], list[BodyRecord]] = {}
    for payment in payments:
        code = (
            SectionCode.AUTOMATIC_PAYMENTS
            if isinstance(payment, AutomaticPayment)
            else SectionCode.SLIP_PAYMENTS
        )
        sections.setdefault((code, payment.pbs_number, payment.debtor_group), []).append(payment)
    return _inbound_delivery(
        DeliveryType.PAYMENT_INFORMATION,
        data_supplier_cvr,
        delivery_serial,
        created,
        sections,
        data_supplier_id,
    )


def build_mandate_delivery(
    *,
    data_supplier_cvr: str,
    delivery_serial: str,
    created: date,
    mandates: Sequence[Mandate],
    data_supplier_id: str = "",
) -> Delivery:
    """A 0603 delivery: active mandates in section 0210 (0219 for electronic slip agreements,
    agreement number 999999999), registrations and cancellations in section 0212."""
    sections: dict[tuple[SectionCode, str, str], list[BodyRecord]] = {}
    for mandate in mandates:
        code = _mandate_section(mandate)
        sections.setdefault((code, mandate.pbs_number, mandate.debtor_group), []).append(mandate)
    return _inbound_delivery(
        DeliveryType.MANDATE_INFORMATION,
        data_supplier_cvr,
        delivery_serial,
        created,
        sections,
        data_supplier_id,
    )


def _mandate_section(mandate: Mandate) -> SectionCode:
    if mandate.transaction_code is not MandateCode.ACTIVE:
        return SectionCode.MANDATE_CHANGES
    if mandate.agreement_number == ELECTRONIC_SLIP_AGREEMENT:
        return SectionCode.ACTIVE_SLIP_AGREEMENTS
    return SectionCode.ACTIVE_MANDATES


def _inbound_delivery(
    delivery_type: DeliveryType,
    data_supplier_cvr: str,
    delivery_serial: str,
    created: date,
    grouped: dict[tuple[SectionCode, str, str], list[BodyRecord]],
    data_supplier_id: str,
) -> Delivery:
    """A 0602/0603 delivery of the grouped records; sections dated ``created``."""
    if not grouped:
        raise BsWriteError(f"a {delivery_type} delivery needs at least one record")
    _date("created", created)
    supplier_id = _text("data_supplier_id", data_supplier_id, 15)
    gross = delivery_type is DeliveryType.PAYMENT_INFORMATION
    sections = tuple(
        Section(
            SectionStart(pbs, code, group, supplier_id, created),
            tuple(records),
            section_totals(records).amount if gross else None,
        )
        for (code, pbs, group), records in grouped.items()
    )
    return Delivery(
        delivery_type=delivery_type,
        data_supplier_cvr=_cvr(data_supplier_cvr),
        delivery_serial=_digits("delivery_serial", delivery_serial, 10),
        created=created,
        sections=sections,
    )


# --- input checks ----------------------------------------------------------------------------


def _cvr(value: str) -> str:
    """A CVR number (8 digits, valid check digit per ``stdnum.dk.cvr``)."""
    if not (isinstance(value, str) and stdnum_cvr.is_valid(value)):
        raise BsWriteError(f"data_supplier_cvr: not a valid CVR number: {value!r}")
    return str(stdnum_cvr.compact(value))


def _date(name: str, value: date) -> None:
    """A calendar date (a ``datetime`` would lose its time in the file)."""
    if type(value) is not date:
        raise BsWriteError(f"{name}: not a date: {value!r}")


def _digits(name: str, value: str, width: int) -> str:
    """A numeric identifier of up to ``width`` digits, zero-padded to ``width``."""
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):
        raise BsWriteError(f"{name}: not a string of digits: {value!r}")
    if len(value) > width:
        raise BsWriteError(f"{name}: more than {width} digits: {value!r}")
    return value.zfill(width)


def _amount(name: str, value: int) -> int:
    """A collection amount in øre: positive, at most 13 digits, within the ledger's limit."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise BsWriteError(f"{name}: not an int number of øre: {value!r}")
    if value <= 0:
        raise BsWriteError(f"{name}: must be more than 0 øre: {value!r}")
    if value >= 10**MAX_AMOUNT_DIGITS:
        raise BsWriteError(f"{name}: more than {MAX_AMOUNT_DIGITS} digits: {value!r}")
    try:
        check_amount(value)
    except MoneyError as error:
        raise BsWriteError(f"{name}: {error}") from None
    return value


def _text(name: str, value: str, length: int) -> str:
    """Text for an X field: ISO-8859-1, printable, at most ``length`` characters; trailing
    blanks are dropped (the format cannot keep them)."""
    if not isinstance(value, str):
        raise BsWriteError(f"{name}: not a str: {value!r}")
    for character in value:
        if ord(character) > 0xFF:
            raise BsWriteError(
                f"{name}: character {character!r} cannot be encoded in ISO-8859-1: {value!r}"
            )
        if not _is_printable(character):
            raise BsWriteError(f"{name}: control character {character!r} in {value!r}")
    text = value.rstrip(" ")
    if len(text) > length:
        raise BsWriteError(f"{name}: longer than {length} characters: {value!r}")
    return text


def _identifier_text(name: str, value: str, length: int) -> str:
    """A text identifier (customer number): not empty, no leading or trailing blanks."""
    if not isinstance(value, str) or not value or value != value.strip(" "):
        raise BsWriteError(f"{name}: empty or with leading/trailing blanks: {value!r}")
    return _text(name, value, length)


def _is_printable(character: str) -> bool:
    return "\x20" <= character <= "\x7e" or "\xa0" <= character <= "\xff"


assert PRINTABLE_CLASS == "\\x20-\\x7e\\xa0-\\xff", "keep _is_printable in step with fields.py"
