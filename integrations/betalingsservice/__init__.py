"""Betalingsservice (BS, Danish direct debit) deliveries: the pure record layer.

Read a file with :func:`parse`, write one with :func:`write`, build outgoing collections with
:func:`build_collection_delivery`. No database, no I/O: bytes in, bytes out. See README.md in
this package for the design and the readings of the format it had to choose.
"""

from __future__ import annotations

from .builders import (
    CollectionRequest,
    build_collection_delivery,
    build_mandate_delivery,
    build_payment_delivery,
)
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
from .delivery import Delivery, Section
from .errors import BsError, BsFormatError, BsWriteError, Issue
from .parser import parse
from .records import (
    AutomaticPayment,
    BodyRecord,
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
from .writer import write

__all__ = [
    "AutomaticPayment",
    "BodyRecord",
    "BsError",
    "BsFormatError",
    "BsWriteError",
    "Collection",
    "CollectionCode",
    "CollectionRequest",
    "CollectionSectionStart",
    "Delivery",
    "DeliveryEnd",
    "DeliveryStart",
    "DeliveryType",
    "Issue",
    "Mandate",
    "MandateCode",
    "NameAddressLine",
    "NameAddressPostcode",
    "PaymentCode",
    "Section",
    "SectionCode",
    "SectionEnd",
    "SectionStart",
    "Sign",
    "SlipCode",
    "SlipPayment",
    "SlipType",
    "TextLine",
    "build_collection_delivery",
    "build_mandate_delivery",
    "build_payment_delivery",
    "parse",
    "write",
]
