"""One frozen dataclass per Betalingsservice record type.

Identifiers (CVR, PBS number, debtor group, agreement number, delivery serial, bank account) are
digit strings of their full field width, so leading zeros survive ("00012345"). Money is ``int``
øre with a separate :class:`~.codes.Sign`. Dates are ``datetime.date``; an optional date field
that holds zeros in the file is ``None``. Text fields lose their trailing blanks.

Field positions live in :mod:`.layouts`, the one definition the parser and the writer share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True, slots=True)
class DeliveryStart:
    """BS002 delivery start (leverance start), all delivery types."""

    data_supplier_cvr: str
    delivery_type: DeliveryType
    delivery_serial: str  # the idempotency key of an import (leveranceidentifikation)
    created: date


@dataclass(frozen=True, slots=True)
class DeliveryEnd:
    """BS992 delivery end (leverance slut): totals over the whole delivery."""

    data_supplier_cvr: str
    delivery_type: DeliveryType
    section_count: int
    count_042: int
    amount: int
    count_052: int
    count_022: int


@dataclass(frozen=True, slots=True)
class CollectionSectionStart:
    """BS012 section start in a 0601 delivery (sections 0112, 0113)."""

    pbs_number: str
    section: SectionCode
    debtor_group: str  # debitorgruppe
    data_supplier_id: str  # the data supplier's own id of the section (X15)
    section_date: date | None
    creditor_reg_no: str  # creditor's bank registration number (4 digits)
    creditor_account: str  # creditor's bank account (10 digits)
    main_text: str  # main text line on the debtor's payment overview (X60)


@dataclass(frozen=True, slots=True)
class SectionStart:
    """BS012 section start in a 0602 or 0603 delivery."""

    pbs_number: str
    section: SectionCode
    debtor_group: str
    data_supplier_id: str
    section_date: date


@dataclass(frozen=True, slots=True)
class SectionEnd:
    """BS092 section end (sektion slut): totals over one section."""

    pbs_number: str
    section: SectionCode
    debtor_group: str
    count_042: int
    amount: int
    count_052: int
    count_022: int


@dataclass(frozen=True, slots=True)
class Collection:
    """0601 BS042 collection (opkrævning), transaction 0280 (or 0283 replacement)."""

    pbs_number: str
    transaction_code: CollectionCode
    debtor_group: str
    customer_number: str  # kundenummer (X15)
    agreement_number: str  # aftalenummer; zeros for "BS total" creditors
    payment_date: date
    sign: Sign
    amount: int
    creditor_reference: str  # returned in 0602 (X30)


@dataclass(frozen=True, slots=True)
class TextLine:
    """0601 BS052 text line to the debtor (tekst til debitor), transaction 0241."""

    pbs_number: str
    record_number: int  # 1.. within the collection it follows
    debtor_group: str
    customer_number: str
    agreement_number: str
    text: str  # X60


@dataclass(frozen=True, slots=True)
class NameAddressLine:
    """0601 BS022 debtor name/address line (navn og adresse), transaction 0240, records 1-5."""

    pbs_number: str
    record_number: int  # 1-5
    debtor_group: str
    customer_number: str
    agreement_number: str
    line: str  # X35


@dataclass(frozen=True, slots=True)
class NameAddressPostcode:
    """0601 BS022 debtor postcode and country, transaction 0240, record 00009."""

    pbs_number: str
    debtor_group: str
    customer_number: str
    agreement_number: str
    postcode: str  # X4
    country: str  # ISO 3166 alpha-2; blank or "DK" for domestic


@dataclass(frozen=True, slots=True)
class AutomaticPayment:
    """0602 BS042 automatic payment (section 0211): transactions 0236, 0237, 0238, 0239."""

    pbs_number: str
    transaction_code: PaymentCode
    debtor_group: str
    customer_number: str  # as BS returns it: zero-padded to 15
    agreement_number: str
    payment_date: date
    sign: Sign
    amount: int
    creditor_reference: str
    actual_payment_date: date | None  # None for 0238, and for 0237 before the due date
    bookkeeping_date: date | None
    amount_paid: int


@dataclass(frozen=True, slots=True)
class SlipPayment:
    """0602 BS042 payment by slip (section 0215): transactions 0297 completed, 0299 charged back."""

    pbs_number: str
    transaction_code: SlipCode
    debtor_group: str
    customer_number: str
    slip_type: SlipType
    fee_code: int
    fee: int  # øre
    payment_date: date
    sign: Sign
    amount: int
    reference: str  # X9
    archive_reference: str  # X22
    actual_date: date | None  # the charge-back date for 0299
    bookkeeping_date: date | None
    amount_paid: int


@dataclass(frozen=True, slots=True)
class Mandate:
    """0603 BS042 mandate (betalingsaftale): transactions 0230-0234."""

    pbs_number: str
    transaction_code: MandateCode
    debtor_group: str
    customer_number: str
    agreement_number: str  # 999999999 for electronic slip agreements
    effective_date: date
    end_date: date | None  # may be up to 180 days ahead


SectionStartRecord = CollectionSectionStart | SectionStart
BodyRecord = (
    Collection
    | TextLine
    | NameAddressLine
    | NameAddressPostcode
    | AutomaticPayment
    | SlipPayment
    | Mandate
)
AnyRecord = DeliveryStart | DeliveryEnd | SectionStartRecord | SectionEnd | BodyRecord
# Body records that carry an amount counted in the BS092/BS992 sums.
AmountRecord = Collection | AutomaticPayment | SlipPayment
