"""The record layouts of deliveries 0601, 0602 and 0603, as data.

Positions are copied from ``docs/betalingsservice.md`` (1-based, inclusive, start and length).
0601 body records carry a 5-digit record number at 18-22 and DDMMYYYY dates; 0602/0603 records
carry ``000`` at 18-20 and DDMMYY dates, so their later fields sit two positions further left.
Every layout is checked at import to tile positions 1-128 and to match its record class.
"""

from __future__ import annotations

from .codes import (
    CollectionCode,
    DeliveryType,
    MandateCode,
    PaymentCode,
    SectionCode,
    Sign,
    SlipCode,
    SlipType,
)
from .fields import blanks, code, const, date6, date8, ident, number, text, zeros
from .layout import Layout
from .records import (
    AutomaticPayment,
    Collection,
    CollectionSectionStart,
    DeliveryEnd,
    DeliveryStart,
    Mandate,
    NameAddressLine,
    NameAddressPostcode,
    SectionEnd,
    SectionStart,
    SlipPayment,
    TextLine,
)

# --- delivery start and end (all delivery types) ---------------------------------------------

DELIVERY_START = Layout(
    DeliveryStart,
    (
        const("record_type", 1, "BS002"),
        ident("data_supplier_cvr", 6, 8),
        const("system_code", 14, "BS1"),
        code("delivery_type", 17, DeliveryType),
        ident("delivery_serial", 21, 10),
        blanks(31, 49),
        date6("created", 50),
        blanks(56, 128),
    ),
)

DELIVERY_END = Layout(
    DeliveryEnd,
    (
        const("record_type", 1, "BS992"),
        ident("data_supplier_cvr", 6, 8),
        const("system_code", 14, "BS1"),
        code("delivery_type", 17, DeliveryType),
        number("section_count", 21, 11),
        number("count_042", 32, 11),
        number("amount", 43, 15),
        number("count_052", 58, 11),
        zeros(69, 83),
        number("count_022", 84, 11),
        zeros(95, 128),
    ),
)

# --- section start and end -------------------------------------------------------------------

SECTION_START_0601 = Layout(
    CollectionSectionStart,
    (
        const("record_type", 1, "BS012"),
        ident("pbs_number", 6, 8, shared=True),
        code("section", 14, SectionCode),
        blanks(18, 22),
        ident("debtor_group", 23, 5, shared=True),
        text("data_supplier_id", 28, 15),
        blanks(43, 46),
        date8("section_date", 47, optional=True),
        ident("creditor_reg_no", 55, 4),
        ident("creditor_account", 59, 10),
        text("main_text", 69, 60),
    ),
)


def _section_start_060x(filler_18_20: str) -> Layout[SectionStart]:
    """BS012 of 0602 (``000`` at 18-20) and 0603 (blanks at 18-20)."""
    filler = zeros(18, 20) if filler_18_20 == "000" else blanks(18, 20)
    return Layout(
        SectionStart,
        (
            const("record_type", 1, "BS012"),
            ident("pbs_number", 6, 8, shared=True),
            code("section", 14, SectionCode),
            filler,
            ident("debtor_group", 21, 5, shared=True),
            text("data_supplier_id", 26, 15),
            blanks(41, 49),
            date6("section_date", 50),
            blanks(56, 128),
        ),
    )


SECTION_START_0602 = _section_start_060x("000")
SECTION_START_0603 = _section_start_060x("   ")


def _section_end(group_at: int) -> Layout[SectionEnd]:
    """BS092: the same in all three types but for where the debtor group stands (0601: 23,
    0602/0603: 21), the zeros before it and the blanks after it."""
    return Layout(
        SectionEnd,
        (
            const("record_type", 1, "BS092"),
            ident("pbs_number", 6, 8, shared=True),
            code("section", 14, SectionCode),
            zeros(18, group_at - 1),
            ident("debtor_group", group_at, 5, shared=True),
            blanks(group_at + 5, 31),
            number("count_042", 32, 11),
            number("amount", 43, 15),
            number("count_052", 58, 11),
            blanks(69, 83),
            number("count_022", 84, 11),
            blanks(95, 128),
        ),
    )


SECTION_END_0601 = _section_end(23)
SECTION_END_060X = _section_end(21)

# --- 0601 body records -----------------------------------------------------------------------

COLLECTION = Layout(
    Collection,
    (
        const("record_type", 1, "BS042"),
        ident("pbs_number", 6, 8, shared=True),
        code("transaction_code", 14, CollectionCode),
        zeros(18, 22),
        ident("debtor_group", 23, 5, shared=True),
        text("customer_number", 28, 15),
        ident("agreement_number", 43, 9),
        date8("payment_date", 52),
        code("sign", 60, Sign),
        number("amount", 61, 13),
        text("creditor_reference", 74, 30),
        zeros(104, 105),
        blanks(106, 128),
    ),
)

TEXT_LINE = Layout(
    TextLine,
    (
        const("record_type", 1, "BS052"),
        ident("pbs_number", 6, 8, shared=True),
        const("transaction_code", 14, "0241"),
        number("record_number", 18, 5),
        ident("debtor_group", 23, 5, shared=True),
        text("customer_number", 28, 15),
        ident("agreement_number", 43, 9),
        blanks(52, 52),
        text("text", 53, 60),
        blanks(113, 128),
    ),
)

NAME_ADDRESS_LINE = Layout(
    NameAddressLine,
    (
        const("record_type", 1, "BS022"),
        ident("pbs_number", 6, 8, shared=True),
        const("transaction_code", 14, "0240"),
        number("record_number", 18, 5),
        ident("debtor_group", 23, 5, shared=True),
        text("customer_number", 28, 15),
        ident("agreement_number", 43, 9),
        text("line", 52, 35),
        blanks(87, 128),
    ),
)

NAME_ADDRESS_POSTCODE = Layout(
    NameAddressPostcode,
    (
        const("record_type", 1, "BS022"),
        ident("pbs_number", 6, 8, shared=True),
        const("transaction_code", 14, "0240"),
        const("record_number", 18, "00009"),
        ident("debtor_group", 23, 5, shared=True),
        text("customer_number", 28, 15),
        ident("agreement_number", 43, 9),
        blanks(52, 66),
        text("postcode", 67, 4),
        text("country", 71, 2),
        blanks(73, 128),
    ),
)

# --- 0602 body records -----------------------------------------------------------------------

AUTOMATIC_PAYMENT = Layout(
    AutomaticPayment,
    (
        const("record_type", 1, "BS042"),
        ident("pbs_number", 6, 8, shared=True),
        code("transaction_code", 14, PaymentCode),
        zeros(18, 20),
        ident("debtor_group", 21, 5, shared=True),
        text("customer_number", 26, 15),
        ident("agreement_number", 41, 9),
        date6("payment_date", 50),
        code("sign", 56, Sign),
        number("amount", 57, 13),
        text("creditor_reference", 70, 30),
        blanks(100, 103),
        date6("actual_payment_date", 104, optional=True),
        date6("bookkeeping_date", 110, optional=True),
        number("amount_paid", 116, 13),
    ),
)

SLIP_PAYMENT = Layout(
    SlipPayment,
    (
        const("record_type", 1, "BS042"),
        ident("pbs_number", 6, 8, shared=True),
        code("transaction_code", 14, SlipCode),
        zeros(18, 20),
        ident("debtor_group", 21, 5, shared=True),
        zeros(26, 29),
        text("customer_number", 30, 15),
        code("slip_type", 45, SlipType),
        number("fee_code", 47, 1),
        number("fee", 48, 5),
        date6("payment_date", 53),
        code("sign", 59, Sign),
        number("amount", 60, 13),
        text("reference", 73, 9),
        text("archive_reference", 82, 22),
        date6("actual_date", 104, optional=True),
        date6("bookkeeping_date", 110, optional=True),
        number("amount_paid", 116, 13),
    ),
)

# --- 0603 body records -----------------------------------------------------------------------

MANDATE = Layout(
    Mandate,
    (
        const("record_type", 1, "BS042"),
        ident("pbs_number", 6, 8, shared=True),
        code("transaction_code", 14, MandateCode),
        zeros(18, 20),
        ident("debtor_group", 21, 5, shared=True),
        text("customer_number", 26, 15),
        ident("agreement_number", 41, 9),
        date6("effective_date", 50),
        date6("end_date", 56, optional=True),
        blanks(62, 128),
    ),
)
