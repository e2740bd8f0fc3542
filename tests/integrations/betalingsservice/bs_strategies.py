"""Hypothesis strategies for valid Betalingsservice records and deliveries of each type."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from integrations.betalingsservice import (
    AutomaticPayment,
    Collection,
    CollectionCode,
    CollectionSectionStart,
    Delivery,
    DeliveryType,
    Mandate,
    MandateCode,
    NameAddressLine,
    NameAddressPostcode,
    PaymentCode,
    Section,
    SectionCode,
    SectionStart,
    Sign,
    SlipCode,
    SlipPayment,
    SlipType,
    TextLine,
)
from integrations.betalingsservice.codes import ELECTRONIC_SLIP_AGREEMENT
from integrations.betalingsservice.records import BodyRecord

PRINTABLE = [chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x100))]
DANISH = list("æøåÆØÅéü-/., ")


def digits(width: int) -> st.SearchStrategy[str]:
    return st.integers(0, 10**width - 1).map(lambda n: f"{n:0{width}d}")


def text(length: int, *, min_size: int = 0) -> st.SearchStrategy[str]:
    """Printable ISO-8859-1 without trailing blanks (what an X field can keep)."""
    characters = st.sampled_from(PRINTABLE) | st.sampled_from(DANISH)
    return (
        st.text(characters, min_size=min_size, max_size=length)
        .map(lambda s: s.rstrip(" "))
        .filter(lambda s: len(s) >= min_size)
    )


def amounts(width: int = 13) -> st.SearchStrategy[int]:
    return st.integers(0, 10**width - 1)


DATE6 = st.dates(date(1970, 1, 1), date(2069, 12, 31))
DATE8 = st.dates(date(1, 1, 1), date(9999, 12, 31))
SIGNS = st.sampled_from(Sign)


@st.composite
def collection_debtor(
    draw: st.DrawFn, pbs: str, group: str, code: CollectionCode
) -> list[BodyRecord]:
    """Optional name/address, one collection, its text lines: one debtor of a 0601 section."""
    customer = draw(text(15, min_size=1))
    agreement = draw(digits(9))
    records: list[BodyRecord] = []
    if draw(st.booleans()):
        for number in range(1, draw(st.integers(1, 5)) + 1):
            line = draw(text(35))
            records.append(NameAddressLine(pbs, number, group, customer, agreement, line))
        if draw(st.booleans()):
            post, country = draw(text(4)), draw(st.sampled_from(["", "DK", "SE", "DE"]))
            records.append(NameAddressPostcode(pbs, group, customer, agreement, post, country))
    records.append(
        Collection(
            pbs,
            code,
            group,
            customer,
            agreement,
            draw(DATE8),
            draw(SIGNS),
            draw(amounts()),
            draw(text(30)),
        )
    )
    for number in range(1, draw(st.integers(0, 4)) + 1):
        records.append(TextLine(pbs, number, group, customer, agreement, draw(text(60))))
    return records


@st.composite
def collection_sections(draw: st.DrawFn) -> Section:
    code = draw(st.sampled_from([SectionCode.COLLECTIONS, SectionCode.REPLACEMENT_COLLECTIONS]))
    transaction = (
        CollectionCode.COLLECTION if code is SectionCode.COLLECTIONS else CollectionCode.REPLACEMENT
    )
    pbs, group = draw(digits(8)), draw(digits(5))
    start = CollectionSectionStart(
        pbs,
        code,
        group,
        draw(text(15)),
        draw(st.none() | DATE8),
        draw(digits(4)),
        draw(digits(10)),
        draw(text(60)),
    )
    debtors = draw(st.lists(collection_debtor(pbs, group, transaction), max_size=4))
    return Section(start, tuple(record for debtor in debtors for record in debtor))


@st.composite
def automatic_payments(draw: st.DrawFn, pbs: str, group: str) -> AutomaticPayment:
    return AutomaticPayment(
        pbs,
        draw(st.sampled_from(PaymentCode)),
        group,
        draw(text(15)),
        draw(digits(9)),
        draw(DATE6),
        draw(SIGNS),
        draw(amounts()),
        draw(text(30)),
        draw(st.none() | DATE6),
        draw(st.none() | DATE6),
        draw(amounts()),
    )


@st.composite
def slip_payments(draw: st.DrawFn, pbs: str, group: str) -> SlipPayment:
    return SlipPayment(
        pbs,
        draw(st.sampled_from(SlipCode)),
        group,
        draw(text(15)),
        draw(st.sampled_from(SlipType)),
        draw(st.integers(0, 9)),
        draw(amounts(5)),
        draw(DATE6),
        draw(SIGNS),
        draw(amounts()),
        draw(text(9)),
        draw(text(22)),
        draw(st.none() | DATE6),
        draw(st.none() | DATE6),
        draw(amounts()),
    )


@st.composite
def payment_sections(draw: st.DrawFn) -> Section:
    pbs, group = draw(digits(8)), draw(digits(5))
    records: st.SearchStrategy[AutomaticPayment | SlipPayment]
    if draw(st.booleans()):
        code, records = SectionCode.AUTOMATIC_PAYMENTS, automatic_payments(pbs, group)
    else:
        code, records = SectionCode.SLIP_PAYMENTS, slip_payments(pbs, group)
    start = SectionStart(pbs, code, group, draw(text(15)), draw(DATE6))
    body: list[BodyRecord] = draw(st.lists(records, max_size=6))
    return Section(start, tuple(body), draw(amounts(14)))


@st.composite
def mandate_sections(draw: st.DrawFn) -> Section:
    pbs, group = draw(digits(8)), draw(digits(5))
    code = draw(
        st.sampled_from(
            [
                SectionCode.ACTIVE_MANDATES,
                SectionCode.MANDATE_CHANGES,
                SectionCode.ACTIVE_SLIP_AGREEMENTS,
            ]
        )
    )
    codes: st.SearchStrategy[MandateCode]
    if code is SectionCode.MANDATE_CHANGES:
        codes = st.sampled_from([c for c in MandateCode if c is not MandateCode.ACTIVE])
    else:
        codes = st.just(MandateCode.ACTIVE)
    agreement = (
        st.just(ELECTRONIC_SLIP_AGREEMENT)
        if code is SectionCode.ACTIVE_SLIP_AGREEMENTS
        else digits(9)
    )
    mandate = st.builds(
        Mandate,
        st.just(pbs),
        codes,
        st.just(group),
        text(15),
        agreement,
        DATE6,
        st.none() | DATE6,
    )
    start = SectionStart(pbs, code, group, draw(text(15)), draw(DATE6))
    body: list[BodyRecord] = draw(st.lists(mandate, max_size=6))
    return Section(start, tuple(body))


SECTIONS = {
    DeliveryType.COLLECTION: collection_sections(),
    DeliveryType.PAYMENT_INFORMATION: payment_sections(),
    DeliveryType.MANDATE_INFORMATION: mandate_sections(),
}


@st.composite
def deliveries(draw: st.DrawFn, delivery_type: DeliveryType) -> Delivery:
    return Delivery(
        delivery_type=delivery_type,
        data_supplier_cvr=draw(digits(8)),
        delivery_serial=draw(digits(10)),
        created=draw(DATE6),
        sections=tuple(draw(st.lists(SECTIONS[delivery_type], min_size=1, max_size=3))),
    )
