"""Properties of the move-out settlement over generated inputs (hypothesis).

Each property is checked against the *outputs* and a small reference computation written
independently here, not against the code's own assertions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.types import MaintenanceScheme
from workflows.moveout import (
    Attachment,
    Bearer,
    OpenItem,
    OpenItemKind,
    OtherClaim,
    Repair,
    RepairCategory,
    Section,
    Settlement,
    SettlementInput,
    settle,
    settlement_from_json,
)
from workflows.moveout.rules import full_months


def _repairs(draw: st.DrawFn) -> tuple[Repair, ...]:
    count = draw(st.integers(min_value=0, max_value=5))
    return tuple(
        Repair(
            f"R{i}",  # unique texts, so lines can be traced back to their repair
            draw(st.integers(min_value=0, max_value=3_000_000)),
            draw(st.sampled_from(RepairCategory)),
            draw(st.none() | st.integers(min_value=0, max_value=3_000_000)),
        )
        for i in range(count)
    )


def _attachments(draw: st.DrawFn) -> tuple[Attachment, ...]:
    share_a = draw(st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(1, 3), Fraction(2, 3)]))
    shares = {"a": share_a, "b": 1 - share_a}
    debtors = ["a"] if share_a == 1 else ["a", "b"]
    count = draw(st.integers(min_value=0, max_value=4))
    result = []
    for i in range(count):
        debtor = draw(st.sampled_from(debtors))
        result.append(
            Attachment(
                f"C{i}",
                draw(st.integers(min_value=1, max_value=2_000_000)),
                draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2025, 12, 31))),
                debtor,
                shares[debtor],
            )
        )
    return tuple(result)


@st.composite
def settlement_inputs(draw: st.DrawFn) -> SettlementInput:
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
    end = start + timedelta(days=draw(st.integers(min_value=0, max_value=6000)))
    repairs = _repairs(draw)
    inspection = end + timedelta(days=draw(st.integers(min_value=-14, max_value=20)))
    notice_delay = draw(st.none() | st.integers(min_value=0, max_value=30))
    assigned = draw(st.booleans())
    open_items = tuple(
        OpenItem(
            f"O{i}", draw(st.integers(-500_000, 2_000_000)), draw(st.sampled_from(OpenItemKind))
        )
        for i in range(draw(st.integers(min_value=0, max_value=4)))
    )
    others = tuple(
        OtherClaim(f"X{i}", draw(st.integers(0, 500_000)))
        for i in range(draw(st.integers(min_value=0, max_value=2)))
    )
    return SettlementInput(
        tenancy_start=start,
        tenancy_end=end,
        maintenance_scheme=draw(st.sampled_from(MaintenanceScheme)),
        deposit_oere=draw(st.integers(min_value=0, max_value=5_000_000)),
        takeover_months=draw(st.integers(min_value=1, max_value=120)),
        municipally_assigned=assigned,
        guarantee_applies=assigned and draw(st.booleans()),
        open_items=open_items,
        repairs=repairs,
        other_claims=others,
        indskudslaan_oere=draw(st.integers(min_value=0, max_value=1_000_000)),
        attachments=_attachments(draw),
        inspection_date=inspection if bool(repairs) or draw(st.booleans()) else None,
        repair_notice_date=(
            None if notice_delay is None or not repairs else inspection + timedelta(notice_delay)
        ),
        tenant_left_no_address=draw(st.booleans()),
    )


def _by_bearer(result: Settlement) -> dict[Bearer, int]:
    totals: dict[Bearer, int] = defaultdict(int)
    for line in result.lines:
        totals[line.bearer] += line.amount_oere
    return totals


def _reference_repairs_tenant(inp: SettlementInput) -> int:
    """The tenant's repairs, computed directly from the law's wording."""
    if not inp.repairs:
        return 0
    assert inp.inspection_date is not None
    deadline = inp.inspection_date + timedelta(days=14)
    in_time = inp.repair_notice_date is not None and inp.repair_notice_date <= deadline
    if not in_time and not inp.tenant_left_no_address:
        return 0
    months = full_months(inp.tenancy_start, inp.tenancy_end)
    left = Fraction(inp.takeover_months - min(months, inp.takeover_months), inp.takeover_months)

    def tenant(amount: int, category: RepairCategory) -> int:
        if category is RepairCategory.DAMAGE:
            return amount
        if inp.maintenance_scheme is MaintenanceScheme.B:
            return 0
        return int(amount * left)  # floor for non-negative amounts

    final = sum(tenant(r.amount_oere, r.category) for r in inp.repairs)
    notified = sum(
        tenant(r.amount_oere if r.estimate_oere is None else r.estimate_oere, r.category)
        for r in inp.repairs
    )
    return min(final, notified * 110 // 100)


@settings(max_examples=400)
@given(settlement_inputs())
def test_amounts_balance_and_are_never_negative(inp: SettlementInput) -> None:
    s = settle(inp)
    attachments = sum(p.amount_oere for p in s.paid_to_attachments)
    assert s.deposit_applied_oere + s.paid_to_indskudslaan_oere + attachments + s.refund_oere == (
        inp.deposit_oere
    )
    met = s.deposit_applied_oere + s.guarantee_claim_oere + s.tenant_owes_oere
    assert s.claims_total_oere == met
    for amount in (
        s.claims_total_oere,
        s.deposit_applied_oere,
        s.guarantee_claim_oere,
        s.tenant_owes_oere,
        s.refund_oere,
        s.credit_refund_oere,
        s.paid_to_indskudslaan_oere,
        *(p.amount_oere for p in s.paid_to_attachments),
    ):
        assert amount >= 0


@settings(max_examples=400)
@given(settlement_inputs())
def test_matches_the_reference_order_of_set_off(inp: SettlementInput) -> None:
    """Deposit to the non-guaranteed claims first, then repairs; the guarantee takes the rest
    of the repairs (ALL § 47, stk. 2; ABL § 59, stk. 1; seed 003)."""
    s = settle(inp)
    repairs = _reference_repairs_tenant(inp)
    assert s.repairs_tenant_oere == repairs
    non_guaranteed = sum(i.amount_oere for i in inp.open_items) + sum(
        c.amount_oere for c in inp.other_claims
    )
    net = non_guaranteed + repairs
    assert s.claims_total_oere == max(0, net)
    assert s.credit_refund_oere == max(0, -net)
    assert s.deposit_applied_oere == min(inp.deposit_oere, s.claims_total_oere)
    repairs_due = max(0, repairs - max(0, -non_guaranteed))
    deposit_for_repairs = max(0, inp.deposit_oere - max(0, non_guaranteed))
    uncovered_repairs = max(0, repairs_due - deposit_for_repairs)
    expected_guarantee = uncovered_repairs if inp.guarantee_applies else 0
    assert s.guarantee_claim_oere == expected_guarantee


@settings(max_examples=400)
@given(settlement_inputs())
def test_guarantee_never_covers_open_items_or_other_claims(inp: SettlementInput) -> None:
    s = settle(inp)
    totals = _by_bearer(s)
    assert totals[Bearer.GUARANTEE] == s.guarantee_claim_oere
    for line in s.lines:
        if line.section is not Section.REPAIR:
            assert line.bearer is Bearer.TENANT
    if not (inp.municipally_assigned and inp.guarantee_applies):
        assert s.guarantee_claim_oere == 0
    assert s.guarantee_claim_oere <= s.repairs_tenant_oere


@settings(max_examples=400)
@given(settlement_inputs())
def test_nothing_is_paid_or_counted_twice(inp: SettlementInput) -> None:
    s = settle(inp)
    per_text: dict[str, int] = defaultdict(int)
    for line in s.lines:
        per_text[line.text] += line.amount_oere
    items: list[OpenItem | OtherClaim | Repair] = [*inp.open_items, *inp.other_claims, *inp.repairs]
    for item in items:
        assert per_text.pop(item.text) == item.amount_oere
    assert not per_text, "a line belongs to no input item"
    totals = _by_bearer(s)
    assert totals[Bearer.TENANT] + totals[Bearer.GUARANTEE] == (
        s.claims_total_oere - s.credit_refund_oere
    )
    assert s.refund_oere == 0 or s.tenant_owes_oere == 0
    assert s.claims_total_oere == 0 or s.credit_refund_oere == 0


@settings(max_examples=400)
@given(settlement_inputs())
def test_lapsed_repairs_are_nobodys(inp: SettlementInput) -> None:
    s = settle(inp)
    if s.repair_notice.lapsed:
        assert s.repairs_tenant_oere == 0
        repair_lines = [line for line in s.lines if line.section is Section.REPAIR]
        assert all(
            line.bearer not in (Bearer.TENANT, Bearer.GUARANTEE) or line.amount_oere == 0
            for line in repair_lines
        )


@settings(max_examples=400)
@given(settlement_inputs())
def test_attachments_first_come_first_served_within_the_debtors_share(inp: SettlementInput) -> None:
    s = settle(inp)
    available = inp.deposit_oere - s.deposit_applied_oere - s.paid_to_indskudslaan_oere
    assert s.paid_to_indskudslaan_oere == min(
        inp.indskudslaan_oere, inp.deposit_oere - s.deposit_applied_oere
    )
    dates = [p.registered_on for p in s.paid_to_attachments]
    assert dates == sorted(dates)
    shares = {a.debtor: a.debtor_share for a in inp.attachments}
    paid_by_debtor: dict[str, int] = defaultdict(int)
    short_seen: set[str] = set()
    for payment in s.paid_to_attachments:
        if payment.debtor in short_seen:  # an earlier udlæg on this debtor was not paid in full
            assert payment.amount_oere == 0
        if payment.amount_oere < payment.claimed_oere:
            short_seen.add(payment.debtor)
        paid_by_debtor[payment.debtor] += payment.amount_oere
    for debtor, paid in paid_by_debtor.items():
        assert paid <= available * shares[debtor]
        if debtor in short_seen:  # cut short only because the share ran out
            assert available * shares[debtor] - paid < 1


@settings(max_examples=200)
@given(settlement_inputs(), st.integers(min_value=1, max_value=2_000_000))
def test_more_deposit_never_raises_the_tenants_debt_or_the_guarantee(
    inp: SettlementInput, extra: int
) -> None:
    before, after = settle(inp), settle(replace(inp, deposit_oere=inp.deposit_oere + extra))
    assert after.tenant_owes_oere <= before.tenant_owes_oere
    assert after.guarantee_claim_oere <= before.guarantee_claim_oere
    assert after.claims_total_oere == before.claims_total_oere


def _to_json(inp: SettlementInput) -> dict[str, Any]:
    def day(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "tenancy_start": day(inp.tenancy_start),
        "tenancy_end": day(inp.tenancy_end),
        "maintenance_scheme": inp.maintenance_scheme.value,
        "takeover_months": inp.takeover_months,
        "deposit_oere": inp.deposit_oere,
        "municipally_assigned": inp.municipally_assigned,
        "guarantee_applies": inp.guarantee_applies,
        "open_items": [
            {"text": i.text, "amount_oere": i.amount_oere, "kind": i.kind.value}
            for i in inp.open_items
        ],
        "repairs": [
            {"text": r.text, "amount_oere": r.amount_oere, "category": r.category.value}
            | ({} if r.estimate_oere is None else {"estimate_oere": r.estimate_oere})
            for r in inp.repairs
        ],
        "other_claims": [{"text": c.text, "amount_oere": c.amount_oere} for c in inp.other_claims],
        "indskudslaan_oere": inp.indskudslaan_oere,
        "attachments": [
            {
                "creditor": a.creditor,
                "amount_oere": a.amount_oere,
                "registered_on": day(a.registered_on),
                "debtor": a.debtor,
                "debtor_share": str(a.debtor_share),
            }
            for a in inp.attachments
        ],
        "inspection_date": day(inp.inspection_date),
        "repair_notice_date": day(inp.repair_notice_date),
        "tenant_left_no_address": inp.tenant_left_no_address,
    }


@settings(max_examples=200)
@given(settlement_inputs())
def test_json_input_round_trips(inp: SettlementInput) -> None:
    assert settlement_from_json(_to_json(inp)) == inp
