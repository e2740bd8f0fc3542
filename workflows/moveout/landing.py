"""The settlement lands on the ledger as balanced postings (issue 6, point 5).

Accounts (``ledger.types.Account``; a credit is negative): ``deposit`` is the deposit held, a
liability; ``guarantee_receivable`` what the municipality owes under its guarantee;
``refund_payable``, ``attachment_payable`` and ``indskudslaan_payable`` what the organisation
owes the former tenant, udlæg creditors and the municipality (beboerindskudslån).

The postings of a case, each keyed ``moveout/<case id>:<part>`` (posting twice changes
nothing), in this order:

1. ``deposit-opening``: the deposit as a liability, if the ledger does not hold it yet. A
   deposit paid before the ledger start was never posted here: it is recognised now against
   ``opening_balance``; a deposit charged in this ledger (charge types INDSKUD/DEPOSITUM) was
   credited to ``income`` by the generic charge posting and is moved from there instead.
2. ``charges:<n>``: the tenant's share of each repair (not pligtig: ISTANDSAETTELSE,
   MISLIGHOLDELSE) and the other claims (FLYTTEKRAV), debtor against income.
3. ``deposit-set-off``: the deposit applied, debit ``deposit``, credit the tenant.
4. ``guarantee``: the guarantee claim, debit ``guarantee_receivable``, credit the tenant.
5. ``credit-refund``: a credit left after every claim, from the tenant to ``refund_payable``.
6. ``deposit-payout``: the rest of the deposit to the beboerindskudslån, the udlæg and the
   tenant's refund.

Afterwards the tenant's account shows exactly ``tenant_owes_oere`` (and nothing when there is a
refund, which is then on ``refund_payable``), and the deposit liability of the tenancy is 0.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from ledger.posting import Line, NewPosting
from ledger.types import Account, PostingKind
from workflows.moveout.model import RepairCategory, Settlement, SettlementInput
from workflows.moveout.settlement import assess_repairs

MOVEOUT_SOURCE = "moveout"
MAX_CHARGE_LINES = 20  # debtor lines per charge posting (the ledger allows 50 lines in all)


@dataclass(frozen=True, slots=True)
class ChargeTypeIds:
    normal_refurbishment: int
    damage: int
    other_claim: int


@dataclass(frozen=True, slots=True)
class DepositOpening:
    """How much of the deposit to recognise as a liability now, and against what: reclassified
    from income by charge type id, and the rest from the opening balance."""

    from_income: tuple[tuple[int, int], ...]  # (charge type id, øre)
    from_opening_oere: int

    @property
    def total_oere(self) -> int:
        return sum(amount for _, amount in self.from_income) + self.from_opening_oere


@dataclass(frozen=True, slots=True)
class LandingSpec:
    """Everything the postings need; ``settlement`` is the result of ``settle(input)``."""

    organisation_id: int
    case_id: int
    tenancy_id: int
    day: date  # the settlement day: due date of the charges, value date of the set-offs
    created_by: str
    input: SettlementInput
    settlement: Settlement
    charge_types: ChargeTypeIds
    opening: DepositOpening | None


def external_ref(case_id: int, part: str) -> str:
    return f"{case_id}:{part}"


def opening_needed(
    held_oere: int, recognised_oere: int, charged: Sequence[tuple[int, int]]
) -> DepositOpening | None:
    """The deposit opening posting, if any (pure).

    ``recognised_oere`` is the deposit liability the ledger already holds for the tenancy from
    other postings; ``charged`` the deposit charges on the tenant's account by charge type.
    """
    if recognised_oere == held_oere:
        return None
    if recognised_oere != 0:
        raise ValueError(
            f"the ledger holds a deposit of {recognised_oere} øre for the tenancy, the tenancy "
            f"says {held_oere}: correct one of them before posting the settlement"
        )
    left = held_oere
    from_income = []
    for charge_type_id, amount in charged:
        take = min(left, max(0, amount))
        if take:
            from_income.append((charge_type_id, take))
            left -= take
    return DepositOpening(tuple(from_income), left)


def landing_postings(spec: LandingSpec) -> list[NewPosting]:
    """The postings of a settlement (pure); every one balances."""
    postings = [p for p in _postings(spec) if len(p.lines) >= 2]
    for posting in postings:
        assert sum(line.amount_oere for line in posting.lines) == 0, posting.external_ref
    return postings


def _posting(
    spec: LandingSpec, part: str, kind: PostingKind, text: str, lines: list[Line]
) -> NewPosting:
    return NewPosting(
        organisation_id=spec.organisation_id,
        kind=kind,
        booking_date=spec.day,
        source=MOVEOUT_SOURCE,
        external_ref=external_ref(spec.case_id, part),
        text=text,
        lines=tuple(line for line in lines if line.amount_oere != 0),
        created_by=spec.created_by,
    )


def _postings(spec: LandingSpec) -> Iterator[NewPosting]:
    s, t = spec.settlement, spec.tenancy_id
    if spec.opening is not None and spec.opening.total_oere:
        yield _opening(spec, spec.opening)
    yield from _charges(spec)
    applied = s.deposit_applied_oere
    yield _posting(
        spec, "deposit-set-off", PostingKind.ADJUSTMENT, "Flytteopgørelse: modregning i indskud",
        [
            Line(Account.DEPOSIT, applied, tenancy_id=t, text="Modregnet i indskud"),
            Line(Account.DEBTOR, -applied, tenancy_id=t, value_date=spec.day,
                 text="Modregnet i indskud"),
        ],
    )  # fmt: skip
    guarantee = s.guarantee_claim_oere
    yield _posting(
        spec, "guarantee", PostingKind.ADJUSTMENT, "Flytteopgørelse: kommunal garanti",
        [
            Line(Account.GUARANTEE_RECEIVABLE, guarantee, tenancy_id=t,
                 text="Krav på kommunen efter garanti"),
            Line(Account.DEBTOR, -guarantee, tenancy_id=t, value_date=spec.day,
                 text="Dækkes af kommunens garanti"),
        ],
    )  # fmt: skip
    credit = s.credit_refund_oere
    yield _posting(
        spec, "credit-refund", PostingKind.ADJUSTMENT, "Flytteopgørelse: tilgodehavende",
        [
            Line(Account.DEBTOR, credit, tenancy_id=t, due_date=spec.day,
                 text="Tilgodehavende til udbetaling"),
            Line(Account.REFUND_PAYABLE, -credit, tenancy_id=t, text="Tilgodehavende"),
        ],
    )  # fmt: skip
    yield _payout(spec)


def _opening(spec: LandingSpec, opening: DepositOpening) -> NewPosting:
    t = spec.tenancy_id
    lines = [Line(Account.DEPOSIT, -opening.total_oere, tenancy_id=t, text="Indskud/depositum")]
    lines += [
        Line(Account.INCOME, amount, tenancy_id=t, charge_type_id=charge_type_id,
             text="Indskud omposteret fra indtægt til forpligtelse")
        for charge_type_id, amount in opening.from_income
    ]  # fmt: skip
    lines.append(
        Line(Account.OPENING_BALANCE, opening.from_opening_oere, tenancy_id=t,
             text="Indskud indbetalt før overgang til almen")
    )  # fmt: skip
    return _posting(
        spec, "deposit-opening", PostingKind.ADJUSTMENT, "Indskud optaget som forpligtelse", lines
    )


def _charges(spec: LandingSpec) -> Iterator[NewPosting]:
    ids = spec.charge_types
    inp, s = spec.input, spec.settlement
    parts = assess_repairs(inp, s.landlord_share, s.repair_notice)
    assert sum(p.tenant_oere for p in parts) == s.repairs_tenant_oere
    charges: list[tuple[int, int, str]] = []  # (charge type id, øre, text)
    for p in parts:
        is_damage = p.category is RepairCategory.DAMAGE
        charge_type = ids.damage if is_damage else ids.normal_refurbishment
        charges.append((charge_type, p.tenant_oere, p.text))
    charges += [(ids.other_claim, c.amount_oere, c.text) for c in inp.other_claims]
    charges = [c for c in charges if c[1] > 0]
    for number, start in enumerate(range(0, len(charges), MAX_CHARGE_LINES), start=1):
        chunk = charges[start : start + MAX_CHARGE_LINES]
        lines = [
            Line(Account.DEBTOR, amount, tenancy_id=spec.tenancy_id, charge_type_id=type_id,
                 due_date=spec.day, text=text)
            for type_id, amount, text in chunk
        ]  # fmt: skip
        by_type: dict[int, int] = {}
        for type_id, amount, _ in chunk:
            by_type[type_id] = by_type.get(type_id, 0) + amount
        lines += [
            Line(Account.INCOME, -amount, tenancy_id=spec.tenancy_id, charge_type_id=type_id,
                 text="Flytteopgørelse")
            for type_id, amount in sorted(by_type.items())
        ]  # fmt: skip
        text = "Flytteopgørelse: istandsættelse og krav"
        yield _posting(spec, f"charges:{number}", PostingKind.CHARGE, text, lines)


def _payout(spec: LandingSpec) -> NewPosting:
    s, t = spec.settlement, spec.tenancy_id
    rest = s.deposit_oere - s.deposit_applied_oere
    lines = [
        Line(Account.DEPOSIT, rest, tenancy_id=t, text="Rest af indskud"),
        Line(Account.INDSKUDSLAAN_PAYABLE, -s.paid_to_indskudslaan_oere, tenancy_id=t,
             text="Beboerindskudslån til kommunen"),
    ]  # fmt: skip
    lines += [
        Line(Account.ATTACHMENT_PAYABLE, -p.amount_oere, tenancy_id=t,
             text=f"Udlæg {p.registered_on:%d.%m.%Y}: {p.creditor}")
        for p in s.paid_to_attachments
    ]  # fmt: skip
    lines.append(
        Line(Account.REFUND_PAYABLE, -s.refund_oere, tenancy_id=t, text="Udbetales til lejer")
    )
    return _posting(
        spec, "deposit-payout", PostingKind.ADJUSTMENT, "Flytteopgørelse: indskud", lines
    )
