"""Move-out letter facts for the tests: the household of ``tests/workflows/moveout`` in Aarhus.

Tenancy 1 March 2023 - 31 March 2026 (37 full months, scheme A), keys back Friday 3 April,
inspection Tuesday 14 April, repair notice Monday 20 April, settled Sunday 10 May 2026.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

from ledger.types import MaintenanceScheme
from workflows.moveout.deadlines import LetterChannel, MoveoutCause
from workflows.moveout.documents import (
    CaseFacts,
    NoticeItem,
    OrganisationFacts,
    Party,
    RepairNoticeFacts,
    StatementFacts,
    repair_splits,
)
from workflows.moveout.model import (
    Attachment,
    OpenItem,
    OpenItemKind,
    OtherClaim,
    Repair,
    RepairCategory,
    SettlementInput,
)
from workflows.moveout.settlement import settle

ORGANISATION = OrganisationFacts(
    name="Boligforeningen Østjylland",
    address="Søndergade 14",
    postcode="8000",
    city="Aarhus C",
    cvr="12345678",
    phone="70 12 34 56",
    email="udlejning@boligostjylland.dk",
    payment_details="reg.nr. 1234 konto 0001234567",
)
HOME = Party(("Anna Sørensen",), "Vestergade 12, 2. tv.", "8000", "Aarhus C")
NEW_ADDRESS = Party(("Anna Sørensen",), "Nørregade 3, 1. th.", "8200", "Aarhus N")

CASE = CaseFacts(
    case_id=7,
    reference="F-00007",
    unit_number="12-034",
    unit_kind="familie",
    home=HOME,
    recipient=NEW_ADDRESS,
    deceased=False,
    tenancy_start=date(2023, 3, 1),
    end_date=date(2026, 3, 31),
    cause=MoveoutCause.NOTICE,
    maintenance_scheme=MaintenanceScheme.A,
    takeover_months=100,
    municipally_assigned=True,
    guarantee_void_reason=None,
    municipality_code=751,
    municipality_name="Aarhus",
    deposit_kind="indskud",
    learned_on=date(2026, 4, 3),
    inspection_held_on=date(2026, 4, 14),
    repair_notice_arrived_on=date(2026, 4, 20),
    channel=LetterChannel.DIGITAL_POST,
    left_no_address=False,
)

NOTICE = RepairNoticeFacts(
    organisation=ORGANISATION,
    case=CASE,
    notice_date=date(2026, 4, 20),
    deadline=date(2026, 4, 28),
    items=(
        NoticeItem(1, "Maling af vægge og lofter", RepairCategory.NORMAL, 2_000_000, 1_260_000),
        NoticeItem(2, "Ødelagt køkkenlåge", RepairCategory.DAMAGE, 300_000, 300_000),
    ),
    full_months=37,
    landlord_share=Fraction(37, 100),
)

INPUT = SettlementInput(
    tenancy_start=date(2023, 3, 1),
    tenancy_end=date(2026, 3, 31),
    maintenance_scheme=MaintenanceScheme.A,
    deposit_oere=2_000_000,
    municipally_assigned=True,
    guarantee_applies=True,
    open_items=(OpenItem("Husleje marts 2026", 650_000, OpenItemKind.RENT),),
    repairs=(
        Repair("Maling af vægge og lofter", 2_100_000, RepairCategory.NORMAL, 2_000_000),
        Repair("Ødelagt køkkenlåge", 300_000, RepairCategory.DAMAGE, 300_000),
    ),
    inspection_date=date(2026, 4, 14),
    repair_notice_date=date(2026, 4, 20),
)


def statement(inp: SettlementInput = INPUT, **changes: object) -> StatementFacts:
    result = settle(inp)
    facts = StatementFacts(
        organisation=ORGANISATION,
        case=CASE,
        document_date=date(2026, 5, 11),
        settlement_id=3,
        settled_on=date(2026, 5, 10),
        input=inp,
        settlement=result,
        repairs=repair_splits(inp, result),
    )
    return replace(facts, **changes)  # type: ignore[arg-type]


# A tenant who gets money back: rent paid, a heat credit, a carpet cleaning claim, a
# beboerindskudslån and two udlæg, first come first served.
REFUND_INPUT = replace(
    INPUT,
    deposit_oere=4_000_000,
    municipally_assigned=False,
    guarantee_applies=False,
    open_items=(
        OpenItem(
            "Varmeregnskab 2025/26, tilgodehavende", -120_000, OpenItemKind.UTILITY_SETTLEMENT
        ),
    ),
    other_claims=(OtherClaim("Rensning af tæppe", 50_000),),
    indskudslaan_oere=200_000,
    attachments=(
        Attachment("Gældsstyrelsen", 100_000, date(2026, 4, 1)),
        Attachment("Bank A/S", 900_000, date(2026, 4, 15)),
    ),
)
