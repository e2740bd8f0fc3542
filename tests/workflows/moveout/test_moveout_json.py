"""JSON in and out of the move-out settlement: validation errors name the key and the problem."""

from __future__ import annotations

import copy
import json
from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from ledger.types import MaintenanceScheme
from workflows.moveout import (
    Attachment,
    GuaranteeVoidReason,
    OpenItem,
    OpenItemKind,
    Repair,
    RepairCategory,
    SettlementInputError,
    settle,
    settlement_from_json,
    settlement_to_json,
)

VALID: dict[str, Any] = {
    "tenancy_start": "2021-01-01",
    "tenancy_end": "2023-06-30",
    "maintenance_scheme": "A",
    "takeover_months": 100,
    "deposit_oere": 1_000_000,
    "municipally_assigned": True,
    "guarantee_applies": True,
    "open_items": [
        {"text": "Husleje juni 2023", "amount_oere": 1_200_000, "kind": "rent"},
        {"text": "Varmeregnskab", "amount_oere": -30_000, "kind": "utility_settlement"},
    ],
    "repairs": [
        {
            "text": "Maling",
            "amount_oere": 1_000_000,
            "category": "normal",
            "estimate_oere": 900_000,
        },
        {"text": "Hul i væg", "amount_oere": 400_000, "category": "damage"},
    ],
    "other_claims": [{"text": "Retsafgift", "amount_oere": 50_000}],
    "indskudslaan_oere": 0,
    "attachments": [
        {
            "creditor": "SKAT",
            "amount_oere": 10_000,
            "registered_on": "2022-02-01",
            "debtor": "Anna",
            "debtor_share": "1/2",
        }
    ],
    "inspection_date": "2023-07-03",
    "repair_notice_date": "2023-07-10",
    "tenant_left_no_address": False,
}


def _errors(data: object) -> dict[str, str]:
    with pytest.raises(SettlementInputError) as caught:
        settlement_from_json(data)
    return {error.key: error.problem for error in caught.value.errors}


def _with(**changes: object) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    data.update(changes)
    return data


def test_reads_every_key() -> None:
    inp = settlement_from_json(VALID)
    assert inp.tenancy_start == date(2021, 1, 1)
    assert inp.maintenance_scheme is MaintenanceScheme.A
    assert inp.open_items[1] == OpenItem("Varmeregnskab", -30_000, OpenItemKind.UTILITY_SETTLEMENT)
    assert inp.repairs == (
        Repair("Maling", 1_000_000, RepairCategory.NORMAL, 900_000),
        Repair("Hul i væg", 400_000, RepairCategory.DAMAGE, None),
    )
    assert inp.attachments == (
        Attachment("SKAT", 10_000, date(2022, 2, 1), "Anna", Fraction(1, 2)),
    )
    assert inp.inspection_date == date(2023, 7, 3)
    assert inp.guarantee_void_reason is None


def test_optional_keys_take_their_defaults() -> None:
    inp = settlement_from_json(
        {
            "tenancy_start": "2021-01-01",
            "tenancy_end": "2023-06-30",
            "maintenance_scheme": "B",
            "deposit_oere": 0,
        }
    )
    assert inp.takeover_months == 100
    assert not inp.municipally_assigned and not inp.guarantee_applies
    assert (inp.open_items, inp.repairs, inp.other_claims, inp.attachments) == ((), (), (), ())
    assert inp.indskudslaan_oere == 0 and inp.inspection_date is None


def test_missing_and_unknown_keys_are_named() -> None:
    data = _with(deposit=5)
    del data["tenancy_start"]
    del data["deposit_oere"]
    assert _errors(data) == {
        "deposit": "unknown key",
        "tenancy_start": "required key is missing",
        "deposit_oere": "required key is missing",
    }


def test_wrong_types_are_named_with_their_path() -> None:
    data = _with(deposit_oere=100.5, municipally_assigned="yes", tenancy_end="30-06-2023")
    data["repairs"][1]["category"] = "wear"
    data["open_items"][0]["amount_oere"] = True
    data["attachments"][0]["debtor_share"] = "1/0"
    errors = _errors(data)
    assert set(errors) == {
        "deposit_oere",
        "municipally_assigned",
        "tenancy_end",
        "repairs[1].category",
        "open_items[0].amount_oere",
        "attachments[0].debtor_share",
    }
    assert "integer" in errors["deposit_oere"]
    assert "YYYY-MM-DD" in errors["tenancy_end"]
    assert "normal, damage" in errors["repairs[1].category"]
    assert "zero denominator" in errors["attachments[0].debtor_share"]


def test_not_a_calendar_date() -> None:
    assert _errors(_with(tenancy_end="2023-02-30")) == {
        "tenancy_end": "is not a calendar date: '2023-02-30'"
    }


def test_top_level_must_be_an_object() -> None:
    assert _errors([1, 2]) == {"$": "must be a JSON object, got a list"}


def test_abl_59_stk_1_assigned_tenant_must_say_whether_the_guarantee_applies() -> None:
    data = _with()
    del data["guarantee_applies"]
    assert list(_errors(data)) == ["guarantee_applies"]


def test_abl_59_stk_1_guarantee_without_assignment_is_rejected() -> None:
    assert list(_errors(_with(municipally_assigned=False))) == ["guarantee_applies"]


def test_guarantee_void_reason_contradicting_guarantee_is_rejected() -> None:
    errors = _errors(_with(guarantee_void_reason="swap"))
    assert list(errors) == ["guarantee_void_reason"]
    data = _with(guarantee_applies=False, guarantee_void_reason="swap")
    assert settlement_from_json(data).guarantee_void_reason is GuaranteeVoidReason.SWAP


def test_all_26_stk_2_takeover_months_over_120_is_named() -> None:
    errors = _errors(_with(takeover_months=121))
    assert list(errors) == ["takeover_months"]
    assert "10 years" in errors["takeover_months"]


def test_all_94_stk_1_repairs_need_an_inspection_date() -> None:
    data = _with()
    del data["inspection_date"]
    assert list(_errors(data)) == ["inspection_date", "repair_notice_date"]


def test_all_94_stk_2_notice_before_inspection_is_rejected() -> None:
    assert list(_errors(_with(repair_notice_date="2023-07-02"))) == ["repair_notice_date"]


def test_semantic_errors_are_named() -> None:
    data = _with(deposit_oere=-1, tenancy_end="2020-12-31")
    data["repairs"][0]["amount_oere"] = -5
    data["other_claims"][0]["text"] = " "
    data["attachments"].append(
        {
            "creditor": "Bank",
            "amount_oere": 1,
            "registered_on": "2022-03-01",
            "debtor": "Anna",
            "debtor_share": "2/3",
        }
    )
    errors = _errors(data)
    assert set(errors) == {
        "deposit_oere",
        "tenancy_end",
        "repairs[0].amount_oere",
        "other_claims[0].text",
        "attachments[1].debtor_share",
    }


def test_debtor_shares_above_the_whole_are_rejected() -> None:
    data = _with()
    data["attachments"].append(
        {
            "creditor": "Bank",
            "amount_oere": 1,
            "registered_on": "2022-03-01",
            "debtor": "Bo",
            "debtor_share": "2/3",
        }
    )
    assert list(_errors(data)) == ["attachments"]  # 1/2 + 2/3 > 1


def test_output_keys_and_values() -> None:
    out = settlement_to_json(settle(settlement_from_json(VALID)))
    json.dumps(out)  # plain JSON values only
    # 30 full months: tenant pays 70 % of 1.000.000 = 700.000, capped at the total estimate:
    # notified 70 % of 900.000 = 630.000 + 400.000 = 1.030.000; cap 1.133.000;
    # final 700.000 + 400.000 = 1.100.000 <= cap, so no cut.
    # Not guaranteed: 1.200.000 - 30.000 + 50.000 = 1.220.000 > deposit 1.000.000.
    assert out["normal_refurbishment_tenant_oere"] == 700_000
    assert out["landlord_share_pct"] == 30.0
    assert out["claims_total_oere"] == 2_320_000  # 1.220.000 + 1.100.000
    assert out["deposit_applied_oere"] == 1_000_000
    assert out["guarantee_claim_oere"] == 1_100_000
    assert out["tenant_owes_oere"] == 220_000
    assert out["refund_oere"] == 0
    assert out["paid_to_indskudslaan_oere"] == 0
    assert out["paid_to_attachments"] == [
        {
            "creditor": "SKAT",
            "amount_oere": 0,
            "claimed_oere": 10_000,
            "registered_on": "2022-02-01",
            "debtor": "Anna",
        }
    ]
    assert out["repair_notice_deadline"] == "2023-07-17"
    assert out["lines"][0] == {
        "section": "open_item",
        "text": "Husleje juni 2023",
        "amount_oere": 1_200_000,
        "bearer": "tenant",
        "basis": "ALL § 47, stk. 2",
    }
    assert {line["bearer"] for line in out["lines"]} == {"tenant", "landlord_share", "guarantee"}
