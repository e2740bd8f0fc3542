"""The charge types every organisation starts with, and which of them are pligtige.

A pligtig pengeydelse may ground a påkrav and a termination (ALL § 90, stk. 1, nr. 1): rent,
a conto heat/water/cooling, antenna/broadband contributions, indskud and depositum (§ 49), the
påkrav fee itself (§ 90, stk. 2, 8. pkt.). Other claims (a laundry bill, a reminder fee) are not
and must never appear in a påkrav (domain.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from ledger.models import ChargeType
from ledger.types import Account


@dataclass(frozen=True, slots=True)
class ChargeTypeSpec:
    code: str
    label: str
    pligtig: bool


RENT = "HUSLEJE"
ACONTO_HEAT = "ACONTO_VARME"
ACONTO_WATER = "ACONTO_VAND"
PAKRAV_FEE = "PAKRAVSGEBYR"
INDSKUD = "INDSKUD"
DEPOSITUM = "DEPOSITUM"
# Move-out: the tenant's share of repairs and other claims are not rent and never pligtige
# (ALL § 90, stk. 1, nr. 1 lists rent and the other pengeydelser of the lease, not damages);
# tomgangsleje is owed by the municipality, not by a tenant (ABL § 59, stk. 1).
NORMAL_REFURBISHMENT = "ISTANDSAETTELSE"
DAMAGE = "MISLIGHOLDELSE"
MOVEOUT_CLAIM = "FLYTTEKRAV"
VACANCY_RENT = "TOMGANGSLEJE"

DEFAULT_CHARGE_TYPES: tuple[ChargeTypeSpec, ...] = (
    ChargeTypeSpec(RENT, "Husleje", pligtig=True),
    ChargeTypeSpec(ACONTO_HEAT, "A conto varme", pligtig=True),
    ChargeTypeSpec(ACONTO_WATER, "A conto vand", pligtig=True),
    ChargeTypeSpec("ACONTO_KOELING", "A conto køling", pligtig=True),
    ChargeTypeSpec("ANTENNE", "Antenne og bredbånd", pligtig=True),
    ChargeTypeSpec(PAKRAV_FEE, "Påkravsgebyr", pligtig=True),
    ChargeTypeSpec(INDSKUD, "Beboerindskud", pligtig=True),
    ChargeTypeSpec(DEPOSITUM, "Depositum", pligtig=True),
    ChargeTypeSpec("VARMEREGNSKAB", "Varmeregnskab", pligtig=True),
    ChargeTypeSpec("VANDREGNSKAB", "Vandregnskab", pligtig=True),
    ChargeTypeSpec("VASKERI", "Vaskeri", pligtig=False),
    ChargeTypeSpec("RYKKERGEBYR", "Rykkergebyr", pligtig=False),
    ChargeTypeSpec("ANDET", "Andet", pligtig=False),
    ChargeTypeSpec(NORMAL_REFURBISHMENT, "Normalistandsættelse ved fraflytning", pligtig=False),
    ChargeTypeSpec(DAMAGE, "Misligholdelse ved fraflytning", pligtig=False),
    ChargeTypeSpec(MOVEOUT_CLAIM, "Øvrige krav ved fraflytning", pligtig=False),
    ChargeTypeSpec(VACANCY_RENT, "Tomgangsleje, kommunen", pligtig=False),
)


DEPOSIT_CODES = frozenset({INDSKUD, DEPOSITUM})


def counter_account(code: str) -> Account:
    """The organisation's side of a charge: a deposit is held for the tenant, a liability to be
    repaid at move-out less the tenant's obligations (ALL §§ 45-47), not income."""
    return Account.DEPOSIT if code in DEPOSIT_CODES else Account.INCOME


def counter_line_tenancy(code: str, tenancy_id: int | None) -> int | None:
    """A deposit liability line names its tenancy (the move-out settles it per tenancy)."""
    return tenancy_id if code in DEPOSIT_CODES else None


def ensure_default_charge_types(session: Session, organisation_id: int) -> dict[str, ChargeType]:
    """Create the default charge types an organisation lacks; return all of its types by code."""
    existing = {
        charge_type.code: charge_type
        for charge_type in session.exec(
            select(ChargeType).where(ChargeType.organisation_id == organisation_id)
        )
    }
    for spec in DEFAULT_CHARGE_TYPES:
        if spec.code not in existing:
            charge_type = ChargeType(
                organisation_id=organisation_id,
                code=spec.code,
                label=spec.label,
                pligtig=spec.pligtig,
            )
            session.add(charge_type)
            existing[spec.code] = charge_type
    session.flush()
    return existing
