"""The claim on the municipality under its guarantee (ABL § 59, stk. 1; § 63, stk. 3; seed 003
"Kommunens garanti for misligholdelse ved fraflytning").

The claim is stored in ``moveout_guarantee_claim`` in the transaction that posts the
settlement, and in the same transaction its notification goes into the outbox
(``workflows.notifications``: kind ``guarantee_claim``, the claim's idempotency key, the claim
letter attached); the claim is then ``queued``. The payload follows the outbox's schema
``almen.municipality-notification.v1`` and never carries a CPR number (domain.md §4).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel import Session, select

from workflows.moveout.documents import StatementFacts
from workflows.moveout.models import (
    GuaranteeClaimStatus,
    MoveoutCase,
    MoveoutDocument,
    MoveoutGuaranteeClaim,
)
from workflows.moveout.service import log_event
from workflows.notifications.envelope import PAYLOAD_SCHEMA
from workflows.notifications.models import NotificationKind
from workflows.notifications.outbox import Attachment, NewNotification, create_notification

KIND = str(NotificationKind.GUARANTEE_CLAIM)
LEGAL_BASIS = "ABL § 59, stk. 1; § 63, stk. 3"
# Fixed forever: the idempotency keys the municipalities see are derived from it.
_KEY_NAMESPACE = uuid.UUID("2f0c9a5e-31d4-4e67-8b0a-7d3c1e9f5a42")


def guarantee_claim_key(organisation_id: int, case_id: int) -> str:
    """One key per organisation and move-out case (36 characters, like the outbox's keys)."""
    return str(uuid.uuid5(_KEY_NAMESPACE, f"{organisation_id}/{KIND}/moveout/{case_id}"))


def guarantee_claim_payload(
    facts: StatementFacts, *, claimed_on: date, document: MoveoutDocument | None
) -> dict[str, Any]:
    """Everything the municipality needs to pay the claim: who, which home, the settlement's
    figures in the order the law sets (deposit first to the claims the guarantee does not
    cover, then to repairs), each repair with what the deposit met and what is claimed."""
    org, case, s = facts.organisation, facts.case, facts.settlement
    assert s.guarantee_claim_oere > 0, "no guarantee claim in this settlement"
    return {
        "schema": PAYLOAD_SCHEMA,
        "kind": KIND,
        "legal_basis": LEGAL_BASIS,
        "organisation": {
            "name": org.name,
            "cvr": org.cvr,
            "address": org.address,
            "postcode": org.postcode,
            "city": org.city,
            "contact": {"phone": org.phone, "email": org.email},
            "payment_details": org.payment_details,
        },
        "municipality": {"code": case.municipality_code, "name": case.municipality_name},
        "tenancy": {
            "tenants": list(case.home.names),
            "unit_number": case.unit_number,
            "unit_kind": case.unit_kind,
            "address": case.home.address,
            "postcode": case.home.postcode,
            "city": case.home.city,
            "tenancy_start": case.tenancy_start.isoformat(),
            "tenancy_end": case.end_date.isoformat(),
            "municipally_assigned": case.municipally_assigned,
            "maintenance_scheme": case.maintenance_scheme.value,
        },
        "case": {"id": case.case_id, "reference": case.reference},
        "moveout": {
            "cause": case.cause.value,
            "learned_on": _day(case.learned_on),
            "inspection_date": _day(case.inspection_held_on),
            "repair_notice_date": _day(case.repair_notice_arrived_on),
            "tenant_new_address": None
            if case.left_no_address or case.recipient.address == case.home.address
            else {
                "address": case.recipient.address,
                "postcode": case.recipient.postcode,
                "city": case.recipient.city,
            },
        },
        "settlement": {
            "id": facts.settlement_id,
            "as_of": facts.settled_on.isoformat(),
            "claims_total_oere": s.claims_total_oere,
            "open_items_net_oere": s.open_items_net_oere,
            "other_claims_oere": s.other_claims_oere,
            "repairs_tenant_oere": s.repairs_tenant_oere,
            "deposit_oere": s.deposit_oere,
            "deposit_applied_oere": s.deposit_applied_oere,
            "guarantee_claim_oere": s.guarantee_claim_oere,
            "tenant_owes_oere": s.tenant_owes_oere,
        },
        "repairs": [
            {
                "text": r.text,
                "category": r.category.value,
                "amount_oere": r.amount_oere,
                "tenant_share_oere": r.tenant_oere,
                "covered_by_deposit_oere": r.tenant_oere - r.guarantee_oere,
                "claimed_oere": r.guarantee_oere,
            }
            for r in facts.repairs
        ],
        "claimed_on": claimed_on.isoformat(),
        "amount_oere": s.guarantee_claim_oere,
        "letter": None
        if document is None
        else {"table": "moveout_document", "id": document.id, "sha256": document.sha256},
    }


def create_guarantee_claim(
    session: Session,
    case: MoveoutCase,
    facts: StatementFacts,
    *,
    claimed_on: date,
    document: MoveoutDocument | None,
    actor: str,
) -> MoveoutGuaranteeClaim:
    """Store the claim unless the case has one already, and put its notification in the
    outbox in the same transaction (the claim is then ``queued``)."""
    assert case.id is not None
    existing = session.exec(
        select(MoveoutGuaranteeClaim).where(MoveoutGuaranteeClaim.case_id == case.id)
    ).first()
    if existing is not None:
        return existing
    claim = MoveoutGuaranteeClaim(
        organisation_id=case.organisation_id,
        case_id=case.id,
        tenancy_id=case.tenancy_id,
        settlement_id=facts.settlement_id,
        municipality_code=facts.case.municipality_code,
        amount_oere=facts.settlement.guarantee_claim_oere,
        status=GuaranteeClaimStatus.PENDING,
        created_on=claimed_on,
        idempotency_key=guarantee_claim_key(case.organisation_id, case.id),
        payload=guarantee_claim_payload(facts, claimed_on=claimed_on, document=document),
        document_id=None if document is None else document.id,
        created_by=actor,
    )
    session.add(claim)
    session.flush()
    queue_guarantee_claim(session, claim, document, facts.case.reference)
    log_event(
        session, case, actor, "guarantee claim",
        f"{claim.amount_oere} øre from municipality {claim.municipality_code}, key "
        f"{claim.idempotency_key}, queued for the municipality",
    )  # fmt: skip
    return claim


def queue_guarantee_claim(
    session: Session,
    claim: MoveoutGuaranteeClaim,
    document: MoveoutDocument | None,
    reference: str,
) -> int | None:
    """The claim's notification into the outbox (the claim letter attached when there is
    one); the claim becomes ``queued``. Returns the notification's id."""
    assert claim.status is GuaranteeClaimStatus.PENDING
    attachment = None
    if document is not None:
        assert document.id is not None and document.id == claim.document_id
        attachment = Attachment(
            filename=f"garantikrav-{reference}.pdf",
            pdf=document.pdf,
            source=f"moveout_document:{document.id}",
        )
        assert attachment.sha256 == document.sha256
    notification_id = create_notification(
        session,
        claim.organisation_id,
        NewNotification(
            kind=NotificationKind.GUARANTEE_CLAIM,
            idempotency_key=claim.idempotency_key,
            municipality_code=claim.municipality_code,
            tenancy_id=claim.tenancy_id,
            payload=claim.payload,
            moveout_case_id=claim.case_id,
            attachment=attachment,
        ),
        claim.created_on,
    )
    assert notification_id is not None, "one notification per guarantee claim"
    claim.status = GuaranteeClaimStatus.QUEUED
    session.add(claim)
    session.flush()
    return notification_id


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
