"""Write a :class:`~.delivery.Delivery` as a Betalingsservice file.

Pure: a delivery in, bytes out (ISO-8859-1, CRLF, every line 128 characters). The writer
computes the BS092 and BS992 counts and sums from the records; only the 0602 section amount,
which BS reports gross, is taken from :attr:`~.delivery.Section.gross_amount`. It checks the
delivery against the same grammar the parser uses and raises :class:`~.errors.BsWriteError`
naming the section, record and field of the first problem.
"""

from __future__ import annotations

from .codes import DeliveryType
from .delivery import Delivery, Section
from .errors import BsWriteError
from .layouts import DELIVERY_END, DELIVERY_START
from .parser import MAX_LINES
from .records import DeliveryEnd, DeliveryStart, SectionEnd
from .structure import (
    BODY_LAYOUT,
    DELIVERY_SECTIONS,
    SECTION_END_LAYOUT,
    SECTION_START_LAYOUT,
    ZERO_TOTALS,
    Totals,
    is_record_allowed,
    section_problems,
    section_totals,
)

LINE_END = "\r\n"


def write(delivery: Delivery) -> bytes:
    """The file of a delivery; raise :class:`BsWriteError` if the delivery breaks the format."""
    if not isinstance(delivery.delivery_type, DeliveryType):
        raise BsWriteError(f"delivery_type: not a DeliveryType: {delivery.delivery_type!r}")
    if not delivery.sections:
        raise BsWriteError("a delivery needs at least one section")
    record_count = sum(len(section.records) for section in delivery.sections)
    if record_count + 2 * len(delivery.sections) + 2 > MAX_LINES:
        raise BsWriteError(f"more than {MAX_LINES} lines")
    start = DeliveryStart(
        delivery.data_supplier_cvr,
        delivery.delivery_type,
        delivery.delivery_serial,
        delivery.created,
    )
    lines = [DELIVERY_START.encode(start, "delivery start")]
    totals = ZERO_TOTALS
    for number, section in enumerate(delivery.sections, 1):
        totals = totals.plus(_write_section(delivery.delivery_type, section, number, lines))
    end = DeliveryEnd(
        delivery.data_supplier_cvr, delivery.delivery_type, len(delivery.sections), *totals
    )
    lines.append(DELIVERY_END.encode(end, "delivery end"))
    return (LINE_END.join(lines) + LINE_END).encode("latin-1")


def _write_section(
    delivery_type: DeliveryType, section: Section, number: int, lines: list[str]
) -> Totals:
    """Append the lines of one section; return its totals as written in BS092."""
    where = f"section {number}"
    if section.code not in DELIVERY_SECTIONS[delivery_type]:
        raise BsWriteError(f"{where}: section {section.code} not allowed in {delivery_type}")
    lines.append(SECTION_START_LAYOUT[delivery_type].encode(section.start, f"{where} start"))
    for index, field, value, problem in section_problems(section.start, section.records, 1):
        raise BsWriteError(f"{where}, record {index + 1}, field {field}: {problem} {value!r}")
    for index, record in enumerate(section.records, 1):
        if not is_record_allowed(section.code, record):
            name = type(record).__name__
            raise BsWriteError(f"{where}, record {index}: {name} not allowed in {section.code}")
        lines.append(BODY_LAYOUT[type(record)].encode(record, f"{where}, record {index}"))
    totals = section_totals(section.records)
    if delivery_type is DeliveryType.PAYMENT_INFORMATION:
        if section.gross_amount is None:
            raise BsWriteError(f"{where}: a 0602 section needs its gross_amount")
        totals = totals._replace(amount=section.gross_amount)
    elif section.gross_amount is not None:
        raise BsWriteError(f"{where}: gross_amount belongs to 0602 only; the amount is computed")
    end = SectionEnd(section.pbs_number, section.code, section.debtor_group, *totals)
    lines.append(SECTION_END_LAYOUT[delivery_type].encode(end, f"{where} end"))
    return totals
