"""Builders and the writer: what they make, and what they refuse."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest

from integrations.betalingsservice import (
    AutomaticPayment,
    BodyRecord,
    BsWriteError,
    Collection,
    CollectionCode,
    CollectionRequest,
    Delivery,
    DeliveryType,
    Mandate,
    MandateCode,
    PaymentCode,
    Section,
    SectionCode,
    Sign,
    SlipCode,
    SlipPayment,
    SlipType,
    TextLine,
    build_collection_delivery,
    build_mandate_delivery,
    build_payment_delivery,
    parse,
    write,
)

CVR = "25313763"
CREATED = date(2024, 1, 20)
DUE = date(2024, 2, 1)


def _collections(
    *requests: CollectionRequest,
    data_supplier_cvr: str = CVR,
    pbs_number: str = "1234567",
    debtor_group: str = "1",
) -> bytes:
    delivery = build_collection_delivery(
        data_supplier_cvr=data_supplier_cvr, pbs_number=pbs_number, debtor_group=debtor_group,
        delivery_serial="117", created=CREATED, collections=requests,
    )  # fmt: skip
    return write(delivery)


RENT = CollectionRequest(
    customer_number="11010203",
    payment_date=DUE,
    amount=651200,
    creditor_reference="LEJE 1101-0203 2024-02",
    text_lines=["Husleje februar 2024   5.980,00 kr.", "Lejemål Ærøvej 12, 2. th.  "],
)


def test_collection_delivery_holds_0280_with_numbered_text_lines() -> None:
    other = CollectionRequest("11020105", DUE, 548750, text_lines=["Husleje ÆØÅ"])
    data = _collections(RENT, other)
    lines = data.decode("latin-1").split("\r\n")
    assert [line[:5] + line[13:17] + line[17:22] for line in lines[2:7]] == [
        "BS042028000000", "BS052024100001", "BS052024100002",
        "BS042028000000", "BS052024100001",
    ]  # fmt: skip
    delivery = parse(data)
    assert delivery.delivery_type is DeliveryType.COLLECTION
    assert delivery.delivery_serial == "0000000117"
    (section,) = delivery.sections
    assert section.code is SectionCode.COLLECTIONS
    assert (section.pbs_number, section.debtor_group) == ("01234567", "00001")
    first = section.records[0]
    assert first == Collection(
        "01234567",
        CollectionCode.COLLECTION,
        "00001",
        "11010203",
        "000000000",
        DUE,
        Sign.WITHDRAWAL,
        651200,
        "LEJE 1101-0203 2024-02",
    )
    texts = [r for r in section.records if isinstance(r, TextLine)]
    assert [(t.customer_number, t.record_number, t.text) for t in texts] == [
        ("11010203", 1, "Husleje februar 2024   5.980,00 kr."),
        ("11010203", 2, "Lejemål Ærøvej 12, 2. th."),
        ("11020105", 1, "Husleje ÆØÅ"),
    ]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0, "must be more than 0 øre: 0"),
        (-651200, "must be more than 0 øre: -651200"),
        (10**13, "more than 13 digits: 10000000000000"),
        (10**10 + 1, "amount 10000000001 øre exceeds the limit"),
    ],
)
def test_collection_amount_limits(amount: int, message: str) -> None:
    with pytest.raises(BsWriteError, match=f"collection 1 \\('11010203'\\), amount: {message}"):
        _collections(dataclasses.replace(RENT, amount=amount))


@pytest.mark.parametrize("amount", [651200.0, True, "651200"])
def test_collection_amount_must_be_int_oere(amount: object) -> None:
    with pytest.raises(BsWriteError, match="amount: not an int number of øre"):
        _collections(dataclasses.replace(RENT, amount=amount))  # type: ignore[arg-type]


def test_text_that_iso_8859_1_cannot_hold_is_refused() -> None:
    request = dataclasses.replace(RENT, text_lines=["Husleje 5.980,00 €"])
    with pytest.raises(BsWriteError) as caught:
        _collections(request)
    assert str(caught.value) == (
        "collection 1 ('11010203'), text_lines[0]: character '€' cannot be encoded in "
        "ISO-8859-1: 'Husleje 5.980,00 €'"
    )


def test_control_characters_and_long_lines_are_refused() -> None:
    with pytest.raises(BsWriteError, match=r"text_lines\[1\]: control character '\\t'"):
        _collections(dataclasses.replace(RENT, text_lines=["ok", "a\tb"]))
    with pytest.raises(BsWriteError, match=r"text_lines\[0\]: longer than 60 characters"):
        _collections(dataclasses.replace(RENT, text_lines=["x" * 61]))
    with pytest.raises(BsWriteError, match="creditor_reference: longer than 30"):
        _collections(dataclasses.replace(RENT, creditor_reference="r" * 31))


@pytest.mark.parametrize("customer", ["", " 1101", "1101 ", "1" * 16])
def test_customer_number_must_be_a_clean_identifier(customer: str) -> None:
    with pytest.raises(BsWriteError, match="customer_number"):
        _collections(dataclasses.replace(RENT, customer_number=customer))


def test_identifiers_are_zero_padded_and_checked() -> None:
    lines = _collections(RENT, pbs_number="12345").decode("latin-1").split("\r\n")
    assert [line[5:13] for line in lines[1:-2]] == ["00012345"] * 5
    assert lines[0][20:30] == "0000000117" and lines[1][22:27] == "00001"
    with pytest.raises(BsWriteError, match="pbs_number: more than 8 digits"):
        _collections(RENT, pbs_number="123456789")
    with pytest.raises(BsWriteError, match="debtor_group: not a string of digits: '1A'"):
        _collections(RENT, debtor_group="1A")
    with pytest.raises(BsWriteError, match="agreement_number: not a string of digits"):
        _collections(dataclasses.replace(RENT, agreement_number="-1"))
    with pytest.raises(BsWriteError, match="data_supplier_cvr: not a valid CVR number"):
        _collections(RENT, data_supplier_cvr="25313764")


def test_payment_date_before_the_delivery_is_refused() -> None:
    with pytest.raises(BsWriteError, match="payment_date: 2024-01-19 is before"):
        _collections(dataclasses.replace(RENT, payment_date=date(2024, 1, 19)))


def test_no_collections_no_delivery() -> None:
    with pytest.raises(BsWriteError, match="at least one collection"):
        _collections()


def _payment(
    code: PaymentCode, customer: str, amount: int, group: str = "00001"
) -> AutomaticPayment:
    paid = amount if code in (PaymentCode.COMPLETED, PaymentCode.CHARGED_BACK) else 0
    actual = DUE if paid else None
    return AutomaticPayment(
        "01234567",
        code,
        group,
        customer.zfill(15),
        "000000000",
        DUE,
        Sign.WITHDRAWAL,
        amount,
        f"LEJE {customer}",
        actual,
        actual,
        paid,
    )


def test_payment_delivery_groups_sections_and_sums_gross() -> None:
    slip = SlipPayment(
        "01234567",
        SlipCode.COMPLETED,
        "00001",
        "000000011070004",
        SlipType.FI_71,
        0,
        0,
        DUE,
        Sign.WITHDRAWAL,
        640000,
        "110700042",
        "0202240001234567890123",
        DUE,
        DUE,
        640000,
    )
    payments: list[AutomaticPayment | SlipPayment] = [
        _payment(PaymentCode.COMPLETED, "11010203", 651200),
        slip,
        _payment(PaymentCode.REJECTED, "11030311", 712025),
        _payment(PaymentCode.COMPLETED, "21010101", 500000, group="00002"),
    ]
    delivery = build_payment_delivery(
        data_supplier_cvr=CVR, delivery_serial="4711", created=DUE, payments=payments
    )
    assert [
        (s.code, s.debtor_group, len(s.records), s.gross_amount) for s in delivery.sections
    ] == [
        (SectionCode.AUTOMATIC_PAYMENTS, "00001", 2, 651200 + 712025),
        (SectionCode.SLIP_PAYMENTS, "00001", 1, 640000),
        (SectionCode.AUTOMATIC_PAYMENTS, "00002", 1, 500000),
    ]
    assert parse(write(delivery)) == delivery


def test_mandate_delivery_sorts_codes_into_their_sections() -> None:
    def mandate(code: MandateCode, customer: str, agreement: str = "000000000") -> Mandate:
        return Mandate("01234567", code, "00001", customer.zfill(15), agreement, DUE, None)

    mandates = [
        mandate(MandateCode.REGISTERED, "1"),
        mandate(MandateCode.ACTIVE, "2"),
        mandate(MandateCode.ACTIVE, "3", agreement="999999999"),
        mandate(MandateCode.CANCELLED_BY_BS, "4"),
    ]
    delivery = build_mandate_delivery(
        data_supplier_cvr=CVR, delivery_serial="815", created=DUE, mandates=mandates
    )
    customers = [
        (s.code, [r.customer_number[-1] for r in s.records if isinstance(r, Mandate)])
        for s in delivery.sections
    ]
    assert customers == [
        (SectionCode.MANDATE_CHANGES, ["1", "4"]),
        (SectionCode.ACTIVE_MANDATES, ["2"]),
        (SectionCode.ACTIVE_SLIP_AGREEMENTS, ["3"]),
    ]
    assert parse(write(delivery)) == delivery


# --- the writer refuses deliveries that break the grammar -------------------------------------


def _delivery_0602() -> Delivery:
    return build_payment_delivery(
        data_supplier_cvr=CVR, delivery_serial="1", created=DUE,
        payments=[_payment(PaymentCode.COMPLETED, "1", 100)],
    )  # fmt: skip


def _with_section(delivery: Delivery, section: Section) -> Delivery:
    return dataclasses.replace(delivery, sections=(section,))


def _with_record(delivery: Delivery, record: BodyRecord) -> Delivery:
    section = delivery.sections[0]
    return _with_section(delivery, dataclasses.replace(section, records=(record,)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": -1}, "field amount: outside 0..9999999999999: -1"),
        ({"sign": 1}, "field sign: not a Sign: 1"),
        ({"pbs_number": "1234567"}, "field pbs_number: differs from the section's PBS number"),
        ({"customer_number": "12 "}, "field customer_number: ends in blanks"),
        ({"payment_date": date(2070, 1, 1)}, "field payment_date: year outside 1970-2069"),
        ({"actual_payment_date": "2024-02-01"}, "field actual_payment_date: not a date"),
        ({"creditor_reference": "€"}, "field creditor_reference: character '€'"),
    ],
)
def test_writer_refuses_bad_records(change: dict[str, Any], message: str) -> None:
    delivery = _delivery_0602()
    record = dataclasses.replace(delivery.sections[0].records[0], **change)
    with pytest.raises(BsWriteError, match=f"section 1, record 1, {message}"):
        write(_with_record(delivery, record))


def test_writer_refuses_records_of_another_section() -> None:
    mandate = Mandate("01234567", MandateCode.ACTIVE, "00001", "1", "000000000", DUE, None)
    with pytest.raises(BsWriteError, match="section 1, record 1: Mandate not allowed in 0211"):
        write(_with_record(_delivery_0602(), mandate))


def test_writer_needs_the_0602_gross_amount_and_only_there() -> None:
    delivery = _delivery_0602()
    no_gross = _with_section(delivery, dataclasses.replace(delivery.sections[0], gross_amount=None))
    with pytest.raises(BsWriteError, match="a 0602 section needs its gross_amount"):
        write(no_gross)
    rent = build_collection_delivery(
        data_supplier_cvr=CVR, pbs_number="1", debtor_group="1", delivery_serial="1",
        created=CREATED, collections=[RENT],
    )  # fmt: skip
    with_gross = _with_section(rent, dataclasses.replace(rent.sections[0], gross_amount=5))
    with pytest.raises(BsWriteError, match="gross_amount belongs to 0602 only"):
        write(with_gross)


def test_writer_refuses_a_delivery_without_sections_or_with_foreign_ones() -> None:
    delivery = _delivery_0602()
    with pytest.raises(BsWriteError, match="at least one section"):
        write(dataclasses.replace(delivery, sections=()))
    foreign = dataclasses.replace(delivery, delivery_type=DeliveryType.MANDATE_INFORMATION)
    with pytest.raises(BsWriteError, match="section 0211 not allowed in 0603"):
        write(foreign)


def test_writer_refuses_totals_beyond_15_digits() -> None:
    delivery = _delivery_0602()
    big = dataclasses.replace(delivery.sections[0], gross_amount=10**15 - 1)
    too_big = dataclasses.replace(delivery, sections=(big, big))
    with pytest.raises(BsWriteError, match=r"delivery end, field amount: outside 0\.\.9{15}"):
        write(too_big)


def test_dates_must_be_dates() -> None:
    moment = datetime(2024, 2, 1, 12, 30, tzinfo=UTC)
    with pytest.raises(BsWriteError, match="payment_date: not a date: datetime"):
        _collections(dataclasses.replace(RENT, payment_date=moment))
    with pytest.raises(BsWriteError, match="created: not a date"):
        build_collection_delivery(
            data_supplier_cvr=CVR, pbs_number="1", debtor_group="1", delivery_serial="1",
            created=moment, collections=[RENT],
        )  # fmt: skip
