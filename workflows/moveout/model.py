"""The move-out settlement's input and output (flytteopgørelse), as frozen dataclasses.

Money is an ``int`` number of øre, dates are ``datetime.date``. Nothing here does I/O or knows
today's date. The rules live in ``rules.py``, the settlement itself in ``settlement.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from ledger.types import MaintenanceScheme

DEFAULT_TAKEOVER_MONTHS = 100  # 1 % per full month lived (domain.md §5)
MAX_TAKEOVER_MONTHS = 120  # "en periode på højst 10 år" (ALL § 26, stk. 2, 3. pkt.)
NOTICE_DEADLINE_DAYS = 14  # "senest 2 uger efter synet" (ALL § 94, stk. 2, 1. pkt.)
OVERRUN_TOLERANCE_PCT = 10  # "mere end 10 pct." (ALL § 94, stk. 2, 2. pkt.)


class OpenItemKind(StrEnum):
    """What an open ledger item at move-out is. None of them is covered by the municipal
    guarantee (seed 003, "Kommunens garanti": "ikke betaling af husleje, varme, antennebidrag")."""

    RENT = "rent"  # husleje up to the end of the tenancy
    ACONTO = "aconto"  # a conto varme/vand/køling
    UTILITY_SETTLEMENT = "utility_settlement"  # varme-/vandregnskab; may be a credit (< 0)
    ANTENNA = "antenna"  # antenne-/bredbåndsbidrag
    FEE = "fee"  # gebyrer, e.g. påkravsgebyr
    OTHER = "other"


class RepairCategory(StrEnum):
    """Istandsættelse at move-out."""

    NORMAL = "normal"  # normalistandsættelse: walls/ceilings, cleaning (ALL § 26, stk. 2)
    DAMAGE = "damage"  # misligholdelse, always the tenant's in full (ALL § 25, stk. 4)


class GuaranteeVoidReason(StrEnum):
    """Why an assigned tenant's municipal guarantee does not cover this move-out (seed 003)."""

    INTERNAL_MOVE = "internal_move"  # this home was got by intern oprykning
    SWAP = "swap"  # this home was got by bytning
    HOUSEHOLD_MEMBER_CONTINUED = "household_member_continued"  # another member took the lease


class Bearer(StrEnum):
    """Who finally bears an amount on the statement."""

    TENANT = "tenant"  # set off against the deposit, or owed by the tenant (or a credit to them)
    GUARANTEE = "guarantee"  # claimed from the municipality (ABL § 59, stk. 1; § 63, stk. 3)
    LANDLORD_SHARE = "landlord_share"  # taken over by the landlord (ALL § 26, stk. 2)
    MAINTENANCE_ACCOUNT = "maintenance_account"  # scheme B, vedligeholdelseskonto (ALL § 27)
    LANDLORD = "landlord"  # overrun beyond estimate + 10 % (ALL § 94, stk. 2, 2. pkt.)
    LAPSED = "lapsed"  # claim lapsed: late repair notice (ALL § 94, stk. 2, 1. pkt.)


class Section(StrEnum):
    """Where a line belongs on the statement."""

    OPEN_ITEM = "open_item"
    OTHER_CLAIM = "other_claim"
    REPAIR = "repair"


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An open item on the tenant's account at move-out; ``amount_oere < 0`` is a credit."""

    text: str
    amount_oere: int
    kind: OpenItemKind


@dataclass(frozen=True, slots=True)
class Repair:
    """A repair found at the inspection (syn), with its final cost.

    ``estimate_oere`` is the estimated cost given in the written notice (ALL § 94, stk. 2); None
    means the price was known when the notice was given (e.g. a fixed normalistandsættelsesbeløb,
    § 26, stk. 2, 2. pkt.), so the notice stated ``amount_oere`` itself.
    """

    text: str
    amount_oere: int
    category: RepairCategory
    estimate_oere: int | None = None

    @property
    def notified_oere(self) -> int:
        """The cost the written notice stated."""
        return self.amount_oere if self.estimate_oere is None else self.estimate_oere


@dataclass(frozen=True, slots=True)
class OtherClaim:
    """Another claim on the tenant (e.g. legal costs); never covered by the guarantee."""

    text: str
    amount_oere: int


@dataclass(frozen=True, slots=True)
class Attachment:
    """An udlæg in the deposit by one of the tenant's creditors via the fogedret.

    ``debtor`` names the tenant whose creditor it is and ``debtor_share`` that tenant's share of
    the deposit: with several tenants an udlæg reaches only the debtor's share (seed 003).
    Attachments on the same debtor must give the same share; the shares of different debtors
    may not add up to more than 1. A single tenant: leave both at their defaults.
    """

    creditor: str
    amount_oere: int
    registered_on: date
    debtor: str = "tenant"
    debtor_share: Fraction = Fraction(1)


@dataclass(frozen=True, slots=True)
class SettlementInput:
    """Everything the settlement needs, and nothing it must look up.

    ``tenancy_start`` is the day the tenant took over the home (overtagelse) and
    ``tenancy_end`` the last day of the tenancy; both count as days lived.
    ``repair_notice_date`` is the day the written repair notice reached the tenant (None: never
    given). ``tenant_left_no_address``: the tenant moved without giving a new address (ALL § 93,
    stk. 2), which keeps the repair claim alive (§ 94, stk. 2).
    """

    tenancy_start: date
    tenancy_end: date
    maintenance_scheme: MaintenanceScheme
    deposit_oere: int
    takeover_months: int = DEFAULT_TAKEOVER_MONTHS
    municipally_assigned: bool = False
    guarantee_applies: bool = False
    guarantee_void_reason: GuaranteeVoidReason | None = None
    open_items: tuple[OpenItem, ...] = ()
    repairs: tuple[Repair, ...] = ()
    other_claims: tuple[OtherClaim, ...] = ()
    indskudslaan_oere: int = 0
    attachments: tuple[Attachment, ...] = ()
    inspection_date: date | None = None
    repair_notice_date: date | None = None
    tenant_left_no_address: bool = False


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One line of the final statement: an amount and who bears it.

    An input item may give several lines (e.g. the landlord's share and the tenant's share of a
    normal refurbishment, or the part the deposit covered and the part the guarantee pays).
    """

    section: Section
    text: str
    amount_oere: int
    bearer: Bearer
    basis: str  # the paragraph the line rests on


@dataclass(frozen=True, slots=True)
class AttachmentPayment:
    """What one udlæg got from the rest of the deposit (0 if nothing was left for it)."""

    creditor: str
    registered_on: date
    debtor: str
    claimed_oere: int
    amount_oere: int


@dataclass(frozen=True, slots=True)
class RepairNoticeDecision:
    """Whether the repair claim lapsed for a late written notice (ALL § 94, stk. 2)."""

    lapsed: bool
    deadline: date | None  # the last day the notice could reach the tenant in time
    reason: str


@dataclass(frozen=True, slots=True)
class Settlement:
    """The result: every total the flytteopgørelse prints, and its lines.

    Totals (asserted in ``settlement.settle``):

    * ``claims_total_oere == deposit_applied_oere + guarantee_claim_oere + tenant_owes_oere``
    * ``deposit_oere == deposit_applied_oere + paid_to_indskudslaan_oere
      + sum(paid_to_attachments) + refund_oere``

    ``credit_refund_oere`` is a credit balance (e.g. a heat settlement in the tenant's favour)
    left after setting it off against every claim; it is paid to the tenant apart from the
    deposit, so udlæg in the deposit does not reach it.
    """

    full_months: int
    landlord_share: Fraction | None  # None under scheme B: no normal refurbishment is charged
    repair_notice: RepairNoticeDecision
    normal_refurbishment_tenant_oere: int
    damage_tenant_oere: int
    repairs_overrun_oere: int  # cut from the tenant's repairs by the 10 % rule
    open_items_net_oere: int
    other_claims_oere: int
    claims_total_oere: int
    deposit_oere: int
    deposit_applied_oere: int
    guarantee_claim_oere: int
    tenant_owes_oere: int
    credit_refund_oere: int
    paid_to_indskudslaan_oere: int
    paid_to_attachments: tuple[AttachmentPayment, ...]
    refund_oere: int
    lines: tuple[StatementLine, ...]
    notes: tuple[str, ...]

    @property
    def repairs_tenant_oere(self) -> int:
        """The tenant's repair obligations after the landlord's share, lapse and the 10 % cap."""
        return self.normal_refurbishment_tenant_oere + self.damage_tenant_oere

    @property
    def landlord_share_pct(self) -> float | None:
        """The landlord's share in per cent, for printing (exact value: ``landlord_share``)."""
        if self.landlord_share is None:
            return None
        return round(float(self.landlord_share * 100), 2)
