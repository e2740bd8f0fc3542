"""The postings of a settlement, over generated settlements (hypothesis): every posting group
balances, and afterwards the tenant's account is exactly what the statement says the tenant
owes, the deposit liability is gone, and each payable and receivable holds its figure."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.posting import check_posting
from ledger.types import Account
from tests.workflows.moveout.test_moveout_properties import settlement_inputs
from workflows.moveout import GuaranteeVoidReason, SettlementInput, settle, settlement_from_json
from workflows.moveout.input_json import settlement_input_to_json
from workflows.moveout.landing import (
    ChargeTypeIds,
    DepositOpening,
    LandingSpec,
    landing_postings,
    opening_needed,
)

IDS = ChargeTypeIds(normal_refurbishment=11, damage=12, other_claim=13)
DAY = date(2026, 5, 10)


def _totals(inp: SettlementInput, opening: DepositOpening | None) -> dict[str, int]:
    result = settle(inp)
    spec = LandingSpec(
        organisation_id=1, case_id=9, tenancy_id=5, day=DAY, created_by="t", input=inp,
        settlement=result, charge_types=IDS, opening=opening,
    )  # fmt: skip
    totals: dict[str, int] = defaultdict(int)
    postings = landing_postings(spec)
    for posting in postings:
        assert check_posting(posting) == [], posting.external_ref
        for line in posting.lines:
            totals[line.account] += line.amount_oere
    assert len({p.external_ref for p in postings}) == len(postings)
    assert all(p.external_ref.startswith("9:") for p in postings)
    return totals


@settings(max_examples=300)
@given(settlement_inputs(), st.booleans())
def test_after_posting_the_account_shows_what_the_statement_says(
    inp: SettlementInput, opened: bool
) -> None:
    result = settle(inp)
    opening = DepositOpening((), inp.deposit_oere) if opened else None
    totals = _totals(inp, opening)
    account_before = sum(item.amount_oere for item in inp.open_items)
    assert account_before + totals[Account.DEBTOR] == result.tenant_owes_oere
    deposit_before = -inp.deposit_oere if not opened else 0
    assert deposit_before + totals[Account.DEPOSIT] == 0  # the liability is gone
    assert totals[Account.GUARANTEE_RECEIVABLE] == result.guarantee_claim_oere
    assert -totals[Account.REFUND_PAYABLE] == result.refund_oere + result.credit_refund_oere
    assert -totals[Account.INDSKUDSLAAN_PAYABLE] == result.paid_to_indskudslaan_oere
    assert -totals[Account.ATTACHMENT_PAYABLE] == sum(
        p.amount_oere for p in result.paid_to_attachments
    )
    assert totals[Account.OPENING_BALANCE] == (inp.deposit_oere if opened else 0)
    charged = result.repairs_tenant_oere + sum(c.amount_oere for c in inp.other_claims)
    assert -totals[Account.INCOME] == charged


def test_deposit_opening_moves_a_deposit_charged_here_from_income() -> None:
    assert opening_needed(2_000_000, 2_000_000, []) is None
    assert opening_needed(2_000_000, 0, []) == DepositOpening((), 2_000_000)
    assert opening_needed(2_000_000, 0, [(7, 1_500_000)]) == DepositOpening(
        ((7, 1_500_000),), 500_000
    )
    assert opening_needed(2_000_000, 0, [(7, 3_000_000)]) == DepositOpening(((7, 2_000_000),), 0)
    with pytest.raises(ValueError, match="correct one of them"):
        opening_needed(2_000_000, 1_000_000, [])


@settings(max_examples=200)
@given(settlement_inputs(), st.sampled_from([None, *GuaranteeVoidReason]))
def test_stored_input_json_reads_back_as_the_same_input(
    inp: SettlementInput, void: GuaranteeVoidReason | None
) -> None:
    if void is not None and inp.municipally_assigned:
        inp = replace(inp, guarantee_applies=False, guarantee_void_reason=void)
    assert settlement_from_json(settlement_input_to_json(inp)) == inp
