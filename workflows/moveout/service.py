"""Move-out cases: register, record what happened, keep the stored deadlines in step (the
inspection report, invoices, claims and udlæg are in ``entries``). Services flush, never commit.

Recorded dates are write-once: recording a different value is refused unless it is a
correction (``correct=True``), which is logged with the old and the new value. Every change is
an event in ``moveout_event`` (who, when, what).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from ledger.models import Tenancy, Unit
from ledger.money import MAX_AMOUNT_OERE
from ledger.registry import unit_by_number
from ledger.types import DeliveryChannel, utc_now
from workflows.moveout.deadlines import (
    CaseDates,
    LetterChannel,
    MoveoutCause,
    arrival,
    case_deadlines,
    inspection_deadline,
    shorter_notice_allowed,
    summons_deadline,
)
from workflows.moveout.model import GuaranteeVoidReason
from workflows.moveout.models import (
    CaseState,
    LearnedHow,
    MoveoutAttachment,
    MoveoutCase,
    MoveoutClaim,
    MoveoutDeadline,
    MoveoutEvent,
    MoveoutInvoice,
    MoveoutItem,
    MoveoutSettings,
)


class MoveoutError(ValueError):
    """A move-out request that cannot be carried out; the message says why."""


@dataclass(frozen=True, slots=True)
class NewAddress:
    """The address the tenant gave for letters after moving (ALL § 93, stk. 2)."""

    address: str
    postcode: str
    city: str


@dataclass(frozen=True, slots=True)
class CaseUpdate:
    """What to record on a case; None leaves a field as it is."""

    learned_on: date | None = None
    learned_how: LearnedHow | None = None
    new_address: NewAddress | None = None
    left_no_address: bool | None = None
    guarantee_void_reason: GuaranteeVoidReason | None = None
    indskudslaan_oere: int | None = None
    summons_sent_on: date | None = None
    summons_channel: LetterChannel | None = None
    summons_arrived_on: date | None = None
    inspection_planned_on: date | None = None
    shorter_notice_agreed: bool | None = None
    inspection_held_on: date | None = None
    inspection_waived: bool | None = None
    no_repair_claim: bool | None = None
    repair_notice_sent_on: date | None = None
    repair_notice_channel: LetterChannel | None = None
    repair_notice_arrived_on: date | None = None
    statement_sent_on: date | None = None


def case_reference(case: MoveoutCase) -> str:
    """The case number printed on letters: "F-" and the case id."""
    assert case.id is not None
    return f"F-{case.id:05d}"


# --- settings ---------------------------------------------------------------------------------


def load_settings(session: Session, organisation_id: int) -> MoveoutSettings:
    """The organisation's move-out settings (the defaults when none are stored)."""
    found = session.get(MoveoutSettings, organisation_id)
    return found if found is not None else MoveoutSettings(organisation_id=organisation_id)


def update_settings(
    session: Session, organisation_id: int, actor: str, **changes: Any
) -> MoveoutSettings:
    """Store changed settings (``warn_days``, ``letter_arrival_bank_days``, contact details)."""
    current = load_settings(session, organisation_id)
    if all(value is None for value in changes.values()):
        return current
    limits = {"warn_days": (0, 60), "letter_arrival_bank_days": (0, 20)}
    for name, value in changes.items():
        if value is None:
            continue
        if name in limits and not limits[name][0] <= value <= limits[name][1]:
            low, high = limits[name]
            raise MoveoutError(f"{name} must be {low}-{high}, got {value}")
        if name not in MoveoutSettings.model_fields or name == "organisation_id":
            raise MoveoutError(f"no move-out setting called {name!r}")
        setattr(current, name, value)
    current.updated_at, current.updated_by = utc_now(), actor
    session.add(current)
    session.flush()
    return current


# --- lookups ----------------------------------------------------------------------------------


def case_for_unit(session: Session, organisation_id: int, unit_number: str) -> MoveoutCase:
    """The latest move-out case of a unit (by end date), or a clear error."""
    unit = unit_by_number(session, organisation_id, unit_number)
    if unit is None:
        raise MoveoutError(f"unknown unit {unit_number!r}")
    found = session.exec(
        select(MoveoutCase)
        .join(Tenancy, col(Tenancy.id) == col(MoveoutCase.tenancy_id))
        .where(MoveoutCase.organisation_id == organisation_id, Tenancy.unit_id == unit.id)
        .order_by(col(MoveoutCase.end_date).desc(), col(MoveoutCase.id).desc())
    ).first()
    if found is None:
        raise MoveoutError(f"unit {unit_number} has no move-out case (register it first)")
    return found


def tenancy_of(session: Session, case: MoveoutCase) -> Tenancy:
    tenancy = session.get(Tenancy, case.tenancy_id)
    assert tenancy is not None and tenancy.organisation_id == case.organisation_id
    return tenancy


def unit_of(session: Session, tenancy: Tenancy) -> Unit:
    unit = session.get(Unit, tenancy.unit_id)
    assert unit is not None
    return unit


def items_of(session: Session, case: MoveoutCase) -> list[MoveoutItem]:
    return list(
        session.exec(
            select(MoveoutItem)
            .where(MoveoutItem.case_id == case.id)
            .order_by(col(MoveoutItem.position))
        )
    )


def invoices_of(session: Session, case: MoveoutCase) -> list[MoveoutInvoice]:
    return list(
        session.exec(
            select(MoveoutInvoice)
            .where(MoveoutInvoice.case_id == case.id)
            .order_by(col(MoveoutInvoice.id))
        )
    )


def claims_of(session: Session, case: MoveoutCase) -> list[MoveoutClaim]:
    return list(
        session.exec(
            select(MoveoutClaim)
            .where(MoveoutClaim.case_id == case.id)
            .order_by(col(MoveoutClaim.id))
        )
    )


def attachments_of(session: Session, case: MoveoutCase) -> list[MoveoutAttachment]:
    return list(
        session.exec(
            select(MoveoutAttachment)
            .where(MoveoutAttachment.case_id == case.id)
            .order_by(col(MoveoutAttachment.id))
        )
    )


def events_of(session: Session, case: MoveoutCase) -> list[MoveoutEvent]:
    return list(
        session.exec(
            select(MoveoutEvent)
            .where(MoveoutEvent.case_id == case.id)
            .order_by(col(MoveoutEvent.id))
        )
    )


def stored_deadlines(session: Session, case: MoveoutCase) -> list[MoveoutDeadline]:
    return list(
        session.exec(
            select(MoveoutDeadline)
            .where(MoveoutDeadline.case_id == case.id)
            .order_by(col(MoveoutDeadline.due_on), col(MoveoutDeadline.id))
        )
    )


def log_event(session: Session, case: MoveoutCase, actor: str, action: str, detail: str) -> None:
    assert case.id is not None
    session.add(
        MoveoutEvent(
            organisation_id=case.organisation_id,
            case_id=case.id,
            actor=actor,
            action=action[:40],
            detail=detail[:500],
        )
    )


# --- register ---------------------------------------------------------------------------------


def register_moveout(
    session: Session,
    tenancy: Tenancy,
    *,
    end_date: date,
    cause: MoveoutCause,
    actor: str,
    as_of: date,
    update: CaseUpdate | None = None,
) -> MoveoutCase:
    """Open the move-out case of ``tenancy``, ending on ``end_date`` (the last day of the lease).

    The tenancy's end date is set when it has none (rent is then charged only up to it, ALL
    § 44, stk. 3); a different end date already registered is an error, not a silent change.
    """
    assert tenancy.id is not None
    if end_date < tenancy.start_date:
        raise MoveoutError(
            f"end date {end_date} is before the tenancy began ({tenancy.start_date})"
        )
    if tenancy.end_date is not None and tenancy.end_date != end_date:
        raise MoveoutError(
            f"the tenancy is registered as ending {tenancy.end_date}, not {end_date}: "
            "correct the tenancy first"
        )
    existing = session.exec(select(MoveoutCase).where(MoveoutCase.tenancy_id == tenancy.id)).first()
    if existing is not None:
        raise MoveoutError(f"the tenancy already has move-out case {case_reference(existing)}")
    case = MoveoutCase(
        organisation_id=tenancy.organisation_id,
        tenancy_id=tenancy.id,
        state=CaseState.OPEN,
        end_date=end_date,
        cause=cause,
        created_by=actor,
    )
    session.add(case)
    if tenancy.end_date is None:
        tenancy.end_date = end_date
        session.add(tenancy)
    session.flush()
    log_event(session, case, actor, "registered", f"end {end_date}, cause {cause.value}")
    if update is not None:
        record(session, case, update, actor=actor, as_of=as_of)
    sync_deadlines(session, case, as_of=as_of, actor=actor)
    return case


# --- record -----------------------------------------------------------------------------------


def record(
    session: Session,
    case: MoveoutCase,
    update: CaseUpdate,
    *,
    actor: str,
    as_of: date,
    correct: bool = False,
) -> list[str]:
    """Record ``update`` on ``case``; returns warnings for the caseworker (in English).

    Raises ``MoveoutError`` for what the law or the case does not allow, naming the rule.
    """
    if case.state is CaseState.POSTED and _fields_set(update) - {"statement_sent_on"}:
        raise MoveoutError(
            f"case {case_reference(case)} is posted: only the statement date can be recorded"
        )
    tenancy = tenancy_of(session, case)
    settings = load_settings(session, case.organisation_id)
    values = _with_arrivals(case, tenancy, update, settings.letter_arrival_bank_days)
    _check_update(session, case, values, as_of)
    changed = _apply(session, case, values, actor=actor, correct=correct)
    if changed:
        case.updated_at = utc_now()
        session.add(case)
        session.flush()
        sync_deadlines(session, case, as_of=as_of, actor=actor, corrected=correct)
    return list(_warnings(case))


def _fields_set(update: CaseUpdate) -> set[str]:
    return {f.name for f in fields(update) if getattr(update, f.name) is not None}


def default_channel(tenancy: Tenancy) -> LetterChannel:
    """Letters go the way the tenancy's letters go (Digital Post reaches former tenants too,
    seed 003), unless the caller says otherwise."""
    if tenancy.delivery_channel is DeliveryChannel.DIGITAL_POST and not tenancy.digital_post_exempt:
        return LetterChannel.DIGITAL_POST
    return LetterChannel.LETTER


def _with_arrivals(
    case: MoveoutCase, tenancy: Tenancy, update: CaseUpdate, bank_days: int
) -> dict[str, Any]:
    """The update as field values, with channels defaulted and arrivals computed."""
    values = {name: getattr(update, name) for name in _fields_set(update)}
    if update.new_address is not None:
        address = update.new_address
        values.pop("new_address")
        values |= {
            "new_address": address.address.strip(),
            "new_postcode": address.postcode.strip(),
            "new_city": address.city.strip(),
        }
    for prefix in ("summons", "repair_notice"):
        sent = values.get(f"{prefix}_sent_on")
        if sent is None:
            continue
        channel = values.get(f"{prefix}_channel") or default_channel(tenancy)
        values[f"{prefix}_channel"] = channel
        values.setdefault(f"{prefix}_arrived_on", arrival(sent, channel, bank_days))
        if values[f"{prefix}_arrived_on"] < sent:
            raise MoveoutError(f"{prefix} arrived before it was sent")
    return values


def _check_update(session: Session, case: MoveoutCase, v: dict[str, Any], as_of: date) -> None:
    merged = {name: v.get(name, getattr(case, name)) for name in MoveoutCase.model_fields}
    for name in ("learned_on", "inspection_held_on", "summons_sent_on", "repair_notice_sent_on"):
        if v.get(name) is not None and v[name] > as_of:
            raise MoveoutError(f"{name} {v[name]} is in the future (today is {as_of})")
    if merged["left_no_address"] and merged["new_address"] is not None:
        raise MoveoutError("a new address and 'left no address' exclude each other")
    if v.get("guarantee_void_reason") and not tenancy_of(session, case).municipally_assigned:
        raise MoveoutError("the tenancy is not municipally assigned: there is no guarantee to void")
    if (
        v.get("indskudslaan_oere") is not None
        and not 0 <= v["indskudslaan_oere"] <= MAX_AMOUNT_OERE
    ):
        raise MoveoutError("indskudslaan_oere must be 0 or more")
    if v.get("shorter_notice_agreed") and not shorter_notice_allowed(case.cause):
        raise MoveoutError(
            "a shorter summons notice may be agreed only when the lease was given notice or "
            "terminated (ALL § 94, stk. 1, 4. pkt.)"
        )
    if v.get("summons_sent_on") is not None:
        planned = merged["inspection_planned_on"]
        if planned is None:
            raise MoveoutError(
                "a summons needs the inspection day it calls to (inspection_planned_on)"
            )
        if v["summons_sent_on"] > planned:
            raise MoveoutError("the summons is sent after the inspection day it calls to")
    _check_inspection(session, case, v, merged)
    if v.get("repair_notice_sent_on") is not None:
        held = merged["inspection_held_on"]
        if held is None or v["repair_notice_sent_on"] < held:
            raise MoveoutError("the repair notice must follow the inspection (record it first)")
        if not items_of(session, case):
            raise MoveoutError("the repair notice needs the inspection report's items")
    if v.get("statement_sent_on") is not None and case.state is CaseState.OPEN:
        raise MoveoutError("settle the case before the final statement is sent")


def _check_inspection(
    session: Session, case: MoveoutCase, v: dict[str, Any], merged: dict[str, Any]
) -> None:
    if merged["inspection_waived"] and merged["inspection_held_on"] is not None:
        raise MoveoutError("the inspection cannot be both held and waived")
    if v.get("inspection_held_on") is not None and merged["learned_on"] is None:
        raise MoveoutError(
            "record the day the organisation learned of the move-out first: the inspection "
            "deadline runs from it (ALL § 94, stk. 1)"
        )
    has_items = bool(items_of(session, case))
    if v.get("inspection_waived") and has_items:
        raise MoveoutError(
            "the inspection may be left out only when no repair claim is made (ALL § 94, stk. "
            "1, 5. pkt.), and the case has repair items"
        )
    if v.get("no_repair_claim") and has_items:
        raise MoveoutError("the case has repair items: remove none, record no 'no repair claim'")


def _apply(
    session: Session, case: MoveoutCase, values: dict[str, Any], *, actor: str, correct: bool
) -> bool:
    changed = False
    for name, new in sorted(values.items()):
        old = getattr(case, name)
        if old == new:
            continue
        unset = old is None or old is False or (name == "indskudslaan_oere" and old == 0)
        if not unset and not correct:
            raise MoveoutError(
                f"{name} is already recorded as {_show(old)}; to change it to {_show(new)}, "
                "record it as a correction"
            )
        setattr(case, name, new)
        action = "recorded" if unset else "corrected"
        log_event(session, case, actor, action, f"{name}: {_show(old)} -> {_show(new)}")
        changed = True
    return changed


def _show(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _warnings(case: MoveoutCase) -> list[str]:
    warnings = []
    if case.learned_on and case.inspection_planned_on and not case.inspection_waived:
        due = inspection_deadline(case.learned_on)
        if case.inspection_planned_on > due:
            warnings.append(
                f"the inspection is planned for {case.inspection_planned_on}, after the deadline "
                f"{due} (ALL § 94, stk. 1): the repair claim is at risk"
            )
    if case.summons_arrived_on and case.inspection_planned_on:
        shorter = case.shorter_notice_agreed and shorter_notice_allowed(case.cause)
        latest = summons_deadline(case.inspection_planned_on, shorter_notice=shorter)
        if case.summons_arrived_on > latest:
            warnings.append(
                f"the summons reaches the tenant {case.summons_arrived_on}, less than a week "
                f"before the inspection on {case.inspection_planned_on} (ALL § 94, stk. 1)"
            )
    if case.learned_on is None:
        warnings.append("the day the organisation learned of the move-out is not recorded yet")
    return warnings


# --- deadlines --------------------------------------------------------------------------------


def last_invoice_on(session: Session, case: MoveoutCase) -> date | None:
    day: date | None = session.exec(
        select(func.max(MoveoutInvoice.received_on)).where(MoveoutInvoice.case_id == case.id)
    ).one()
    return day


def case_dates_of(case: MoveoutCase, last_invoice: date | None) -> CaseDates:
    return CaseDates(
        end_date=case.end_date,
        cause=case.cause,
        learned_on=case.learned_on,
        summons_arrived_on=case.summons_arrived_on,
        inspection_planned_on=case.inspection_planned_on,
        shorter_notice_agreed=case.shorter_notice_agreed,
        inspection_held_on=case.inspection_held_on,
        inspection_waived=case.inspection_waived,
        no_repair_claim=case.no_repair_claim,
        repair_notice_arrived_on=case.repair_notice_arrived_on,
        last_invoice_on=last_invoice,
        statement_sent_on=case.statement_sent_on,
    )


def case_dates(session: Session, case: MoveoutCase) -> CaseDates:
    return case_dates_of(case, last_invoice_on(session, case))


def sync_deadlines(
    session: Session, case: MoveoutCase, *, as_of: date, actor: str, corrected: bool = False
) -> list[MoveoutDeadline]:
    """Store the case's deadlines as computed now.

    A due day that changes is logged. A deadline that had passed unmet stays as it was (it is
    shown as missed, never moved), unless the change comes from a logged correction of the
    date it runs from.
    """
    assert case.id is not None
    stored = {d.kind: d for d in stored_deadlines(session, case)}
    for computed in case_deadlines(case_dates(session, case)):
        row = stored.get(computed.kind)
        if row is None:
            row = MoveoutDeadline(
                organisation_id=case.organisation_id,
                case_id=case.id,
                kind=computed.kind,
                due_on=computed.due_on,
                basis=computed.basis,
            )
            stored[computed.kind] = row
        elif row.due_on != computed.due_on:
            passed_unmet = row.due_on < as_of and row.done_on is None
            if passed_unmet and not corrected:
                log_event(
                    session, case, actor, "deadline kept",
                    f"{computed.kind.value}: missed {row.due_on}, not moved to {computed.due_on}",
                )  # fmt: skip
            else:
                log_event(
                    session, case, actor, "deadline moved",
                    f"{computed.kind.value}: {row.due_on} -> {computed.due_on}",
                )  # fmt: skip
                row.due_on = computed.due_on
        row.done_on, row.applies, row.basis = computed.done_on, computed.applies, computed.basis
        row.updated_at = utc_now()
        session.add(row)
    session.flush()
    return stored_deadlines(session, case)
