"""The move-out settlement (flytteopgørelse) as one pure function: ``settle``.

Steps, each with its paragraph:

1. Repairs (istandsættelse). Damage (misligholdelse) is the tenant's in full (ALL § 25, stk. 4).
   Normal refurbishment: scheme A, the tenant pays what the landlord has not taken over
   (§ 26, stk. 2); scheme B, nothing (§ 27). A written notice not given within 2 weeks after the
   inspection makes the repair claim lapse, unless the tenant left no new address; final costs
   that raise the tenant's *total* share of the estimate by more than 10 % are cut to that cap
   (§ 94, stk. 2).
2. Claims. Open ledger items (credits included) and other claims are netted: they are the
   claims the municipal guarantee never covers. A net credit is set off against the repairs;
   what is still left is paid to the tenant apart from the deposit.
3. The deposit (indskud/depositum) is set off against those claims first, then against the
   repairs (ALL § 47, stk. 2; seed 003: no agreement can change this order). For a municipally
   assigned tenant whose guarantee applies, repairs the deposit does not cover are claimed from
   the municipality (ABL § 59, stk. 1; § 63, stk. 3); everything else uncovered is the tenant's
   debt.
4. The rest of the deposit pays the beboerindskudslån, then udlæg, then goes to the tenant
   (``deposit.distribute_rest``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from ledger.types import MaintenanceScheme
from workflows.moveout.deposit import distribute_rest
from workflows.moveout.model import (
    Bearer,
    RepairCategory,
    RepairNoticeDecision,
    Section,
    Settlement,
    SettlementInput,
    StatementLine,
)
from workflows.moveout.rules import (
    full_months,
    guarantee_covers,
    landlord_share,
    overrun_cap,
    repair_notice_decision,
    repair_share_for_tenant,
    split_proportionally,
)
from workflows.moveout.validation import SettlementInputError, check_input

BASIS_SET_OFF = "ALL § 47, stk. 2"
BASIS_LANDLORD_SHARE = "ALL § 26, stk. 2"
BASIS_SCHEME_B = "ALL § 27"
BASIS_DAMAGE = "ALL § 25, stk. 4"
BASIS_LAPSE = "ALL § 94, stk. 2, 1. pkt."
BASIS_OVERRUN = "ALL § 94, stk. 2, 2. pkt."
BASIS_GUARANTEE = "ABL § 59, stk. 1; § 63, stk. 3"


@dataclass(frozen=True, slots=True)
class RepairParts:
    """One repair split by bearer; the parts add up to the repair's amount."""

    text: str
    category: RepairCategory
    amount_oere: int
    landlord_share_oere: int
    maintenance_account_oere: int
    lapsed_oere: int
    overrun_oere: int
    tenant_oere: int


@dataclass(frozen=True, slots=True)
class ClaimsSplit:
    """How the claims are met: by credits, the deposit, the guarantee or the tenant's debt."""

    non_guaranteed_net_oere: int  # open items + other claims; negative = a net credit
    repairs_tenant_oere: int
    claims_total_oere: int
    credit_refund_oere: int
    deposit_to_non_guaranteed_oere: int
    deposit_to_repairs_oere: int
    repairs_covered_oere: int  # met by a credit or the deposit: stays the tenant's
    guarantee_claim_oere: int
    tenant_owes_oere: int

    @property
    def deposit_applied_oere(self) -> int:
        return self.deposit_to_non_guaranteed_oere + self.deposit_to_repairs_oere


def settle(inp: SettlementInput) -> Settlement:
    """Settle a move-out. Raises ``SettlementInputError`` for input ``check_input`` rejects."""
    errors = check_input(inp)
    if errors:
        raise SettlementInputError(errors)
    months = full_months(inp.tenancy_start, inp.tenancy_end)
    share = (
        landlord_share(months, inp.takeover_months)
        if inp.maintenance_scheme is MaintenanceScheme.A
        else None
    )
    notice = repair_notice_decision(
        inp.inspection_date, inp.repair_notice_date, inp.tenant_left_no_address
    )
    repairs = assess_repairs(inp, share, notice)
    guarantee = inp.municipally_assigned and inp.guarantee_applies
    split = split_claims(inp, repairs, guarantee)
    rest = inp.deposit_oere - split.deposit_applied_oere
    distribution = distribute_rest(rest, inp.indskudslaan_oere, inp.attachments)
    result = Settlement(
        full_months=months,
        landlord_share=share,
        repair_notice=notice,
        normal_refurbishment_tenant_oere=_tenant_total(repairs, RepairCategory.NORMAL),
        damage_tenant_oere=_tenant_total(repairs, RepairCategory.DAMAGE),
        repairs_overrun_oere=sum(r.overrun_oere for r in repairs),
        open_items_net_oere=sum(item.amount_oere for item in inp.open_items),
        other_claims_oere=sum(claim.amount_oere for claim in inp.other_claims),
        claims_total_oere=split.claims_total_oere,
        deposit_oere=inp.deposit_oere,
        deposit_applied_oere=split.deposit_applied_oere,
        guarantee_claim_oere=split.guarantee_claim_oere,
        tenant_owes_oere=split.tenant_owes_oere,
        credit_refund_oere=split.credit_refund_oere,
        paid_to_indskudslaan_oere=distribution.paid_to_indskudslaan_oere,
        paid_to_attachments=distribution.paid_to_attachments,
        refund_oere=distribution.refund_oere,
        lines=tuple(statement_lines(inp, repairs, split, guarantee)),
        notes=tuple(_notes(inp, repairs, split)),
    )
    assert_invariants(inp, result)
    return result


def assess_repairs(
    inp: SettlementInput, share: Fraction | None, notice: RepairNoticeDecision
) -> tuple[RepairParts, ...]:
    """Split each repair into the landlord's share, scheme B, lapse, overrun and the tenant's
    part (ALL § 25, stk. 4; § 26, stk. 2; § 27; § 94, stk. 2).

    The 10 % cap is applied to the tenant's total. The cut is spread over the repairs that
    exceeded their own notified estimate, in proportion to their excess, so no repair drops
    below its notified share; the totals do not depend on this spread.
    """
    scheme, taken_over = inp.maintenance_scheme, share or Fraction(0)
    tenant = [
        repair_share_for_tenant(r.amount_oere, r.category, scheme, taken_over) for r in inp.repairs
    ]
    notified = [
        repair_share_for_tenant(r.notified_oere, r.category, scheme, taken_over)
        for r in inp.repairs
    ]
    overrun_total = 0 if notice.lapsed else max(0, sum(tenant) - overrun_cap(sum(notified)))
    excess = [max(0, t - n) for t, n in zip(tenant, notified, strict=True)]
    overruns = split_proportionally(overrun_total, excess)
    parts: list[RepairParts] = []
    for repair, owed, overrun, room in zip(inp.repairs, tenant, overruns, excess, strict=True):
        assert 0 <= overrun <= room
        is_b_normal = repair.category is RepairCategory.NORMAL and scheme is MaintenanceScheme.B
        not_owed = repair.amount_oere - owed
        parts.append(
            RepairParts(
                text=repair.text,
                category=repair.category,
                amount_oere=repair.amount_oere,
                landlord_share_oere=0 if is_b_normal else not_owed,
                maintenance_account_oere=not_owed if is_b_normal else 0,
                lapsed_oere=owed if notice.lapsed else 0,
                overrun_oere=overrun,
                tenant_oere=0 if notice.lapsed else owed - overrun,
            )
        )
    for p in parts:
        pieces = (p.landlord_share_oere, p.maintenance_account_oere, p.lapsed_oere, p.overrun_oere)
        assert all(piece >= 0 for piece in pieces) and p.tenant_oere >= 0
        assert sum(pieces) + p.tenant_oere == p.amount_oere
    return tuple(parts)


def split_claims(
    inp: SettlementInput, repairs: tuple[RepairParts, ...], guarantee: bool
) -> ClaimsSplit:
    """Meet the claims: credits and the deposit go to the non-guaranteed claims first, then to
    the repairs (ALL § 47, stk. 2; seed 003). Uncovered repairs go to the municipal guarantee
    when it applies (ABL § 59, stk. 1); all other uncovered claims are the tenant's debt."""
    for p in repairs:
        assert p.tenant_oere == 0 or guarantee_covers(p.category, inp.maintenance_scheme)
    non_guaranteed = sum(i.amount_oere for i in inp.open_items) + sum(
        c.amount_oere for c in inp.other_claims
    )
    repairs_tenant = sum(p.tenant_oere for p in repairs)
    credit = max(0, -non_guaranteed)
    non_guaranteed_due = max(0, non_guaranteed)
    repairs_due = max(0, repairs_tenant - credit)
    to_non_guaranteed = min(inp.deposit_oere, non_guaranteed_due)
    to_repairs = min(inp.deposit_oere - to_non_guaranteed, repairs_due)
    repairs_uncovered = repairs_due - to_repairs
    guarantee_claim = repairs_uncovered if guarantee else 0
    covered = min(credit, repairs_tenant) + to_repairs
    assert covered + repairs_uncovered == repairs_tenant
    return ClaimsSplit(
        non_guaranteed_net_oere=non_guaranteed,
        repairs_tenant_oere=repairs_tenant,
        claims_total_oere=non_guaranteed_due + repairs_due,
        credit_refund_oere=max(0, credit - repairs_tenant),
        deposit_to_non_guaranteed_oere=to_non_guaranteed,
        deposit_to_repairs_oere=to_repairs,
        repairs_covered_oere=covered,
        guarantee_claim_oere=guarantee_claim,
        tenant_owes_oere=(non_guaranteed_due - to_non_guaranteed)
        + (repairs_uncovered - guarantee_claim),
    )


def statement_lines(
    inp: SettlementInput, repairs: tuple[RepairParts, ...], split: ClaimsSplit, guarantee: bool
) -> Iterator[StatementLine]:
    """The itemised lines of the flytteopgørelse, in input order.

    When the guarantee applies, a repair's tenant part is met in input order by what credits
    and the deposit left for repairs (bearer ``tenant``) and the rest is ``guarantee``; without
    it the whole tenant part is one ``tenant`` line.
    """
    for item in inp.open_items:
        yield StatementLine(
            Section.OPEN_ITEM, item.text, item.amount_oere, Bearer.TENANT, BASIS_SET_OFF
        )
    for claim in inp.other_claims:
        yield StatementLine(
            Section.OTHER_CLAIM, claim.text, claim.amount_oere, Bearer.TENANT, BASIS_SET_OFF
        )
    covered_left = split.repairs_covered_oere
    for p in repairs:
        met = min(covered_left, p.tenant_oere)  # by a credit or the deposit
        covered_left -= met
        on_tenant = met if guarantee else p.tenant_oere
        tenant_basis = BASIS_DAMAGE if p.category is RepairCategory.DAMAGE else BASIS_LANDLORD_SHARE
        pieces = (
            (p.landlord_share_oere, Bearer.LANDLORD_SHARE, BASIS_LANDLORD_SHARE),
            (p.maintenance_account_oere, Bearer.MAINTENANCE_ACCOUNT, BASIS_SCHEME_B),
            (p.lapsed_oere, Bearer.LAPSED, BASIS_LAPSE),
            (p.overrun_oere, Bearer.LANDLORD, BASIS_OVERRUN),
            (on_tenant, Bearer.TENANT, tenant_basis),
            (p.tenant_oere - on_tenant, Bearer.GUARANTEE, BASIS_GUARANTEE),
        )
        shown = [(amount, bearer, basis) for amount, bearer, basis in pieces if amount]
        for amount, bearer, basis in shown or [(0, Bearer.TENANT, tenant_basis)]:
            yield StatementLine(Section.REPAIR, p.text, amount, bearer, basis)
    assert covered_left == 0


def assert_invariants(inp: SettlementInput, s: Settlement) -> None:
    """The settlement's bookkeeping identities; a failure is a bug, never an input problem."""
    amounts = (
        s.claims_total_oere,
        s.deposit_applied_oere,
        s.guarantee_claim_oere,
        s.tenant_owes_oere,
        s.credit_refund_oere,
        s.paid_to_indskudslaan_oere,
        s.refund_oere,
        s.normal_refurbishment_tenant_oere,
        s.damage_tenant_oere,
        s.repairs_overrun_oere,
        *(p.amount_oere for p in s.paid_to_attachments),
    )
    assert all(amount >= 0 for amount in amounts), "a settlement amount is negative"
    paid_out = s.paid_to_indskudslaan_oere + sum(p.amount_oere for p in s.paid_to_attachments)
    assert s.deposit_applied_oere + paid_out + s.refund_oere == s.deposit_oere
    met = s.deposit_applied_oere + s.guarantee_claim_oere + s.tenant_owes_oere
    assert s.claims_total_oere == met, "claims met other than exactly once"
    assert s.claims_total_oere == 0 or s.credit_refund_oere == 0, "a credit left beside a claim"
    assert s.deposit_applied_oere == min(s.deposit_oere, s.claims_total_oere)
    assert s.refund_oere == 0 or s.tenant_owes_oere == 0, "refund while the tenant owes"
    assert s.guarantee_claim_oere == 0 or (inp.municipally_assigned and inp.guarantee_applies)
    assert s.guarantee_claim_oere <= s.repairs_tenant_oere, "guarantee beyond the repairs"
    assert s.paid_to_indskudslaan_oere <= inp.indskudslaan_oere
    if s.repair_notice.lapsed:
        assert s.repairs_tenant_oere == 0 and s.repairs_overrun_oere == 0
    by_bearer = {bearer: 0 for bearer in Bearer}
    for line in s.lines:
        by_bearer[line.bearer] += line.amount_oere
    assert by_bearer[Bearer.GUARANTEE] == s.guarantee_claim_oere
    assert all(
        line.section is Section.REPAIR for line in s.lines if line.bearer is Bearer.GUARANTEE
    ), "the guarantee never covers open items or other claims"
    net_tenant_side = by_bearer[Bearer.TENANT] + by_bearer[Bearer.GUARANTEE]
    assert net_tenant_side == s.claims_total_oere - s.credit_refund_oere
    assert sum(line.amount_oere for line in s.lines if line.section is Section.REPAIR) == sum(
        r.amount_oere for r in inp.repairs
    ), "a repair was dropped or counted twice"


def _tenant_total(repairs: tuple[RepairParts, ...], category: RepairCategory) -> int:
    return sum(p.tenant_oere for p in repairs if p.category is category)


def _notes(inp: SettlementInput, repairs: tuple[RepairParts, ...], s: ClaimsSplit) -> Iterator[str]:
    """Plain-English notes for the caseworker: what was decided and what to follow up."""
    lapsed = sum(p.lapsed_oere for p in repairs)
    if lapsed:
        yield f"Repair claims of {lapsed} øre lapsed: no timely written notice ({BASIS_LAPSE})."
    for i, repair in enumerate(inp.repairs):
        if repair.estimate_oere is None:
            yield (
                f"repairs[{i}] has no estimate_oere: its final amount is taken as the cost the "
                f"notice stated ({BASIS_OVERRUN})."
            )
    overrun = sum(p.overrun_oere for p in repairs)
    if overrun:
        yield (
            f"Repairs exceed the tenant's notified share by more than 10 %: {overrun} øre is not "
            f"the tenant's ({BASIS_OVERRUN})."
        )
    if inp.municipally_assigned and not inp.guarantee_applies:
        reason = inp.guarantee_void_reason.value if inp.guarantee_void_reason else "not given"
        yield f"Municipally assigned, but the guarantee does not apply (reason: {reason})."
    if s.guarantee_claim_oere:
        yield (
            "The municipality may require the organisation to try to collect from the tenant "
            "before it pays under the guarantee (seed 003)."
        )
    if s.credit_refund_oere:
        yield (
            f"A credit of {s.credit_refund_oere} øre is left after every claim: pay it to the "
            "tenant; udlæg in the deposit does not reach it."
        )
