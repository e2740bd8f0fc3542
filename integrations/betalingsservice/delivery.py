"""A whole delivery (leverance): its start data and its sections of typed records.

The trailer records (BS092, BS992) are not stored: the writer computes them from the records,
and the parser checks them against the records. The one figure that cannot be computed is the
0602 section amount, which BS reports gross, before rejections; it is kept as
:attr:`Section.gross_amount`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from .codes import DeliveryType, SectionCode
from .records import BodyRecord, SectionStartRecord


@dataclass(frozen=True, slots=True)
class Section:
    """A section (sektion): its BS012 start record and its body records in file order.

    ``gross_amount`` is the amount of the 0602 BS092 section end as BS reported it (the gross sum
    before rejections, not checked against the records). It is ``None`` in 0601 and 0603, whose
    BS092 amount must equal the sum of the records.
    """

    start: SectionStartRecord
    records: tuple[BodyRecord, ...]
    gross_amount: int | None = None

    @property
    def code(self) -> SectionCode:
        """Section type (sektionstype)."""
        return self.start.section

    @property
    def pbs_number(self) -> str:
        """The creditor's PBS number."""
        return self.start.pbs_number

    @property
    def debtor_group(self) -> str:
        """Debtor group (debitorgruppe)."""
        return self.start.debtor_group


@dataclass(frozen=True, slots=True)
class Delivery:
    """A Betalingsservice delivery: BS002 data and its sections.

    ``delivery_serial`` identifies the delivery (ours in 0601, BS's in 0602/0603): an importer
    uses it as its idempotency key.
    """

    delivery_type: DeliveryType
    data_supplier_cvr: str
    delivery_serial: str
    created: date
    sections: tuple[Section, ...]

    def records(self) -> Iterator[BodyRecord]:
        """Every body record of every section, in file order."""
        for section in self.sections:
            yield from section.records
