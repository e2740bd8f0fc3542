"""The arrears workflow's municipality notifications: the payloads of the påkrav notice
(ABL § 59, stk. 11) and the eviction request notice (ALL § 92, stk. 2), their stable keys, and
the letter each attaches. They go into the outbox (``workflows.notifications``) in the same
transaction as the påkrav or the request; the dispatcher delivers them. Here is everything the
municipality needs, and never a CPR number (domain.md §4).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from ledger.chunks import chunked
from ledger.models import Organisation
from ledger.municipalities import municipality_names
from workflows.arrears.config import ArrearsConfig
from workflows.arrears.models import Letter, LetterKind
from workflows.arrears.planner import TenancyFacts
from workflows.arrears.rules import DemandLine, LegalDates
from workflows.notifications.envelope import PAYLOAD_SCHEMA
from workflows.notifications.models import NotificationKind
from workflows.notifications.outbox import Attachment

ATTACHMENT_NAMES = {
    LetterKind.PAKRAV: "paakrav",
    LetterKind.TERMINATION: "ophaevelse",
    LetterKind.EVICTION_REQUEST: "anmodning-om-udsaettelse",
}
# Fixed forever: the idempotency keys the municipalities see are derived from it.
_KEY_NAMESPACE = uuid.UUID("6b1f3c2e-6a57-4c1b-9f0e-8a3d2f4b7c01")


def notification_key(organisation_id: int, kind: NotificationKind, case_id: int) -> str:
    """A stable key per organisation, kind and case: the receiver can drop repeats by it, and
    the database refuses a second notification with it."""
    return str(uuid.uuid5(_KEY_NAMESPACE, f"{organisation_id}/{kind}/{case_id}"))


def organisation_part(organisation: Organisation, config: ArrearsConfig) -> dict[str, Any]:
    return {
        "name": organisation.name,
        "cvr": organisation.cvr,
        "address": organisation.address,
        "postcode": organisation.postcode,
        "city": organisation.city,
        "contact": {
            "name": config.contact_name,
            "phone": config.contact_phone,
            "email": config.contact_email,
        },
    }


def tenancy_part(tenancy: TenancyFacts) -> dict[str, Any]:
    """Name and address (what the law requires), the unit and the household; no CPR."""
    return {
        "tenants": list(tenancy.tenant_names),
        "unit_number": tenancy.unit_number,
        "unit_kind": str(tenancy.unit_kind),
        "address": tenancy.address,
        "postcode": tenancy.postcode,
        "city": tenancy.city,
        "tenancy_start": tenancy.start_date.isoformat(),
        "municipally_assigned": tenancy.municipally_assigned,
        "children_under_18": tenancy.children_in_household,
    }


def lines_part(lines: Sequence[DemandLine]) -> list[dict[str, Any]]:
    return [
        {"due_date": line.due_date.isoformat(), "text": line.text, "amount_oere": line.amount_oere}
        for line in lines
    ]


def _common(
    kind: NotificationKind,
    legal_basis: str,
    organisation: Organisation,
    config: ArrearsConfig,
    tenancy: TenancyFacts,
    case_id: int,
    case_reference: str,
) -> dict[str, Any]:
    code = tenancy.municipality_code
    return {
        "schema": PAYLOAD_SCHEMA,
        "kind": str(kind),
        "legal_basis": legal_basis,
        "organisation": organisation_part(organisation, config),
        "municipality": {"code": code, "name": municipality_names().get(code, "")},
        "tenancy": tenancy_part(tenancy),
        "case": {"id": case_id, "reference": case_reference},
    }


def pakrav_first_year(
    organisation: Organisation,
    config: ArrearsConfig,
    tenancy: TenancyFacts,
    *,
    case_id: int,
    case_reference: str,
    due_date: date,
    dates: LegalDates,
    lines: Sequence[DemandLine],
    fee_oere: int,
    letter: dict[str, Any],
) -> dict[str, Any]:
    """ABL § 59, stk. 11: the påkrav, with the deadline before which the municipality must call
    the tenant to a meeting (§ 59, stk. 12)."""
    payload = _common(
        NotificationKind.PAKRAV_FIRST_YEAR,
        "ABL § 59, stk. 11 (påkrav inden for lejeforholdets første år til anvist lejer)",
        organisation,
        config,
        tenancy,
        case_id,
        case_reference,
    )
    amount = sum(line.amount_oere for line in lines)
    payload["pakrav"] = {
        "due_date": due_date.isoformat(),
        "date": dates.dispatch.isoformat(),
        "channel": str(dates.channel),
        "arrival_date": dates.arrival.isoformat(),
        "deadline": dates.deadline.isoformat(),
        "earliest_termination": dates.earliest_termination.isoformat(),
        "lines": lines_part(lines),
        "arrears_oere": amount,
        "fee_oere": fee_oere,
        "total_oere": amount + fee_oere,
    }
    payload["meeting_before"] = dates.deadline.isoformat()
    payload["letter"] = letter
    return payload


def eviction_request(
    organisation: Organisation,
    config: ArrearsConfig,
    tenancy: TenancyFacts,
    *,
    case_id: int,
    case_reference: str,
    request_date: date,
    pakrav: dict[str, Any],
    termination_date: date,
    lines: Sequence[DemandLine],
    letter: dict[str, Any],
) -> dict[str, Any]:
    """ALL § 92, stk. 2: an eviction request for non-payment is filed with the fogedret; the
    municipality is told no later than at the same time (RSL § 5 a: it must act at once,
    children under 18 make it urgent)."""
    payload = _common(
        NotificationKind.EVICTION_REQUEST,
        "ALL § 92, stk. 2 (anmodning om udsættelse på grund af betalingsmisligholdelse)",
        organisation,
        config,
        tenancy,
        case_id,
        case_reference,
    )
    payload["eviction_request"] = {"date": request_date.isoformat(), "court": config.bailiff_court}
    payload["pakrav"] = pakrav
    payload["termination"] = {"date": termination_date.isoformat()}
    payload["arrears"] = {
        "lines": lines_part(lines),
        "total_oere": sum(line.amount_oere for line in lines),
    }
    payload["letter"] = letter
    return payload


def letter_attachments(
    session: Session, letter_ids: Sequence[int], case_references: Mapping[int, str]
) -> dict[int, Attachment]:
    """The stored letters, by id, as the PDFs their notifications attach (a copy of the exact
    bytes sent; the SHA-256 is checked against the letter's own)."""
    found: dict[int, Attachment] = {}
    for chunk in chunked(sorted(set(letter_ids)), 200):
        for letter in session.exec(select(Letter).where(col(Letter.id).in_(chunk))):
            assert letter.id is not None
            attachment = Attachment(
                filename=f"{ATTACHMENT_NAMES[letter.kind]}-{case_references[letter.case_id]}.pdf",
                pdf=letter.pdf,
                source=f"letter:{letter.id}",
            )
            assert attachment.sha256 == letter.checksum, f"letter {letter.id} != its checksum"
            found[letter.id] = attachment
    assert set(found) == set(letter_ids), "every letter a notification attaches is stored"
    return found
