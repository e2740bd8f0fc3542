"""Test support for the Betalingsservice record layer: JSON view, ruler, spec positions.

``SPEC_POSITIONS`` is transcribed from ``docs/betalingsservice.md`` by hand, independently of
``integrations/betalingsservice/layouts.py``: the golden tests read every field of every golden
record at these positions and compare with what the parser returned, so a wrong position in the
layouts (or in a golden file) shows up as a mismatch instead of being echoed.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import Enum
from typing import Any

from integrations.betalingsservice import Delivery


def to_jsonable(delivery: Delivery) -> dict[str, Any]:
    """A JSON view of a delivery: records tagged with their class, dates ISO, codes as text."""
    return {
        "delivery_type": delivery.delivery_type.value,
        "data_supplier_cvr": delivery.data_supplier_cvr,
        "delivery_serial": delivery.delivery_serial,
        "created": delivery.created.isoformat(),
        "sections": [
            {
                "start": _record(section.start),
                "gross_amount": section.gross_amount,
                "records": [_record(record) for record in section.records],
            }
            for section in delivery.sections
        ],
    }


def _record(record: Any) -> dict[str, Any]:
    values = {f.name: _value(getattr(record, f.name)) for f in dataclasses.fields(record)}
    return {"record": type(record).__name__, **values}


def _value(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def ruler(lines: list[str]) -> str:
    """Lines under a 1-based column ruler, for failure messages and eyes."""
    tens = "".join(str(i // 10 % 10) if i % 10 == 0 else " " for i in range(1, 129))
    ones = "".join(str(i % 10) for i in range(1, 129))
    body = [f"{n:4d} |{line}|" for n, line in enumerate(lines, 1)]
    return "\n".join([f"      {tens}", f"      {ones}", *body])


# (first, last) 1-based inclusive positions per record class and attribute, from the doc.
_0602_PAYMENT = {
    "pbs_number": (6, 13), "transaction_code": (14, 17), "debtor_group": (21, 25),
    "customer_number": (26, 40), "agreement_number": (41, 49), "payment_date": (50, 55),
    "sign": (56, 56), "amount": (57, 69), "creditor_reference": (70, 99),
    "actual_payment_date": (104, 109), "bookkeeping_date": (110, 115), "amount_paid": (116, 128),
}  # fmt: skip
SPEC_POSITIONS: dict[str, dict[str, tuple[int, int]]] = {
    "CollectionSectionStart": {
        "pbs_number": (6, 13), "section": (14, 17), "debtor_group": (23, 27),
        "data_supplier_id": (28, 42), "section_date": (47, 54), "creditor_reg_no": (55, 58),
        "creditor_account": (59, 68), "main_text": (69, 128),
    },
    "SectionStart": {
        "pbs_number": (6, 13), "section": (14, 17), "debtor_group": (21, 25),
        "data_supplier_id": (26, 40), "section_date": (50, 55),
    },
    "Collection": {
        "pbs_number": (6, 13), "transaction_code": (14, 17), "debtor_group": (23, 27),
        "customer_number": (28, 42), "agreement_number": (43, 51), "payment_date": (52, 59),
        "sign": (60, 60), "amount": (61, 73), "creditor_reference": (74, 103),
    },
    "TextLine": {
        "pbs_number": (6, 13), "record_number": (18, 22), "debtor_group": (23, 27),
        "customer_number": (28, 42), "agreement_number": (43, 51), "text": (53, 112),
    },
    "NameAddressLine": {
        "pbs_number": (6, 13), "record_number": (18, 22), "debtor_group": (23, 27),
        "customer_number": (28, 42), "agreement_number": (43, 51), "line": (52, 86),
    },
    "NameAddressPostcode": {
        "pbs_number": (6, 13), "debtor_group": (23, 27), "customer_number": (28, 42),
        "agreement_number": (43, 51), "postcode": (67, 70), "country": (71, 72),
    },
    "AutomaticPayment": _0602_PAYMENT,
    "SlipPayment": {
        "pbs_number": (6, 13), "transaction_code": (14, 17), "debtor_group": (21, 25),
        "customer_number": (30, 44), "slip_type": (45, 46), "fee_code": (47, 47),
        "fee": (48, 52), "payment_date": (53, 58), "sign": (59, 59), "amount": (60, 72),
        "reference": (73, 81), "archive_reference": (82, 103), "actual_date": (104, 109),
        "bookkeeping_date": (110, 115), "amount_paid": (116, 128),
    },
    "Mandate": {
        "pbs_number": (6, 13), "transaction_code": (14, 17), "debtor_group": (21, 25),
        "customer_number": (26, 40), "agreement_number": (41, 49), "effective_date": (50, 55),
        "end_date": (56, 61),
    },
}  # fmt: skip
# Start and end of delivery, and the totals of section ends, from the doc.
SPEC_BS002 = {"data_supplier_cvr": (6, 13), "delivery_type": (17, 20),
              "delivery_serial": (21, 30), "created": (50, 55)}  # fmt: skip
SPEC_TOTALS = {"count_042": (32, 42), "amount": (43, 57), "count_052": (58, 68),
               "count_022": (84, 94)}  # fmt: skip


def spec_text(value: object, raw_width: int) -> str:
    """How the doc says a parsed value stands in the file (independent of the package)."""
    if value is None:
        return "0" * raw_width
    if isinstance(value, bool):
        raise TypeError("no booleans in records")
    if isinstance(value, int):
        return f"{value:0{raw_width}d}"
    assert isinstance(value, str)
    if len(value) == 10 and value[4] == "-" and value[7] == "-":  # ISO date from the JSON view
        year, month, day = value.split("-")
        return f"{day}{month}{year[-2:] if raw_width == 6 else year}"
    return value.ljust(raw_width)
