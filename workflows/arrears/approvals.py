"""What needs a person: approving a held påkrav, a termination or an eviction request;
rejecting; closing a case. Each refuses what the law does not allow, with the paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from ledger.accounts import debtor_lines
from ledger.balances import statement
from ledger.calendar import add_bank_days
from ledger.charge_types import PAKRAV_FEE
from ledger.models import Organisation
from ledger.municipalities import municipality_names
from ledger.types import DeliveryChannel, UnitKind
from workflows.arrears.config import ArrearsConfig, load_config
from workflows.arrears.letter_data import EvictionRequest, TerminationLetter
from workflows.arrears.letters import (
    LetterTools,
    NewLetter,
    case_reference,
    channel_of,
    claim_lines,
    recipient_of,
    sender_of,
    store_letters,
)
from workflows.arrears.models import (
    ArrearsCase,
    Letter,
    LetterKind,
    LetterStatus,
    PrintBatch,
)
from workflows.arrears.notifications import eviction_request as eviction_payload
from workflows.arrears.notifications import letter_attachments, notification_key
from workflows.arrears.pakrav import demand_lines_of
from workflows.arrears.planner import TenancyFacts, case_remaining
from workflows.arrears.rules import (
    DemandLine,
    is_insignificant,
    is_overdue,
    pakrav_channel,
    unpaid_by_due_date,
)
from workflows.arrears.service import CaseError, case_facts, load_tenancy_facts, move_case
from workflows.arrears.states import APPROVAL_STATES, CaseState
from workflows.notifications.models import NotificationKind
from workflows.notifications.outbox import NewNotification, create_notification

_FAR_FUTURE = date(9999, 12, 1)
CLOSE_AS = {
    "paid": CaseState.CLOSED_PAID,
    "settled": CaseState.CLOSED_SETTLED,
    "written_off": CaseState.CLOSED_WRITTEN_OFF,
    "evicted": CaseState.CLOSED_EVICTED,
}


@dataclass(frozen=True, slots=True)
class Outcome:
    case_id: int
    state: CaseState
    letter_id: int | None = None
    notifications: int = 0


@dataclass(frozen=True, slots=True)
class _Context:
    case: ArrearsCase
    organisation: Organisation
    config: ArrearsConfig
    tenancy: TenancyFacts


def _load(session: Session, case_id: int) -> _Context:
    case = session.get(ArrearsCase, case_id)
    if case is None:
        raise CaseError(f"no arrears case {case_id}")
    organisation = session.get(Organisation, case.organisation_id)
    assert organisation is not None
    tenancy = load_tenancy_facts(session, case.organisation_id, [case.tenancy_id])
    config = load_config(session, organisation)
    return _Context(case, organisation, config, tenancy[case.tenancy_id])


def _require_state(case: ArrearsCase, *states: CaseState) -> None:
    if CaseState(case.state) not in states:
        wanted = " or ".join(states)
        raise CaseError(f"case {case.id} is {case.state}; this needs {wanted}")


def unpaid_of_case(session: Session, case: ArrearsCase, as_of: date) -> int:
    """What is unpaid of the case as of ``as_of``, judged by payment date."""
    lines = debtor_lines(session, case.organisation_id, [case.tenancy_id]).get(case.tenancy_id, [])
    result = statement(lines, as_of)
    open_by_entry = {item.entry_id: item.open_oere for item in result.open_items}
    due = unpaid_by_due_date(result.open_items, as_of, date.min).get(case.due_date, ())
    return case_remaining(case_facts(case), open_by_entry, due)


def unpaid_now_or_ever(session: Session, case: ArrearsCase, today: date) -> int:
    """The smaller of what is unpaid today and what is unpaid counting every payment the ledger
    knows, whatever its date: the tenant's side when deciding whether arrears were cleared."""
    return min(unpaid_of_case(session, case, today), unpaid_of_case(session, case, _FAR_FUTURE))


def approve_pakrav(session: Session, case_id: int, *, today: date, actor: str) -> Outcome:
    """A held påkrav is approved; the next nightly run dispatches it (dated that day)."""
    ctx = _load(session, case_id)
    _require_state(ctx.case, CaseState.AWAITING_PAKRAV_APPROVAL)
    reason = "påkrav approved; the next nightly run dispatches it and dates it that day"
    move_case(session, ctx.case, CaseState.PAKRAV_APPROVED, today, actor, reason)
    return Outcome(case_id, CaseState.PAKRAV_APPROVED)


def approve_termination(
    session: Session,
    case_id: int,
    *,
    today: date,
    actor: str,
    tools: LetterTools,
    rehousing_confirmed: bool = False,
) -> Outcome:
    """Send the termination (ophævelse, ALL § 90, stk. 1, nr. 1), refusing when the law does."""
    ctx = _load(session, case_id)
    case = ctx.case
    _require_state(case, CaseState.AWAITING_TERMINATION_APPROVAL)
    assert case.id is not None and case.earliest_termination is not None
    if today < case.earliest_termination:
        raise CaseError(
            f"case {case.id}: the earliest termination day is "
            f"{case.earliest_termination.isoformat()} (ALL § 90, stk. 2)"
        )
    if ctx.tenancy.ended_before(today):
        raise CaseError(f"case {case.id}: the tenancy has ended; there is nothing to terminate")
    unpaid = unpaid_now_or_ever(session, case, today)
    if unpaid == 0:
        raise CaseError(
            f"case {case.id}: the arrears demanded were paid before the termination: it may not "
            "be given (ALL § 91, stk. 2); the next nightly run closes the case as paid"
        )
    if is_insignificant(unpaid, ctx.config.min_arrears_oere):
        raise CaseError(
            f"case {case.id}: {unpaid} øre unpaid is below the organisation's minimum "
            f"{ctx.config.min_arrears_oere} øre (uvæsentlig, ALL § 91, stk. 1)"
        )
    assigned_pleje = ctx.tenancy.unit_kind == UnitKind.PLEJE and ctx.tenancy.municipally_assigned
    if assigned_pleje and not rehousing_confirmed:
        raise CaseError(
            f"case {case.id}: an assigned plejebolig may only be terminated when the tenant "
            "is at the same time offered another suitable home (ALL § 90, stk. 3); confirm "
            "that with --rehousing-confirmed"
        )
    channel = _channel(ctx)
    lines = _still_unpaid_demanded(session, case, today)
    data = TerminationLetter(
        sender=sender_of(ctx.organisation, ctx.config),
        recipient=recipient_of(ctx.tenancy),
        unit_number=ctx.tenancy.unit_number,
        case_reference=case_reference(case.id),
        termination_date=today,
        channel=channel_of(channel),
        pakrav_date=_required(case.pakrav_date),
        deadline=_required(case.deadline),
        lines=claim_lines(lines),
    )
    letter = NewLetter(
        case.id, LetterKind.TERMINATION, channel, today, ", ".join(ctx.tenancy.tenant_names), data
    )
    letter_ids = store_letters(session, case.organisation_id, [letter], tools.render, actor)
    case.termination_date = today
    session.add(case)
    session.flush()
    reason = (
        f"termination approved and sent by {channel}; {unpaid} øre of what the påkrav of "
        f"{_required(case.pakrav_date).isoformat()} demanded is unpaid (ALL § 90, stk. 1, nr. 1)"
    )
    move_case(session, case, CaseState.TERMINATION_SENT, today, actor, reason)
    return Outcome(case.id, CaseState.TERMINATION_SENT, letter_ids[case.id])


def approve_eviction(
    session: Session, case_id: int, *, today: date, actor: str, tools: LetterTools
) -> Outcome:
    """File the eviction request with the fogedret and notify the municipality in the same
    transaction (ALL § 92, stk. 2: no later than at the same time)."""
    ctx = _load(session, case_id)
    case = ctx.case
    _require_state(case, CaseState.TERMINATION_SENT)
    assert case.id is not None and case.termination_date is not None
    arrived = _termination_arrival(session, ctx)
    if arrived is None or today < arrived:
        when = "is not posted yet" if arrived is None else f"arrives {arrived.isoformat()}"
        raise CaseError(f"case {case.id}: the termination {when}; file the request after that")
    if not ctx.config.bailiff_court:
        raise CaseError(
            "no bailiff court (fogedret) is set for the organisation: "
            "almen settings arrears --organisation CVR --bailiff-court 'Fogedretten i ...'"
        )
    if unpaid_now_or_ever(session, case, today) == 0:
        raise CaseError(
            f"case {case.id}: the arrears demanded are paid; an eviction for paid arrears is a "
            "decision outside almen (close the case as settled, or as paid)"
        )
    arrears = _tenancy_arrears(session, case, today)
    code = ctx.tenancy.municipality_code
    data = EvictionRequest(
        sender=sender_of(ctx.organisation, ctx.config),
        court=ctx.config.bailiff_court,
        tenant=recipient_of(ctx.tenancy),
        unit_number=ctx.tenancy.unit_number,
        case_reference=case_reference(case.id),
        request_date=today,
        pakrav_date=_required(case.pakrav_date),
        deadline=_required(case.deadline),
        termination_date=case.termination_date,
        lines=claim_lines(arrears),
        municipality_name=municipality_names().get(code, str(code)),
        municipality_notified_on=today,
        children_in_household=ctx.tenancy.children_in_household,
    )
    letter = NewLetter(
        case.id,
        LetterKind.EVICTION_REQUEST,
        DeliveryChannel.LETTER,
        today,
        ctx.config.bailiff_court,
        data,
    )
    letter_id = store_letters(session, case.organisation_id, [letter], tools.render, actor)[case.id]
    payload = eviction_payload(
        ctx.organisation,
        ctx.config,
        ctx.tenancy,
        case_id=case.id,
        case_reference=case_reference(case.id),
        request_date=today,
        pakrav=_pakrav_part(case),
        termination_date=case.termination_date,
        lines=arrears,
        letter={"id": letter_id, "kind": str(LetterKind.EVICTION_REQUEST)},
    )
    kind = NotificationKind.EVICTION_REQUEST
    reference = case_reference(case.id)
    attachment = letter_attachments(session, [letter_id], {case.id: reference})[letter_id]
    created = create_notification(
        session,
        case.organisation_id,
        NewNotification(
            kind=kind,
            idempotency_key=notification_key(case.organisation_id, kind, case.id),
            municipality_code=code,
            tenancy_id=case.tenancy_id,
            payload=payload,
            arrears_case_id=case.id,
            attachment=attachment,
        ),
        today,
    )
    assert created is not None, "the § 92 stk. 2 notification goes with the request, once"
    case.eviction_date = today
    session.add(case)
    session.flush()
    reason = (
        f"eviction request filed with {ctx.config.bailiff_court}; municipality {code} notified "
        "the same day (ALL § 92, stk. 2)"
    )
    move_case(session, case, CaseState.EVICTION_REQUESTED, today, actor, reason)
    return Outcome(case.id, CaseState.EVICTION_REQUESTED, letter_id, 1)


def reject(session: Session, case_id: int, *, today: date, actor: str, reason: str) -> Outcome:
    """A person declines what waits for approval: the case closes and is not reopened."""
    ctx = _load(session, case_id)
    _require_state(ctx.case, *sorted(APPROVAL_STATES))
    _require_reason(reason)
    move_case(session, ctx.case, CaseState.CLOSED_REJECTED, today, actor, f"rejected: {reason}")
    return Outcome(case_id, CaseState.CLOSED_REJECTED)


def close(
    session: Session, case_id: int, *, close_as: str, today: date, actor: str, reason: str
) -> Outcome:
    """Close a case as paid (only if the ledger says so), settled, written off or evicted."""
    if close_as not in CLOSE_AS:
        raise CaseError(f"close as one of {', '.join(CLOSE_AS)}, not {close_as!r}")
    _require_reason(reason)
    ctx = _load(session, case_id)
    target = CLOSE_AS[close_as]
    if target == CaseState.CLOSED_PAID and unpaid_now_or_ever(session, ctx.case, today) > 0:
        raise CaseError(f"case {case_id}: the ledger shows the arrears unpaid; close as settled")
    move_case(session, ctx.case, target, today, actor, f"closed as {close_as}: {reason}")
    return Outcome(case_id, target)


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise CaseError("a reason is required")


def _required(day: date | None) -> date:
    assert day is not None, "a case past its påkrav has its dates"
    return day


def _channel(ctx: _Context) -> DeliveryChannel:
    return pakrav_channel(
        organisation_connected=ctx.config.digital_post_connected,
        tenancy_channel=ctx.tenancy.delivery_channel,
        digital_post_exempt=ctx.tenancy.digital_post_exempt,
    )


def _still_unpaid_demanded(session: Session, case: ArrearsCase, today: date) -> list[DemandLine]:
    """The påkrav's items (its fee included) with what is still unpaid of each."""
    lines = debtor_lines(session, case.organisation_id, [case.tenancy_id]).get(case.tenancy_id, [])
    open_by_entry = {i.entry_id: i.open_oere for i in statement(lines, today).open_items}
    demanded = list(demand_lines_of(case.lines))
    if case.fee_entry_id is not None:
        demanded.append(
            DemandLine(
                case.fee_entry_id,
                _required(case.pakrav_date),
                f"Påkravsgebyr {case.fee_year}",
                PAKRAV_FEE,
                case.fee_oere or 0,
            )
        )
    return [
        DemandLine(
            line.entry_id, line.due_date, line.text, line.charge_type, open_by_entry[line.entry_id]
        )
        for line in demanded
        if open_by_entry.get(line.entry_id, 0) > 0
    ]


def _tenancy_arrears(session: Session, case: ArrearsCase, today: date) -> list[DemandLine]:
    """Every overdue unpaid pligtig item of the tenancy (fees included): the arrears at filing."""
    lines = debtor_lines(session, case.organisation_id, [case.tenancy_id]).get(case.tenancy_id, [])
    return [
        DemandLine(item.entry_id, item.due_date, item.label, item.charge_type, item.open_oere)
        for item in statement(lines, today).open_items
        if item.pligtig and (is_overdue(item.due_date, today) or item.charge_type == PAKRAV_FEE)
    ]


def _termination_arrival(session: Session, ctx: _Context) -> date | None:
    """When the termination reached the tenant: Digital Post the day sent; a letter the
    configured bank days after its print file (None while it waits to be printed)."""
    letter = session.exec(
        select(Letter).where(Letter.case_id == ctx.case.id, Letter.kind == LetterKind.TERMINATION)
    ).first()
    if letter is None or letter.status != LetterStatus.ISSUED:
        return None
    if letter.channel == DeliveryChannel.DIGITAL_POST:
        return letter.dispatch_date
    if letter.print_batch_id is None:
        return None
    batch = session.get(PrintBatch, letter.print_batch_id)
    assert batch is not None
    return add_bank_days(batch.print_date, ctx.config.letter_arrival_bank_days)


def _pakrav_part(case: ArrearsCase) -> dict[str, object]:
    return {
        "due_date": case.due_date.isoformat(),
        "date": _required(case.pakrav_date).isoformat(),
        "channel": None if case.channel is None else str(case.channel),
        "arrival_date": _required(case.arrival_date).isoformat(),
        "deadline": _required(case.deadline).isoformat(),
        "lines": case.lines,
        "fee_oere": case.fee_oere,
    }
