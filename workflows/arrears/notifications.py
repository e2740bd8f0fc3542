"""Municipality notifications (the outbox): records created in the same transaction as the
påkrav (ABL § 59, stk. 11) or the eviction request (ALL § 92, stk. 2). Delivery is the next
issue's; here is everything the municipality needs, and never a CPR number (domain.md §4).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ledger.chunks import chunked
from ledger.models import Organisation, table
from ledger.municipalities import municipality_names
from ledger.types import utc_now
from workflows.arrears.config import ArrearsConfig
from workflows.arrears.models import Notification, NotificationKind, NotificationStatus
from workflows.arrears.planner import TenancyFacts
from workflows.arrears.rules import DemandLine, LegalDates

PAYLOAD_SCHEMA = "almen.municipality-notification.v1"
# Fixed forever: the idempotency keys the municipalities see are derived from it.
_KEY_NAMESPACE = uuid.UUID("6b1f3c2e-6a57-4c1b-9f0e-8a3d2f4b7c01")


def notification_key(organisation_id: int, kind: NotificationKind, case_id: int) -> str:
    """A stable key per organisation, kind and case: the receiver can drop repeats by it, and
    the database refuses a second notification with it."""
    return str(uuid.uuid5(_KEY_NAMESPACE, f"{organisation_id}/{kind}/{case_id}"))


@dataclass(frozen=True, slots=True)
class NewNotification:
    kind: NotificationKind
    case_id: int
    tenancy_id: int
    municipality_code: int
    letter_id: int | None
    payload: dict[str, Any]


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


def create_notifications(
    session: Session, organisation_id: int, notifications: Sequence[NewNotification], day: date
) -> int:
    """Insert the notifications whose idempotency key is new; returns how many were created."""
    keyed = {notification_key(organisation_id, n.kind, n.case_id): n for n in notifications}
    existing: set[str] = set()
    for chunk in chunked(sorted(keyed), 500):
        existing.update(
            session.exec(
                select(Notification.idempotency_key).where(
                    col(Notification.idempotency_key).in_(chunk)
                )
            )
        )
    rows = [
        {
            "organisation_id": organisation_id,
            "municipality_code": n.municipality_code,
            "kind": n.kind,
            "case_id": n.case_id,
            "tenancy_id": n.tenancy_id,
            "letter_id": n.letter_id,
            "created_on": day,
            "created_at": utc_now(),
            "status": NotificationStatus.PENDING,
            "idempotency_key": key,
            "payload": n.payload,
        }
        for key, n in keyed.items()
        if key not in existing
    ]
    if rows:
        session.connection().execute(sa.insert(table("notification")), rows)
    return len(rows)
