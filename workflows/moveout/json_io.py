"""JSON in and out of the settlement, for the CLI (wired in ``app/``).

``settlement_from_json`` reads exactly the documented keys (an unknown key is an error, so a
typo cannot silently drop a claim) and raises ``SettlementInputError`` listing every problem,
each naming its key (``repairs[1].amount_oere``). Money is whole øre (JSON integers), dates are
``YYYY-MM-DD`` strings, a debtor share is a fraction string like ``"1/2"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any, TypeVar

from ledger.types import MaintenanceScheme
from workflows.moveout.model import (
    DEFAULT_TAKEOVER_MONTHS,
    Attachment,
    GuaranteeVoidReason,
    OpenItem,
    OpenItemKind,
    OtherClaim,
    Repair,
    RepairCategory,
    Settlement,
    SettlementInput,
)
from workflows.moveout.validation import InputError, SettlementInputError, check_input

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FRACTION = re.compile(r"^(\d+)(?:/(\d+))?$")
_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")

REQUIRED_KEYS = frozenset({"tenancy_start", "tenancy_end", "maintenance_scheme", "deposit_oere"})
OPTIONAL_KEYS = frozenset(
    {
        "takeover_months",
        "municipally_assigned",
        "guarantee_applies",
        "guarantee_void_reason",
        "open_items",
        "repairs",
        "other_claims",
        "indskudslaan_oere",
        "attachments",
        "inspection_date",
        "repair_notice_date",
        "tenant_left_no_address",
    }
)


class _Reader:
    """Reads typed values out of JSON objects, collecting errors instead of stopping."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def fail(self, key: str, problem: str) -> None:
        self.errors.append(InputError(key, problem))

    def obj(
        self, value: object, path: str, required: frozenset[str], optional: frozenset[str]
    ) -> Mapping[str, object] | None:
        if not isinstance(value, dict):
            self.fail(path or "$", f"must be a JSON object, got {_kind(value)}")
            return None
        prefix = f"{path}." if path else ""
        for key in sorted(set(value) - required - optional, key=str):
            self.fail(f"{prefix}{key}", "unknown key")
        for key in sorted(required - set(value)):
            self.fail(f"{prefix}{key}", "required key is missing")
        return value

    def field(
        self,
        obj: Mapping[str, object],
        path: str,
        key: str,
        convert: Callable[[object, str], _T | None],
    ) -> _T | None:
        """``convert`` the value at ``key``; None if it is absent (already reported if required)."""
        if key not in obj:
            return None
        return convert(obj[key], f"{path}.{key}" if path else key)

    def integer(self, value: object, key: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be a JSON integer, got {_kind(value)}")
            return None
        return value

    def boolean(self, value: object, key: str) -> bool | None:
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, got {_kind(value)}")
            return None
        return value

    def text(self, value: object, key: str) -> str | None:
        if not isinstance(value, str):
            self.fail(key, f"must be a string, got {_kind(value)}")
            return None
        return value

    def day(self, value: object, key: str) -> date | None:
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            self.fail(key, f"must be a date written YYYY-MM-DD, got {value!r}")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(key, f"is not a calendar date: {value!r}")
            return None

    def optional_day(self, value: object, key: str) -> date | None:
        return None if value is None else self.day(value, key)

    def fraction(self, value: object, key: str) -> Fraction | None:
        match = _FRACTION.match(value) if isinstance(value, str) else None
        if match is None:
            self.fail(key, f'must be a fraction string like "1/2", got {value!r}')
            return None
        denominator = int(match.group(2) or 1)
        if denominator == 0:
            self.fail(key, f"has a zero denominator: {value!r}")
            return None
        return Fraction(int(match.group(1)), denominator)

    def choice(self, enum: type[_E]) -> Callable[[object, str], _E | None]:
        allowed = ", ".join(member.value for member in enum)

        def convert(value: object, key: str) -> _E | None:
            if value is None and enum is GuaranteeVoidReason:
                return None
            if isinstance(value, str) and value in {member.value for member in enum}:
                return enum(value)
            self.fail(key, f"must be one of {allowed}; got {value!r}")
            return None

        return convert

    def items(
        self, obj: Mapping[str, object], key: str, read: Callable[[object, str], _T | None]
    ) -> tuple[_T, ...]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"must be a JSON list, got {_kind(value)}")
            return ()
        read_items = [read(item, f"{key}[{i}]") for i, item in enumerate(value)]
        return tuple(item for item in read_items if item is not None)


def settlement_from_json(data: object) -> SettlementInput:
    """Read a settlement input from parsed JSON; raise ``SettlementInputError`` naming keys."""
    r = _Reader()
    top = r.obj(data, "", REQUIRED_KEYS, OPTIONAL_KEYS)
    if top is None:
        raise SettlementInputError(tuple(r.errors))
    start = r.field(top, "", "tenancy_start", r.day)
    end = r.field(top, "", "tenancy_end", r.day)
    scheme = r.field(top, "", "maintenance_scheme", r.choice(MaintenanceScheme))
    deposit = r.field(top, "", "deposit_oere", r.integer)
    takeover = r.field(top, "", "takeover_months", r.integer)
    assigned = r.field(top, "", "municipally_assigned", r.boolean) or False
    guarantee = r.field(top, "", "guarantee_applies", r.boolean)
    if assigned and "guarantee_applies" not in top:
        r.fail(
            "guarantee_applies",
            "required for a municipally assigned tenant: say whether the municipal guarantee "
            "covers this move-out (ABL § 59, stk. 1)",
        )
    parsed = SettlementInput(
        tenancy_start=start or date.min,
        tenancy_end=end or date.min,
        maintenance_scheme=scheme or MaintenanceScheme.A,
        deposit_oere=deposit or 0,
        takeover_months=DEFAULT_TAKEOVER_MONTHS if takeover is None else takeover,
        municipally_assigned=assigned,
        guarantee_applies=bool(guarantee),
        guarantee_void_reason=r.field(
            top, "", "guarantee_void_reason", r.choice(GuaranteeVoidReason)
        ),
        open_items=r.items(top, "open_items", lambda v, k: _open_item(r, v, k)),
        repairs=r.items(top, "repairs", lambda v, k: _repair(r, v, k)),
        other_claims=r.items(top, "other_claims", lambda v, k: _other_claim(r, v, k)),
        indskudslaan_oere=r.field(top, "", "indskudslaan_oere", r.integer) or 0,
        attachments=r.items(top, "attachments", lambda v, k: _attachment(r, v, k)),
        inspection_date=r.field(top, "", "inspection_date", r.optional_day),
        repair_notice_date=r.field(top, "", "repair_notice_date", r.optional_day),
        tenant_left_no_address=r.field(top, "", "tenant_left_no_address", r.boolean) or False,
    )
    if r.errors:
        raise SettlementInputError(tuple(r.errors))
    problems = check_input(parsed)
    if problems:
        raise SettlementInputError(problems)
    return parsed


def _open_item(r: _Reader, value: object, path: str) -> OpenItem | None:
    keys = frozenset({"text", "amount_oere", "kind"})
    obj = r.obj(value, path, keys, frozenset())
    if obj is None:
        return None
    text = r.field(obj, path, "text", r.text)
    amount = r.field(obj, path, "amount_oere", r.integer)
    kind = r.field(obj, path, "kind", r.choice(OpenItemKind))
    if text is None or amount is None or kind is None:
        return None
    return OpenItem(text, amount, kind)


def _repair(r: _Reader, value: object, path: str) -> Repair | None:
    required = frozenset({"text", "amount_oere", "category"})
    obj = r.obj(value, path, required, frozenset({"estimate_oere"}))
    if obj is None:
        return None
    text = r.field(obj, path, "text", r.text)
    amount = r.field(obj, path, "amount_oere", r.integer)
    category = r.field(obj, path, "category", r.choice(RepairCategory))
    estimate = r.field(obj, path, "estimate_oere", r.integer)
    if text is None or amount is None or category is None:
        return None
    return Repair(text, amount, category, estimate)


def _other_claim(r: _Reader, value: object, path: str) -> OtherClaim | None:
    obj = r.obj(value, path, frozenset({"text", "amount_oere"}), frozenset())
    if obj is None:
        return None
    text = r.field(obj, path, "text", r.text)
    amount = r.field(obj, path, "amount_oere", r.integer)
    if text is None or amount is None:
        return None
    return OtherClaim(text, amount)


def _attachment(r: _Reader, value: object, path: str) -> Attachment | None:
    required = frozenset({"creditor", "amount_oere", "registered_on"})
    obj = r.obj(value, path, required, frozenset({"debtor", "debtor_share"}))
    if obj is None:
        return None
    creditor = r.field(obj, path, "creditor", r.text)
    amount = r.field(obj, path, "amount_oere", r.integer)
    registered = r.field(obj, path, "registered_on", r.day)
    debtor = r.field(obj, path, "debtor", r.text)
    share = r.field(obj, path, "debtor_share", r.fraction)
    if creditor is None or amount is None or registered is None:
        return None
    return Attachment(
        creditor,
        amount,
        registered,
        debtor="tenant" if debtor is None else debtor,
        debtor_share=Fraction(1) if share is None else share,
    )


def settlement_to_json(result: Settlement) -> dict[str, Any]:
    """The settlement as plain JSON values (øre as integers, dates as YYYY-MM-DD)."""
    notice = result.repair_notice
    return {
        "full_months": result.full_months,
        "landlord_share": None if result.landlord_share is None else str(result.landlord_share),
        "landlord_share_pct": result.landlord_share_pct,
        "repairs_lapsed": notice.lapsed,
        "repair_notice_deadline": None if notice.deadline is None else notice.deadline.isoformat(),
        "repair_notice_reason": notice.reason,
        "normal_refurbishment_tenant_oere": result.normal_refurbishment_tenant_oere,
        "damage_tenant_oere": result.damage_tenant_oere,
        "repairs_tenant_oere": result.repairs_tenant_oere,
        "repairs_overrun_oere": result.repairs_overrun_oere,
        "open_items_net_oere": result.open_items_net_oere,
        "other_claims_oere": result.other_claims_oere,
        "claims_total_oere": result.claims_total_oere,
        "deposit_oere": result.deposit_oere,
        "deposit_applied_oere": result.deposit_applied_oere,
        "guarantee_claim_oere": result.guarantee_claim_oere,
        "tenant_owes_oere": result.tenant_owes_oere,
        "credit_refund_oere": result.credit_refund_oere,
        "paid_to_indskudslaan_oere": result.paid_to_indskudslaan_oere,
        "paid_to_attachments": [
            {
                "creditor": p.creditor,
                "amount_oere": p.amount_oere,
                "claimed_oere": p.claimed_oere,
                "registered_on": p.registered_on.isoformat(),
                "debtor": p.debtor,
            }
            for p in result.paid_to_attachments
        ],
        "refund_oere": result.refund_oere,
        "lines": [
            {
                "section": line.section.value,
                "text": line.text,
                "amount_oere": line.amount_oere,
                "bearer": line.bearer.value,
                "basis": line.basis,
            }
            for line in result.lines
        ],
        "notes": list(result.notes),
    }


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number with decimals", str: "a string"}
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return names.get(type(value), type(value).__name__)
