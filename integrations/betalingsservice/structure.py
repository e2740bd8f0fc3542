"""The grammar of a delivery, shared by the parser and the writer.

Which sections a delivery type may hold, which records (and transaction codes) each section may
hold, how body records of a section relate to each other, and the counts and sums that BS092 and
BS992 declare. The parser checks a file against these rules; the writer checks a
:class:`~.delivery.Delivery` against the same rules before it writes a byte.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, NamedTuple

from .codes import (
    CollectionCode,
    DeliveryType,
    MandateCode,
    PaymentCode,
    SectionCode,
    SlipCode,
)
from .errors import Issue
from .layout import Layout
from .layouts import (
    AUTOMATIC_PAYMENT,
    COLLECTION,
    MANDATE,
    NAME_ADDRESS_LINE,
    NAME_ADDRESS_POSTCODE,
    SECTION_END_060X,
    SECTION_END_0601,
    SECTION_START_0601,
    SECTION_START_0602,
    SECTION_START_0603,
    SLIP_PAYMENT,
    TEXT_LINE,
)
from .records import (
    AutomaticPayment,
    BodyRecord,
    Collection,
    NameAddressLine,
    NameAddressPostcode,
    SectionStartRecord,
    SlipPayment,
    TextLine,
)
from .runs import RunDecoder, run_decoder

# A debtor's text lines to one collection are numbered 00001-05000 (0601 BS052).
MAX_TEXT_LINES = 5000
MAX_NAME_ADDRESS_LINES = 5

DELIVERY_SECTIONS: dict[DeliveryType, tuple[SectionCode, ...]] = {
    DeliveryType.COLLECTION: (SectionCode.COLLECTIONS, SectionCode.REPLACEMENT_COLLECTIONS),
    DeliveryType.PAYMENT_INFORMATION: (
        SectionCode.AUTOMATIC_PAYMENTS,
        SectionCode.SLIP_PAYMENTS,
    ),
    DeliveryType.MANDATE_INFORMATION: (
        SectionCode.ACTIVE_MANDATES,
        SectionCode.MANDATE_CHANGES,
        SectionCode.ACTIVE_SLIP_AGREEMENTS,
    ),
}

SECTION_START_LAYOUT: dict[DeliveryType, Layout[Any]] = {
    DeliveryType.COLLECTION: SECTION_START_0601,
    DeliveryType.PAYMENT_INFORMATION: SECTION_START_0602,
    DeliveryType.MANDATE_INFORMATION: SECTION_START_0603,
}
SECTION_END_LAYOUT: dict[DeliveryType, Layout[Any]] = {
    DeliveryType.COLLECTION: SECTION_END_0601,
    DeliveryType.PAYMENT_INFORMATION: SECTION_END_060X,
    DeliveryType.MANDATE_INFORMATION: SECTION_END_060X,
}

_NAME_ADDRESS = ((NAME_ADDRESS_POSTCODE, ("0240",)), (NAME_ADDRESS_LINE, ("0240",)))
# Per section: the layouts it may hold and the transaction codes allowed for each. Where two
# layouts share a record type and code (0240), the first whose constant fields match is used.
SECTION_CONTENT: dict[SectionCode, tuple[tuple[Layout[Any], tuple[str, ...]], ...]] = {
    SectionCode.COLLECTIONS: (
        *_NAME_ADDRESS,
        (COLLECTION, (CollectionCode.COLLECTION,)),
        (TEXT_LINE, ("0241",)),
    ),
    SectionCode.REPLACEMENT_COLLECTIONS: (
        *_NAME_ADDRESS,
        (COLLECTION, (CollectionCode.REPLACEMENT,)),
        (TEXT_LINE, ("0241",)),
    ),
    SectionCode.AUTOMATIC_PAYMENTS: ((AUTOMATIC_PAYMENT, tuple(PaymentCode)),),
    SectionCode.SLIP_PAYMENTS: ((SLIP_PAYMENT, tuple(SlipCode)),),
    SectionCode.ACTIVE_MANDATES: ((MANDATE, (MandateCode.ACTIVE,)),),
    SectionCode.MANDATE_CHANGES: (
        (
            MANDATE,
            (
                MandateCode.REGISTERED,
                MandateCode.CANCELLED_BY_BANK,
                MandateCode.CANCELLED_BY_CREDITOR,
                MandateCode.CANCELLED_BY_BS,
            ),
        ),
    ),
    SectionCode.ACTIVE_SLIP_AGREEMENTS: ((MANDATE, (MandateCode.ACTIVE,)),),
}

BODY_LAYOUT: dict[type[Any], Layout[Any]] = {
    layout.record_type: layout for content in SECTION_CONTENT.values() for layout, _ in content
}
BODY_RECORD_KINDS = frozenset(layout.record_kind for layout in BODY_LAYOUT.values())


class LayoutChoice:
    """Several layouts under one record type and code, told apart by their constant fields."""

    def __init__(self, layouts: Sequence[Layout[Any]]) -> None:
        assert layouts, "a choice needs layouts"
        self.layouts = tuple(layouts)

    def pick(self, line: str) -> Layout[Any]:
        """The first layout whose constants match, else the last (whose diagnosis is shown)."""
        for layout in self.layouts[:-1]:
            if layout.constants_match(line):
                return layout
        return self.layouts[-1]

    def decode(self, line: str) -> Any:
        """Decode with the layout the line's constants select."""
        return self.pick(line).decode(line)

    def decode_checked_text(self, line: str) -> Any:
        """Decode (text already checked) with the layout the line's constants select."""
        return self.pick(line).decode_checked_text(line)

    def diagnose(self, line: str, line_number: int) -> list[Issue]:
        """Diagnose with the layout the line's constants select."""
        return self.pick(line).diagnose(line, line_number)


class SectionDispatch(NamedTuple):
    """How to read the body of one section type.

    ``decode`` reads any body record of the section (raising ``ValueError`` or ``KeyError`` for
    anything else, e.g. the BS092 that ends it); ``decode_checked_text`` does the same for a file
    whose text is known printable. The dicts are keyed by ``record type + transaction code``.
    ``run`` reads many lines at once (:mod:`.runs`) in sections of one bulk layout, else ``None``.
    """

    decode: Callable[[str], BodyRecord]
    decode_checked_text: Callable[[str], BodyRecord]
    diagnosers: dict[str, Callable[[str, int], list[Issue]]]
    layouts: dict[str, tuple[Layout[Any], ...]]
    run: RunDecoder[Any] | None


def _dispatch(section: SectionCode) -> SectionDispatch:
    layouts: dict[str, list[Layout[Any]]] = {}
    for layout, codes in SECTION_CONTENT[section]:
        for transaction_code in codes:
            assert transaction_code in layout.codes, f"{transaction_code} not in {layout.name}"
            layouts.setdefault(layout.record_kind + transaction_code, []).append(layout)
    readers = {
        key: candidates[0] if len(candidates) == 1 else LayoutChoice(candidates)
        for key, candidates in layouts.items()
    }
    distinct = {id(layout): layout for candidates in layouts.values() for layout in candidates}
    only = next(iter(distinct.values()))
    run = run_decoder(only, [key[5:] for key in layouts]) if len(distinct) == 1 else None
    decode: Callable[[str], BodyRecord]
    decode_checked_text: Callable[[str], BodyRecord]
    if len(distinct) == 1 and {key[5:] for key in layouts} == set(only.codes):
        # One layout, all of its codes allowed: its regular expression checks type and code.
        decode, decode_checked_text = only.decode, only.decode_checked_text
    else:
        decode = _by_key({key: reader.decode for key, reader in readers.items()})
        decode_checked_text = _by_key(
            {key: reader.decode_checked_text for key, reader in readers.items()}
        )
    return SectionDispatch(
        decode=decode,
        decode_checked_text=decode_checked_text,
        diagnosers={key: reader.diagnose for key, reader in readers.items()},
        layouts={key: tuple(candidates) for key, candidates in layouts.items()},
        run=run,
    )


def _by_key(decoders: dict[str, Callable[[str], BodyRecord]]) -> Callable[[str], BodyRecord]:
    """A decoder choosing by record type and transaction code (``KeyError`` if unknown)."""

    def decode(line: str) -> BodyRecord:
        return decoders[line[:5] + line[13:17]](line)

    return decode


DISPATCH: dict[SectionCode, SectionDispatch] = {code: _dispatch(code) for code in SectionCode}


# --- totals ----------------------------------------------------------------------------------


class Totals(NamedTuple):
    """The counts and the amount BS092 declares for a section (and BS992 for a delivery)."""

    count_042: int
    amount: int
    count_052: int
    count_022: int

    def plus(self, other: Totals) -> Totals:
        """Field-wise sum."""
        return Totals(*(mine + theirs for mine, theirs in zip(self, other, strict=True)))


ZERO_TOTALS = Totals(0, 0, 0, 0)

# Problem: (index of the record in the section, field, value, problem).
Problem = tuple[int, str, str | None, str]


def section_totals(records: Sequence[BodyRecord]) -> Totals:
    """Counts of 042, 052 and 022 records and the sum of the 042 amount fields (unsigned)."""
    kinds = set(map(type, records))
    if len(kinds) == 1 and kinds <= _AMOUNT_KINDS:  # a 0602 section: one C-level sum
        return Totals(len(records), sum(map(_amount_of, records)), 0, 0)
    count_052 = count_022 = 0
    amount = 0
    for record in records:
        kind = type(record)
        if kind is AutomaticPayment or kind is Collection or kind is SlipPayment:
            amount += record.amount  # type: ignore[union-attr]
        elif kind is TextLine:
            count_052 += 1
        elif kind is NameAddressLine or kind is NameAddressPostcode:
            count_022 += 1
    return Totals(len(records) - count_052 - count_022, amount, count_052, count_022)


_AMOUNT_KINDS = frozenset((AutomaticPayment, Collection, SlipPayment))
_amount_of = attrgetter("amount")
_pbs_number_of = attrgetter("pbs_number")
_debtor_group_of = attrgetter("debtor_group")

# --- relations between the records of a section ---------------------------------------------


def section_problems(
    start: SectionStartRecord, records: Sequence[BodyRecord], limit: int
) -> list[Problem]:
    """Records that do not belong to the section or break the 0601 record order (``limit``)."""
    problems = _identity_problems(start, records, limit)
    if start.section in (SectionCode.COLLECTIONS, SectionCode.REPLACEMENT_COLLECTIONS):
        problems += _collection_order_problems(records, limit)
    return problems[:limit]


def _identity_problems(
    start: SectionStartRecord, records: Sequence[BodyRecord], limit: int
) -> list[Problem]:
    """Every record of a section must carry the section's PBS number and debtor group."""
    pbs_number, debtor_group = start.pbs_number, start.debtor_group
    if set(map(_pbs_number_of, records)) <= {pbs_number} and set(
        map(_debtor_group_of, records)
    ) <= {debtor_group}:
        return []
    problems: list[Problem] = []
    for index, record in enumerate(records):
        if record.pbs_number != pbs_number:
            problem = f"differs from the section's PBS number {pbs_number}:"
            problems.append((index, "pbs_number", record.pbs_number, problem))
        if record.debtor_group != debtor_group:
            problem = f"differs from the section's debtor group {debtor_group}:"
            problems.append((index, "debtor_group", record.debtor_group, problem))
        if len(problems) >= limit:
            break
    return problems


def _collection_order_problems(records: Sequence[BodyRecord], limit: int) -> list[Problem]:
    """0601: name/address (022) before its collection (042), text lines (052) after it."""
    problems: list[Problem] = []
    debtor: tuple[str, str] | None = None  # (customer, agreement) of the open collection
    next_text = 1
    names: tuple[str, str] | None = None  # (customer, agreement) of pending name/address
    last_name_number = 0
    for index, record in enumerate(records):
        if len(problems) >= limit:
            break
        who = (record.customer_number, record.agreement_number)  # type: ignore[union-attr]
        if isinstance(record, Collection):
            if names is not None and names != who:
                problems.append((index, "customer_number", who[0], _NAME_NOT_FOLLOWED))
            debtor, next_text, names, last_name_number = who, 1, None, 0
        elif isinstance(record, TextLine):
            if debtor != who:
                problems.append((index, "customer_number", who[0], _TEXT_ALONE))
            elif record.record_number != next_text or next_text > MAX_TEXT_LINES:
                expected = f"expected {next_text:05d} (at most {MAX_TEXT_LINES:05d}), found"
                problems.append((index, "record_number", f"{record.record_number:05d}", expected))
            next_text += 1
        else:
            number = record.record_number if isinstance(record, NameAddressLine) else 9
            if names is not None and names != who:
                problems.append((index, "customer_number", who[0], _NAME_NOT_FOLLOWED))
            elif number <= last_name_number or number not in _NAME_NUMBERS:
                expected = f"expected one of 00001-00005 or 00009 after {last_name_number:05d}:"
                problems.append((index, "record_number", f"{number:05d}", expected))
            debtor, names, last_name_number = None, who, number
    if names is not None:
        problems.append((len(records) - 1, "customer_number", names[0], _NAME_NOT_FOLLOWED))
    return problems


_NAME_NUMBERS = frozenset((*range(1, MAX_NAME_ADDRESS_LINES + 1), 9))
_NAME_NOT_FOLLOWED = "name/address (0240) not followed by a collection of the same debtor:"
_TEXT_ALONE = "text line (0241) does not follow a collection of the same debtor:"


def _allowed(section: SectionCode) -> frozenset[tuple[type[Any], str]]:
    return frozenset(
        (layout.record_type, code) for layout, codes in SECTION_CONTENT[section] for code in codes
    )


_ALLOWED = {section: _allowed(section) for section in SectionCode}


def is_record_allowed(section: SectionCode, record: BodyRecord) -> bool:
    """Whether the section may hold this record (type and transaction code)."""
    layout = BODY_LAYOUT.get(type(record))
    if layout is None:
        return False
    code = getattr(record, "transaction_code", layout.codes[0])
    return isinstance(code, str) and (type(record), code) in _ALLOWED[section]
