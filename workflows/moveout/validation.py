"""Checks on a ``SettlementInput``, returned as values: each error names the key it is about.

The keys are the JSON keys of ``json_io`` (e.g. ``repairs[2].amount_oere``), so a CLI user and a
programmer building the dataclasses read the same message.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

from ledger.money import MAX_AMOUNT_OERE
from workflows.moveout.model import MAX_TAKEOVER_MONTHS, Attachment, SettlementInput

FIRST_YEAR = 1900
LAST_YEAR = 2199


@dataclass(frozen=True, slots=True)
class InputError:
    """One problem with the input: the key and what is wrong with it."""

    key: str
    problem: str

    def __str__(self) -> str:
        return f"{self.key}: {self.problem}"


class SettlementInputError(ValueError):
    """The input cannot be settled; ``errors`` lists every problem found."""

    def __init__(self, errors: tuple[InputError, ...]) -> None:
        assert errors, "an input error needs at least one problem"
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


def check_input(inp: SettlementInput) -> tuple[InputError, ...]:
    """Every problem with ``inp``; empty when it can be settled."""
    return tuple(_problems(inp))


def _problems(inp: SettlementInput) -> Iterator[InputError]:
    yield from _check_dates(inp)
    if not 1 <= inp.takeover_months <= MAX_TAKEOVER_MONTHS:
        yield InputError(
            "takeover_months",
            f"must be 1-{MAX_TAKEOVER_MONTHS}: the landlord takes over normal refurbishment "
            f"within at most 10 years (ALL § 26, stk. 2), got {inp.takeover_months}",
        )
    yield from _amount("deposit_oere", inp.deposit_oere, minimum=0)
    yield from _amount("indskudslaan_oere", inp.indskudslaan_oere, minimum=0)
    yield from _check_guarantee(inp)
    for i, item in enumerate(inp.open_items):
        yield from _text(f"open_items[{i}].text", item.text)
        yield from _amount(f"open_items[{i}].amount_oere", item.amount_oere, minimum=None)
    for i, repair in enumerate(inp.repairs):
        yield from _text(f"repairs[{i}].text", repair.text)
        yield from _amount(f"repairs[{i}].amount_oere", repair.amount_oere, minimum=0)
        if repair.estimate_oere is not None:
            yield from _amount(f"repairs[{i}].estimate_oere", repair.estimate_oere, minimum=0)
    for i, claim in enumerate(inp.other_claims):
        yield from _text(f"other_claims[{i}].text", claim.text)
        yield from _amount(f"other_claims[{i}].amount_oere", claim.amount_oere, minimum=0)
    yield from _check_attachments(inp.attachments)


def _check_dates(inp: SettlementInput) -> Iterator[InputError]:
    named = {
        "tenancy_start": inp.tenancy_start,
        "tenancy_end": inp.tenancy_end,
        "inspection_date": inp.inspection_date,
        "repair_notice_date": inp.repair_notice_date,
    }
    for key, value in named.items():
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            yield InputError(key, f"year must be {FIRST_YEAR}-{LAST_YEAR}, got {value}")
    if inp.tenancy_end < inp.tenancy_start:
        yield InputError(
            "tenancy_end", f"{inp.tenancy_end} is before tenancy_start {inp.tenancy_start}"
        )
    if inp.repairs and inp.inspection_date is None:
        yield InputError(
            "inspection_date",
            "required when there are repairs: the tenant's repair obligations are fixed at the "
            "move-out inspection (ALL § 94, stk. 1) and the notice deadline runs from it "
            "(§ 94, stk. 2)",
        )
    if inp.repair_notice_date is not None:
        if inp.inspection_date is None:
            yield InputError("repair_notice_date", "given without inspection_date")
        elif inp.repair_notice_date < inp.inspection_date:
            yield InputError(
                "repair_notice_date",
                f"{inp.repair_notice_date} is before inspection_date {inp.inspection_date}",
            )


def _check_guarantee(inp: SettlementInput) -> Iterator[InputError]:
    if inp.guarantee_applies and not inp.municipally_assigned:
        yield InputError(
            "guarantee_applies",
            "true, but municipally_assigned is false: only a municipally assigned tenant has a "
            "municipal guarantee (ABL § 59, stk. 1)",
        )
    if inp.guarantee_void_reason is not None:
        if not inp.municipally_assigned:
            yield InputError("guarantee_void_reason", "given, but municipally_assigned is false")
        if inp.guarantee_applies:
            yield InputError(
                "guarantee_void_reason",
                f"{inp.guarantee_void_reason.value!r} means the guarantee does not apply, but "
                "guarantee_applies is true",
            )


def _check_attachments(attachments: tuple[Attachment, ...]) -> Iterator[InputError]:
    shares: dict[str, Fraction] = {}
    for i, attachment in enumerate(attachments):
        key = f"attachments[{i}]"
        yield from _text(f"{key}.creditor", attachment.creditor)
        yield from _text(f"{key}.debtor", attachment.debtor)
        yield from _amount(f"{key}.amount_oere", attachment.amount_oere, minimum=1)
        if not FIRST_YEAR <= attachment.registered_on.year <= LAST_YEAR:
            yield InputError(f"{key}.registered_on", f"year must be {FIRST_YEAR}-{LAST_YEAR}")
        share = attachment.debtor_share
        if not 0 < share <= 1:
            yield InputError(f"{key}.debtor_share", f"must be above 0 and at most 1, got {share}")
            continue
        known = shares.setdefault(attachment.debtor, share)
        if known != share:
            yield InputError(
                f"{key}.debtor_share",
                f"{share} differs from {known} given for debtor {attachment.debtor!r} earlier",
            )
    if sum(shares.values(), Fraction(0)) > 1:
        yield InputError("attachments", "the debtors' shares of the deposit add up to more than 1")


def _amount(key: str, value: int, *, minimum: int | None) -> Iterator[InputError]:
    if minimum is not None and value < minimum:
        yield InputError(key, f"must be at least {minimum} øre, got {value}")
    if abs(value) > MAX_AMOUNT_OERE:
        yield InputError(key, f"{value} øre exceeds the limit of {MAX_AMOUNT_OERE} øre")


def _text(key: str, value: str) -> Iterator[InputError]:
    if not value.strip():
        yield InputError(key, "must not be empty")
