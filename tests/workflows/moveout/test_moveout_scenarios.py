"""Move-out settlements worked by hand. Every expected figure is a literal; the comment beside it
shows the arithmetic. Amounts are øre (100 øre = 1 kr)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from ledger.types import MaintenanceScheme
from workflows.moveout import (
    Attachment,
    Bearer,
    GuaranteeVoidReason,
    OpenItem,
    OpenItemKind,
    OtherClaim,
    Repair,
    RepairCategory,
    Section,
    Settlement,
    SettlementInput,
    SettlementInputError,
    settle,
)

NORMAL, DAMAGE = RepairCategory.NORMAL, RepairCategory.DAMAGE
A, B = MaintenanceScheme.A, MaintenanceScheme.B

# 1 Jan 2020 → 30 Apr 2023: 3 years and 4 months = 40 full months.
START, END_40 = date(2020, 1, 1), date(2023, 4, 30)
INSPECTION = date(2023, 5, 3)
NOTICE_IN_TIME = date(2023, 5, 10)


def _input(**changes: object) -> SettlementInput:
    base = SettlementInput(
        tenancy_start=START,
        tenancy_end=END_40,
        maintenance_scheme=A,
        deposit_oere=0,
        inspection_date=INSPECTION,
        repair_notice_date=NOTICE_IN_TIME,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _lines(result: Settlement) -> list[tuple[str, int, str]]:
    return [(line.text, line.amount_oere, line.bearer.value) for line in result.lines]


def test_all_26_stk_2_scheme_a_after_40_months_tenant_pays_60_percent() -> None:
    result = settle(
        _input(
            deposit_oere=1_500_000,  # 15.000 kr
            open_items=(OpenItem("Husleje april 2023", 500_000, OpenItemKind.RENT),),
            repairs=(
                Repair("Maling af vægge og lofter", 2_000_000, NORMAL, 2_000_000),
                Repair("Ødelagt dør", 300_000, DAMAGE, 300_000),
            ),
        )
    )
    assert result.full_months == 40
    assert result.landlord_share == Fraction(40, 100)
    assert result.landlord_share_pct == 40.0
    assert result.normal_refurbishment_tenant_oere == 1_200_000  # 2.000.000 x 60 %
    assert result.damage_tenant_oere == 300_000  # damage in full (§ 25, stk. 4)
    assert result.claims_total_oere == 2_000_000  # 500.000 + 1.200.000 + 300.000
    assert result.deposit_applied_oere == 1_500_000  # the whole deposit
    assert result.guarantee_claim_oere == 0  # not municipally assigned
    assert result.tenant_owes_oere == 500_000  # 2.000.000 - 1.500.000
    assert result.refund_oere == 0
    assert _lines(result) == [
        ("Husleje april 2023", 500_000, "tenant"),
        ("Maling af vægge og lofter", 800_000, "landlord_share"),  # 40 %
        ("Maling af vægge og lofter", 1_200_000, "tenant"),
        ("Ødelagt dør", 300_000, "tenant"),
    ]


def test_all_27_scheme_b_charges_damage_but_no_normal_refurbishment() -> None:
    result = settle(
        _input(
            maintenance_scheme=B,
            deposit_oere=1_000_000,
            repairs=(
                Repair("Maling af vægge og lofter", 2_000_000, NORMAL, 2_000_000),
                Repair("Brændemærker i gulv", 450_000, DAMAGE, 450_000),
            ),
        )
    )
    assert result.landlord_share is None
    assert result.landlord_share_pct is None
    assert result.normal_refurbishment_tenant_oere == 0  # § 27: the maintenance account pays
    assert result.damage_tenant_oere == 450_000
    assert result.claims_total_oere == 450_000
    assert result.deposit_applied_oere == 450_000
    assert result.refund_oere == 550_000  # 1.000.000 - 450.000
    assert _lines(result) == [
        ("Maling af vægge og lofter", 2_000_000, "maintenance_account"),
        ("Brændemærker i gulv", 450_000, "tenant"),
    ]


def test_all_47_deposit_left_pays_attachments_first_registered_first() -> None:
    result = settle(
        _input(
            deposit_oere=2_000_000,
            open_items=(OpenItem("Husleje april 2023", 300_000, OpenItemKind.RENT),),
            repairs=(Repair("Knust rude", 200_000, DAMAGE, 200_000),),
            attachments=(  # given out of order: the later registration first
                Attachment("Inkasso ApS", 900_000, date(2022, 3, 1)),
                Attachment("SKAT", 800_000, date(2021, 11, 15)),
            ),
        )
    )
    assert result.claims_total_oere == 500_000  # 300.000 + 200.000
    assert result.deposit_applied_oere == 500_000
    paid = [(p.creditor, p.amount_oere, p.claimed_oere) for p in result.paid_to_attachments]
    assert paid == [
        ("SKAT", 800_000, 800_000),  # registered 15 Nov 2021: paid in full
        ("Inkasso ApS", 700_000, 900_000),  # 2.000.000 - 500.000 - 800.000 = 700.000: partly
    ]
    assert result.refund_oere == 0


def test_all_47_indskudslaan_before_attachments_then_refund() -> None:
    result = settle(
        _input(
            deposit_oere=2_000_000,
            open_items=(OpenItem("Husleje april 2023", 500_000, OpenItemKind.RENT),),
            indskudslaan_oere=400_000,
            attachments=(Attachment("SKAT", 800_000, date(2021, 11, 15)),),
        )
    )
    assert result.deposit_applied_oere == 500_000
    assert result.paid_to_indskudslaan_oere == 400_000  # the municipality's loan first
    assert result.paid_to_attachments[0].amount_oere == 800_000
    assert result.refund_oere == 300_000  # 2.000.000 - 500.000 - 400.000 - 800.000


def test_attachment_reaches_only_the_debtors_share_of_the_deposit() -> None:
    result = settle(
        _input(
            deposit_oere=1_300_000,
            open_items=(OpenItem("Husleje april 2023", 300_000, OpenItemKind.RENT),),
            attachments=(
                Attachment("SKAT", 800_000, date(2021, 1, 4), "Anna", Fraction(1, 2)),
                Attachment("Bank A/S", 100_000, date(2022, 1, 4), "Anna", Fraction(1, 2)),
                Attachment("Inkasso ApS", 200_000, date(2021, 6, 1), "Bo", Fraction(1, 2)),
            ),
        )
    )
    # Left after the claims: 1.300.000 - 300.000 = 1.000.000; each tenant's half is 500.000.
    paid = [(p.creditor, p.amount_oere) for p in result.paid_to_attachments]
    assert paid == [
        ("SKAT", 500_000),  # Anna's half, all of it
        ("Inkasso ApS", 200_000),  # Bo's creditor, in full
        ("Bank A/S", 0),  # Anna's half is used up
    ]
    assert result.refund_oere == 300_000  # 1.000.000 - 500.000 - 200.000


ARREARS = (
    OpenItem("Husleje feb.-apr. 2023", 1_200_000, OpenItemKind.RENT),
    OpenItem("A conto varme", 100_000, OpenItemKind.ACONTO),
    OpenItem("Antennebidrag", 20_000, OpenItemKind.ANTENNA),
)
LEGAL_COSTS = (OtherClaim("Retsafgift, fogedsag", 50_000),)
# 1 Jan 2021 → 30 Jun 2023: 30 full months, the landlord has taken over 30 %.
ASSIGNED = _input(
    tenancy_start=date(2021, 1, 1),
    tenancy_end=date(2023, 6, 30),
    inspection_date=date(2023, 7, 3),
    repair_notice_date=date(2023, 7, 10),
    deposit_oere=1_000_000,
    municipally_assigned=True,
    guarantee_applies=True,
    open_items=ARREARS,
    other_claims=LEGAL_COSTS,
    repairs=(
        Repair("Maling af vægge og lofter", 1_000_000, NORMAL, 1_000_000),
        Repair("Hul i væg", 400_000, DAMAGE, 400_000),
    ),
)


def test_abl_59_stk_1_arrears_eat_the_deposit_so_repairs_go_to_the_guarantee() -> None:
    result = settle(ASSIGNED)
    assert result.full_months == 30
    assert result.normal_refurbishment_tenant_oere == 700_000  # 1.000.000 x 70 %
    # Not guaranteed: 1.200.000 + 100.000 + 20.000 + 50.000 = 1.370.000
    # Repairs: 700.000 + 400.000 = 1.100.000; total 2.470.000
    assert result.claims_total_oere == 2_470_000
    assert result.deposit_applied_oere == 1_000_000  # all of it, to the arrears first
    assert result.guarantee_claim_oere == 1_100_000  # every repair, none of the arrears
    assert result.tenant_owes_oere == 370_000  # 1.370.000 - 1.000.000
    assert result.refund_oere == 0
    guaranteed = [line for line in result.lines if line.bearer is Bearer.GUARANTEE]
    assert {line.section for line in guaranteed} == {Section.REPAIR}
    assert [(line.text, line.amount_oere) for line in guaranteed] == [
        ("Maling af vægge og lofter", 700_000),
        ("Hul i væg", 400_000),
    ]


def test_abl_59_stk_1_deposit_left_after_arrears_covers_repairs_before_the_guarantee() -> None:
    result = settle(replace(ASSIGNED, deposit_oere=1_500_000))
    # 1.500.000 - 1.370.000 = 130.000 left for the repairs; 1.100.000 - 130.000 = 970.000
    assert result.deposit_applied_oere == 1_500_000
    assert result.guarantee_claim_oere == 970_000
    assert result.tenant_owes_oere == 0
    repair_lines = [_ for _ in _lines(result) if _[0] == "Maling af vægge og lofter"]
    assert repair_lines == [
        ("Maling af vægge og lofter", 300_000, "landlord_share"),
        ("Maling af vægge og lofter", 130_000, "tenant"),  # met by the deposit
        ("Maling af vægge og lofter", 570_000, "guarantee"),  # 700.000 - 130.000
    ]


@pytest.mark.parametrize(
    "reason", [GuaranteeVoidReason.INTERNAL_MOVE, GuaranteeVoidReason.HOUSEHOLD_MEMBER_CONTINUED]
)
def test_abl_59_stk_1_no_guarantee_after_internal_move_tenant_owes(
    reason: GuaranteeVoidReason,
) -> None:
    result = settle(replace(ASSIGNED, guarantee_applies=False, guarantee_void_reason=reason))
    assert result.claims_total_oere == 2_470_000
    assert result.deposit_applied_oere == 1_000_000
    assert result.guarantee_claim_oere == 0
    assert result.tenant_owes_oere == 1_470_000  # 2.470.000 - 1.000.000
    assert all(line.bearer is not Bearer.GUARANTEE for line in result.lines)
    assert any(reason.value in note for note in result.notes)


LATE = _input(
    inspection_date=date(2023, 5, 4),  # deadline 18 May 2023 (Kristi himmelfartsdag)
    repair_notice_date=date(2023, 5, 19),  # one day late; a holiday deadline does not move
    deposit_oere=1_000_000,
    open_items=(OpenItem("Husleje april 2023", 200_000, OpenItemKind.RENT),),
    repairs=(
        Repair("Maling af vægge og lofter", 2_000_000, NORMAL, 2_000_000),
        Repair("Ødelagt dør", 300_000, DAMAGE, 300_000),
    ),
)


def test_all_94_stk_2_late_notice_lapses_repairs() -> None:
    result = settle(LATE)
    assert result.repair_notice.lapsed
    assert result.repair_notice.deadline == date(2023, 5, 18)
    assert result.repairs_tenant_oere == 0
    assert result.claims_total_oere == 200_000  # only the rent: it does not lapse
    assert result.refund_oere == 800_000  # 1.000.000 - 200.000
    assert _lines(result) == [
        ("Husleje april 2023", 200_000, "tenant"),
        ("Maling af vægge og lofter", 800_000, "landlord_share"),  # 40 % was never the tenant's
        ("Maling af vægge og lofter", 1_200_000, "lapsed"),
        ("Ødelagt dør", 300_000, "lapsed"),
    ]


def test_all_94_stk_2_no_notice_at_all_lapses_repairs() -> None:
    result = settle(replace(LATE, repair_notice_date=None))
    assert result.repair_notice.lapsed
    assert result.claims_total_oere == 200_000


def test_all_94_stk_2_late_notice_without_new_address_keeps_repairs() -> None:
    result = settle(replace(LATE, tenant_left_no_address=True))
    assert not result.repair_notice.lapsed
    assert result.repairs_tenant_oere == 1_500_000  # 1.200.000 + 300.000
    assert result.claims_total_oere == 1_700_000  # + 200.000 rent
    assert result.tenant_owes_oere == 700_000  # 1.700.000 - 1.000.000


def test_all_94_stk_2_cap_applies_to_the_tenants_total_not_per_item() -> None:
    result = settle(
        _input(
            deposit_oere=3_000_000,
            repairs=(
                # tenant's 60 %: final 1.500.000, notified 1.200.000 (+25 % on this item)
                Repair("Maling af vægge og lofter", 2_500_000, NORMAL, 2_000_000),
                Repair("Ødelagt dør", 500_000, DAMAGE, 500_000),
                Repair("Rengøring af ovn", 300_000, DAMAGE),  # price known: 300.000 notified
            ),
        )
    )
    # Notified total 1.200.000 + 500.000 + 300.000 = 2.000.000; cap 2.200.000.
    # Final total 1.500.000 + 500.000 + 300.000 = 2.300.000; 100.000 is not the tenant's.
    assert result.repairs_overrun_oere == 100_000
    assert result.normal_refurbishment_tenant_oere == 1_400_000  # per item would be 1.320.000
    assert result.claims_total_oere == 2_200_000
    assert result.refund_oere == 800_000  # 3.000.000 - 2.200.000
    assert ("Maling af vægge og lofter", 100_000, "landlord") in _lines(result)


def test_all_94_stk_2_exactly_10_percent_over_is_the_tenants() -> None:
    at_cap = settle(_input(repairs=(Repair("Ødelagt dør", 1_100_000, DAMAGE, 1_000_000),)))
    assert at_cap.repairs_overrun_oere == 0
    assert at_cap.claims_total_oere == 1_100_000  # 1.000.000 + 10 %
    one_over = settle(_input(repairs=(Repair("Ødelagt dør", 1_100_001, DAMAGE, 1_000_000),)))
    assert one_over.repairs_overrun_oere == 1
    assert one_over.claims_total_oere == 1_100_000


def test_all_26_stk_2_takeover_beyond_10_years_is_capped_at_the_whole() -> None:
    result = settle(
        _input(
            tenancy_start=date(2010, 1, 1),
            tenancy_end=date(2023, 12, 31),  # 14 years = 168 months > 100
            inspection_date=date(2024, 1, 3),
            repair_notice_date=date(2024, 1, 10),
            deposit_oere=1_000_000,
            repairs=(
                Repair("Maling af vægge og lofter", 2_000_000, NORMAL, 2_000_000),
                Repair("Hul i dør", 150_000, DAMAGE, 150_000),
            ),
        )
    )
    assert result.full_months == 168
    assert result.landlord_share == 1  # min(168, 100) / 100
    assert result.normal_refurbishment_tenant_oere == 0
    assert result.claims_total_oere == 150_000  # damage is still the tenant's
    assert result.refund_oere == 850_000


def test_all_26_stk_2_takeover_period_over_10_years_is_rejected() -> None:
    with pytest.raises(SettlementInputError) as caught:
        settle(_input(takeover_months=121))
    assert [error.key for error in caught.value.errors] == ["takeover_months"]


def test_heat_credit_is_set_off_against_arrears() -> None:
    result = settle(
        _input(
            deposit_oere=500_000,
            open_items=(
                OpenItem("Husleje april 2023", 300_000, OpenItemKind.RENT),
                OpenItem("Varmeregnskab 2022/23", -450_000, OpenItemKind.UTILITY_SETTLEMENT),
            ),
            repairs=(Repair("Hul i dør", 100_000, DAMAGE, 100_000),),
            attachments=(Attachment("SKAT", 900_000, date(2022, 1, 1)),),
        )
    )
    # Net open items 300.000 - 450.000 = -150.000: a credit; it meets the 100.000 repair and
    # 50.000 is left for the tenant, paid apart from the deposit (udlæg cannot reach it).
    assert result.claims_total_oere == 0
    assert result.credit_refund_oere == 50_000
    assert result.deposit_applied_oere == 0
    assert result.paid_to_attachments[0].amount_oere == 500_000  # the whole deposit
    assert result.refund_oere == 0
