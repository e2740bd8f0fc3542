"""What the move-out letters say, gathered from the database as plain facts, and the store of
the documents issued (PDF bytes with SHA-256).

The workflow does not draw letters (``reports`` does, and ``workflows`` may not import it):
the composition root passes renderers (``DocumentRenderers``) that turn these facts into PDF
bytes. Letters go to the address the tenant gave (ALL § 93, stk. 2), or to the old address when
none was given (seed 003: send them there all the same, it can matter as evidence). After a
death they are addressed to the estate (dødsboet).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlmodel import Session, col, select

from ledger.models import Department, Organisation
from ledger.municipalities import municipality_names
from ledger.registry import tenant_names
from ledger.types import MaintenanceScheme
from workflows.moveout.deadlines import LetterChannel, MoveoutCause, repair_notice_deadline
from workflows.moveout.model import GuaranteeVoidReason, RepairCategory, Settlement, SettlementInput
from workflows.moveout.models import DocumentKind, MoveoutCase, MoveoutDocument, MoveoutSettlement
from workflows.moveout.rules import full_months, landlord_share, repair_share_for_tenant
from workflows.moveout.service import (
    MoveoutError,
    case_reference,
    default_channel,
    items_of,
    load_settings,
    log_event,
    tenancy_of,
    unit_of,
)
from workflows.moveout.settlement import assess_repairs
from workflows.moveout.settling import stored_result

MAX_DOCUMENT_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class OrganisationFacts:
    name: str
    address: str
    postcode: str
    city: str
    cvr: str
    phone: str
    email: str
    payment_details: str


@dataclass(frozen=True, slots=True)
class Party:
    """Names and a postal address."""

    names: tuple[str, ...]
    address: str
    postcode: str
    city: str


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """The case as the letters describe it (no CPR number anywhere)."""

    case_id: int
    reference: str
    unit_number: str
    unit_kind: str
    home: Party  # the tenants and the home they moved out of
    recipient: Party  # where letters go
    deceased: bool
    tenancy_start: date
    end_date: date
    cause: MoveoutCause
    maintenance_scheme: MaintenanceScheme
    takeover_months: int
    municipally_assigned: bool
    guarantee_void_reason: GuaranteeVoidReason | None
    municipality_code: int
    municipality_name: str
    deposit_kind: str
    learned_on: date | None
    inspection_held_on: date | None
    repair_notice_arrived_on: date | None
    channel: LetterChannel
    left_no_address: bool


@dataclass(frozen=True, slots=True)
class NoticeItem:
    position: int
    text: str
    category: RepairCategory
    estimate_oere: int
    tenant_share_oere: int  # the tenant's share of the estimate (§ 26, stk. 2; § 25, stk. 4)


@dataclass(frozen=True, slots=True)
class RepairNoticeFacts:
    """Istandsættelsesmeddelelse (ALL § 94, stk. 2): scope, estimated cost, tenant's share."""

    organisation: OrganisationFacts
    case: CaseFacts
    notice_date: date
    deadline: date  # the last day the notice may reach the tenant
    items: tuple[NoticeItem, ...]
    full_months: int
    landlord_share: Fraction | None  # None under scheme B

    @property
    def estimate_total_oere(self) -> int:
        return sum(item.estimate_oere for item in self.items)

    @property
    def tenant_total_oere(self) -> int:
        return sum(item.tenant_share_oere for item in self.items)


@dataclass(frozen=True, slots=True)
class RepairSplit:
    """One repair on the statement: who pays what of it."""

    text: str
    category: RepairCategory
    amount_oere: int
    landlord_oere: int  # landlord's share (§ 26, stk. 2) or the maintenance account (§ 27)
    overrun_oere: int  # beyond estimate + 10 % (§ 94, stk. 2, 2. pkt.)
    lapsed_oere: int  # late repair notice (§ 94, stk. 2, 1. pkt.)
    tenant_oere: int  # the tenant's obligation
    guarantee_oere: int  # of the tenant's obligation, what the municipality is asked to pay


@dataclass(frozen=True, slots=True)
class StatementFacts:
    """The final statement (flytteopgørelse) or the guarantee claim of a stored settlement."""

    organisation: OrganisationFacts
    case: CaseFacts
    document_date: date
    settlement_id: int
    settled_on: date
    input: SettlementInput
    settlement: Settlement
    repairs: tuple[RepairSplit, ...]


@dataclass(frozen=True, slots=True)
class DocumentRenderers:
    """PDF renderers injected by the composition root (``reports.letters.moveout``)."""

    repair_notice: Callable[[RepairNoticeFacts], bytes]
    final_statement: Callable[[StatementFacts], bytes]
    guarantee_claim: Callable[[StatementFacts], bytes]


def organisation_facts(session: Session, organisation_id: int) -> OrganisationFacts:
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None
    settings = load_settings(session, organisation_id)
    return OrganisationFacts(
        name=organisation.name,
        address=organisation.address,
        postcode=organisation.postcode,
        city=organisation.city,
        cvr=organisation.cvr,
        phone=settings.contact_phone,
        email=settings.contact_email,
        payment_details=settings.payment_details,
    )


def case_facts(session: Session, case: MoveoutCase) -> CaseFacts:
    assert case.id is not None
    tenancy = tenancy_of(session, case)
    assert tenancy.id is not None
    unit = unit_of(session, tenancy)
    department = session.get(Department, unit.department_id)
    assert department is not None
    names = tuple(tenant_names(session, tenancy.id))
    home = Party(names, unit.address, unit.postcode, unit.city)
    deceased = case.cause is MoveoutCause.DEATH
    letter_names = (f"Dødsboet efter {' og '.join(names)}",) if deceased else names
    if case.new_address:
        recipient = Party(
            letter_names, case.new_address, case.new_postcode or "", case.new_city or ""
        )
    else:
        recipient = Party(letter_names, unit.address, unit.postcode, unit.city)
    return CaseFacts(
        case_id=case.id,
        reference=case_reference(case),
        unit_number=unit.unit_number,
        unit_kind=str(unit.kind),
        home=home,
        recipient=recipient,
        deceased=deceased,
        tenancy_start=tenancy.start_date,
        end_date=case.end_date,
        cause=case.cause,
        maintenance_scheme=department.maintenance_scheme,
        takeover_months=department.takeover_months,
        municipally_assigned=tenancy.municipally_assigned,
        guarantee_void_reason=case.guarantee_void_reason,
        municipality_code=unit.municipality_code,
        municipality_name=municipality_names().get(unit.municipality_code, ""),
        deposit_kind=str(tenancy.deposit_kind),
        learned_on=case.learned_on,
        inspection_held_on=case.inspection_held_on,
        repair_notice_arrived_on=case.repair_notice_arrived_on,
        channel=case.repair_notice_channel or default_channel(tenancy),
        left_no_address=case.left_no_address,
    )


def repair_notice_facts(
    session: Session, case: MoveoutCase, notice_date: date
) -> RepairNoticeFacts:
    """The repair notice as of ``notice_date``: every item with the tenant's share of its
    estimate (ALL § 94, stk. 2)."""
    facts = case_facts(session, case)
    if case.inspection_held_on is None:
        raise MoveoutError("the repair notice needs the inspection (record it first)")
    items = items_of(session, case)
    if not items:
        raise MoveoutError("the inspection report has no items: there is nothing to give notice of")
    months = full_months(facts.tenancy_start, facts.end_date)
    scheme = facts.maintenance_scheme
    share = landlord_share(months, facts.takeover_months) if scheme is MaintenanceScheme.A else None
    return RepairNoticeFacts(
        organisation=organisation_facts(session, case.organisation_id),
        case=facts,
        notice_date=notice_date,
        deadline=repair_notice_deadline(case.inspection_held_on),
        items=tuple(
            NoticeItem(
                position=item.position,
                text=item.text,
                category=item.category,
                estimate_oere=item.estimate_oere,
                tenant_share_oere=repair_share_for_tenant(
                    item.estimate_oere, item.category, scheme, share or Fraction(0)
                ),
            )
            for item in items
        ),
        full_months=months,
        landlord_share=share,
    )


def repair_splits(inp: SettlementInput, settlement: Settlement) -> tuple[RepairSplit, ...]:
    """Each repair split by who pays (pure). The deposit and any credit meet the tenant's
    repairs in input order; what they leave goes to the guarantee when it applies (the order
    ``settlement.statement_lines`` uses)."""
    parts = assess_repairs(inp, settlement.landlord_share, settlement.repair_notice)
    covered = settlement.repairs_tenant_oere - settlement.guarantee_claim_oere
    assert covered >= 0
    splits = []
    for p in parts:
        met = min(covered, p.tenant_oere)
        covered -= met
        splits.append(
            RepairSplit(
                text=p.text,
                category=p.category,
                amount_oere=p.amount_oere,
                landlord_oere=p.landlord_share_oere + p.maintenance_account_oere,
                overrun_oere=p.overrun_oere,
                lapsed_oere=p.lapsed_oere,
                tenant_oere=p.tenant_oere,
                guarantee_oere=p.tenant_oere - met,
            )
        )
    assert sum(s.guarantee_oere for s in splits) == settlement.guarantee_claim_oere
    return tuple(splits)


def statement_facts(
    session: Session, case: MoveoutCase, row: MoveoutSettlement, document_date: date
) -> StatementFacts:
    """The facts of a stored settlement, recomputed from its stored input (figures checked)."""
    assert row.id is not None and row.case_id == case.id
    inp, result = stored_result(row)
    return StatementFacts(
        organisation=organisation_facts(session, case.organisation_id),
        case=case_facts(session, case),
        document_date=document_date,
        settlement_id=row.id,
        settled_on=row.as_of,
        input=inp,
        settlement=result,
        repairs=repair_splits(inp, result),
    )


def store_document(
    session: Session,
    case: MoveoutCase,
    *,
    kind: DocumentKind,
    pdf: bytes,
    document_date: date,
    actor: str,
    settlement_id: int | None = None,
) -> MoveoutDocument:
    """Keep an issued document exactly as issued; the same bytes twice are stored once."""
    assert case.id is not None
    if not pdf.startswith(b"%PDF-") or len(pdf) > MAX_DOCUMENT_BYTES:
        raise MoveoutError(f"the {kind.value} renderer did not give a PDF of a sensible size")
    digest = hashlib.sha256(pdf).hexdigest()
    existing = session.exec(
        select(MoveoutDocument).where(
            MoveoutDocument.case_id == case.id,
            MoveoutDocument.kind == kind,
            MoveoutDocument.sha256 == digest,
        )
    ).first()
    if existing is not None:
        return existing
    document = MoveoutDocument(
        organisation_id=case.organisation_id,
        case_id=case.id,
        kind=kind,
        settlement_id=settlement_id,
        document_date=document_date,
        sha256=digest,
        pdf=pdf,
        created_by=actor,
    )
    session.add(document)
    session.flush()
    log_event(session, case, actor, "document", f"{kind.value} {document_date}: sha256 {digest}")
    return document


def documents_of(session: Session, case: MoveoutCase) -> list[MoveoutDocument]:
    return list(
        session.exec(
            select(MoveoutDocument)
            .where(MoveoutDocument.case_id == case.id)
            .order_by(col(MoveoutDocument.id))
        )
    )
