"""Code lists of Betalingsservice (BS) deliveries: delivery types, sections, transaction codes.

Each enum member's value is the code exactly as it stands in the file (``"0236"``), except
:class:`Sign`, an ``IntEnum`` whose one-digit value is the sign code.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class DeliveryType(StrEnum):
    """Delivery type (leverancetype), positions 17-20 of BS002 and BS992."""

    COLLECTION = "0601"  # organisation -> BS: collection data (betalingsdata)
    PAYMENT_INFORMATION = "0602"  # BS -> organisation: payment information (betalingsoplysninger)
    MANDATE_INFORMATION = "0603"  # BS -> organisation: mandates (aftaleoplysninger)


class SectionCode(StrEnum):
    """Section type (sektionstype), positions 14-17 of BS012 and BS092.

    Only the sections this integration reads or writes are listed; any other code is refused.
    """

    COLLECTIONS = "0112"  # 0601: collections (opkrævninger)
    REPLACEMENT_COLLECTIONS = "0113"  # 0601: replacement collections (erstatningsopkrævninger)
    ACTIVE_MANDATES = "0210"  # 0603: active mandates (aktive betalingsaftaler)
    AUTOMATIC_PAYMENTS = "0211"  # 0602: automatic payments (automatiske betalinger)
    MANDATE_CHANGES = "0212"  # 0603: registered and cancelled mandates (til- og afmeldte)
    SLIP_PAYMENTS = "0215"  # 0602: payments by slip (betalinger med indbetalingskort)
    ACTIVE_SLIP_AGREEMENTS = "0219"  # 0603: active electronic slip agreements


class Sign(IntEnum):
    """Sign code (fortegnskode) beside an unsigned amount."""

    NO_AMOUNT = 0
    WITHDRAWAL = 1  # from the debtor to the creditor (træk)
    DEPOSIT = 2  # to the debtor (indsættelse)


class CollectionCode(StrEnum):
    """0601 transaction codes of BS042 collection records."""

    COLLECTION = "0280"  # section 0112
    REPLACEMENT = "0283"  # section 0113


class PaymentCode(StrEnum):
    """0602 section 0211 transaction codes (automatic payments)."""

    COMPLETED = "0236"  # gennemført: provisional until the charge-back window has passed
    REJECTED = "0237"  # afvist
    CANCELLED = "0238"  # afmeldt by the debtor
    CHARGED_BACK = "0239"  # tilbageført


class SlipCode(StrEnum):
    """0602 section 0215 transaction codes (payment slips, indbetalingskort)."""

    COMPLETED = "0297"
    CHARGED_BACK = "0299"


class SlipType(StrEnum):
    """Payment slip type (kortart) in 0602 section 0215."""

    FI_71 = "71"
    FI_73 = "73"
    FI_75 = "75"


class MandateCode(StrEnum):
    """0603 transaction codes: mandates (betalingsaftaler)."""

    ACTIVE = "0230"
    REGISTERED = "0231"  # tilmeldt
    CANCELLED_BY_BANK = "0232"  # afmeldt af pengeinstitut
    CANCELLED_BY_CREDITOR = "0233"  # afmeldt af kreditor
    CANCELLED_BY_BS = "0234"  # afmeldt af Betalingsservice


# The agreement number 0603 gives electronic slip agreements (section 0219).
ELECTRONIC_SLIP_AGREEMENT = "999999999"
