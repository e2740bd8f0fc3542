"""Giving påkrav (ALL § 90, stk. 2) in bulk: the fee as a pligtig charge, the case's dates,
the letter, and the ABL § 59, stk. 11 notification, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from ledger.accounts import reallocate
from ledger.charge_types import PAKRAV_FEE, ensure_default_charge_types
from ledger.chunks import chunked
from ledger.fee_table import lookup_fee
from ledger.fees import FeeLookup
from ledger.models import Organisation, table
from ledger.posting import Line, NewPosting, PostingError, existing_keys, post_many
from ledger.types import Account, PostingKind, utc_now
from workflows.arrears.config import ArrearsConfig
from workflows.arrears.letter_data import PakravLetter
from workflows.arrears.letters import (
    NewLetter,
    Render,
    case_reference,
    channel_of,
    claim_lines,
    recipient_of,
    sender_of,
    store_letters,
)
from workflows.arrears.models import LetterKind
from workflows.arrears.notifications import letter_attachments, notification_key
from workflows.arrears.notifications import pakrav_first_year as first_year_payload
from workflows.arrears.planner import CaseFacts, Dispatch, TenancyFacts
from workflows.arrears.rules import (
    DemandLine,
    LegalDates,
    first_year_notification_due,
    may_give_pakrav,
    pakrav_channel,
    pakrav_legal_dates,
)
from workflows.arrears.service import Event, check_states, record_events
from workflows.arrears.states import CaseState, check_transition
from workflows.notifications.models import NotificationKind
from workflows.notifications.outbox import NewNotification, create_notifications

FEE_SOURCE = "pakrav"
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class PakravJob:
    dispatch: Dispatch
    case: CaseFacts
    tenancy: TenancyFacts


@dataclass(slots=True)
class PakravResult:
    issued: int = 0
    notifications: int = 0
    fee_oere: int = 0
    warnings: list[str] = field(default_factory=list)


def fee_external_ref(case_id: int) -> str:
    """The fee's idempotency key: one fee per case, ever."""
    return f"case:{case_id}"


def issue_pakrav(
    session: Session,
    organisation: Organisation,
    config: ArrearsConfig,
    jobs: Sequence[PakravJob],
    day: date,
    *,
    actor: str,
    render: Render,
) -> PakravResult:
    """Give a påkrav, dated ``day``, for each job."""
    assert organisation.id is not None
    result = PakravResult()
    if not jobs:
        return result
    for job in jobs:
        assert may_give_pakrav(job.case.due_date, day), f"case {job.case.id}: påkrav too early"
        assert job.dispatch.lines, f"case {job.case.id}: a påkrav demands something"
        check_transition(job.dispatch.from_state, CaseState.PAKRAV_SENT)
    fee = lookup_fee(session, day.year)
    if fee.warning:
        result.warnings.append(fee.warning)
    fee_entries = _post_fees(session, organisation, jobs, fee, day, actor)
    dates = {
        job.case.id: pakrav_legal_dates(
            day,
            pakrav_channel(
                organisation_connected=config.digital_post_connected,
                tenancy_channel=job.tenancy.delivery_channel,
                digital_post_exempt=job.tenancy.digital_post_exempt,
            ),
            config.letter_arrival_bank_days,
        )
        for job in jobs
    }
    _update_cases(session, jobs, dates, fee, fee_entries, day)
    letters = [_letter(organisation, config, job, dates[job.case.id], fee, day) for job in jobs]
    letter_ids = store_letters(session, organisation.id, letters, render, actor)
    result.notifications = _notify(
        session, organisation, config, jobs, dates, fee, letter_ids, letters, day
    )
    record_events(
        session,
        organisation.id,
        [_event(job, dates[job.case.id], fee) for job in jobs],
        day,
        actor,
    )
    result.issued = len(jobs)
    result.fee_oere = fee.amount_oere * len(jobs)
    return result


def _post_fees(
    session: Session,
    organisation: Organisation,
    jobs: Sequence[PakravJob],
    fee: FeeLookup,
    day: date,
    actor: str,
) -> dict[int, int]:
    """Post each case's fee, due on the dispatch day; returns the fee's debtor entry by case."""
    assert organisation.id is not None
    fee_type = ensure_default_charge_types(session, organisation.id)[PAKRAV_FEE]
    assert fee_type.id is not None and fee_type.pligtig, "the påkrav fee is pligtig (§ 90 stk. 2)"
    text = f"Påkravsgebyr {day.year}"
    postings = [
        NewPosting(
            organisation_id=organisation.id,
            kind=PostingKind.CHARGE,
            booking_date=day,
            source=FEE_SOURCE,
            external_ref=fee_external_ref(job.case.id),
            text=f"{text}, påkrav for {job.case.due_date.isoformat()}",
            lines=(
                Line(
                    Account.DEBTOR,
                    fee.amount_oere,
                    tenancy_id=job.tenancy.tenancy_id,
                    charge_type_id=fee_type.id,
                    due_date=day,
                    text=text,
                ),
                Line(Account.INCOME, -fee.amount_oere, charge_type_id=fee_type.id, text=text),
            ),
            created_by=actor,
        )
        for job in jobs
    ]
    if existing_keys(session, [posting.key for posting in postings]):
        raise PostingError("a påkrav fee of these cases is in the ledger already: not doubling it")
    posted = post_many(session, postings)
    assert len(posted.posted) == len(jobs), "one fee per påkrav"
    reallocate(session, organisation.id, posted.tenancy_ids)
    entry = table("ledger_entry")
    by_posting = {}
    for chunk in chunked(posted.posted, _CHUNK):
        rows = session.connection().execute(
            sa.select(entry.c.posting_id, entry.c.id).where(
                entry.c.posting_id.in_(chunk), entry.c.account == str(Account.DEBTOR)
            )
        )
        by_posting.update({int(posting_id): int(entry_id) for posting_id, entry_id in rows})
    return {
        job.case.id: by_posting[posting_id]
        for job, posting_id in zip(jobs, posted.posted, strict=True)
    }


def _update_cases(
    session: Session,
    jobs: Sequence[PakravJob],
    dates: dict[int, LegalDates],
    fee: FeeLookup,
    fee_entries: dict[int, int],
    day: date,
) -> None:
    cases = table("arrears_case")
    statement = (
        sa.update(cases)
        .where(cases.c.id == sa.bindparam("b_id"), cases.c.state == sa.bindparam("b_from"))
        .values(
            state=CaseState.PAKRAV_SENT,
            pakrav_date=day,
            channel=sa.bindparam("b_channel"),
            arrival_date=sa.bindparam("b_arrival"),
            deadline=sa.bindparam("b_deadline"),
            earliest_termination=sa.bindparam("b_termination"),
            fee_oere=fee.amount_oere,
            fee_year=day.year,
            fee_entry_id=sa.bindparam("b_fee_entry"),
            amount_oere=sa.bindparam("b_amount"),
            lines=sa.bindparam("b_lines", type_=sa.JSON),
            updated_at=utc_now(),
        )
    )
    for chunk in chunked(jobs, _CHUNK):
        params = []
        for job in chunk:
            legal = dates[job.case.id]
            params.append(
                {
                    "b_id": job.case.id,
                    "b_from": str(job.dispatch.from_state),
                    "b_channel": str(legal.channel),
                    "b_arrival": legal.arrival,
                    "b_deadline": legal.deadline,
                    "b_termination": legal.earliest_termination,
                    "b_fee_entry": fee_entries[job.case.id],
                    "b_amount": sum(line.amount_oere for line in job.dispatch.lines),
                    "b_lines": [line.as_json() for line in job.dispatch.lines],
                }
            )
        session.connection().execute(statement, params)
        check_states(session, {job.case.id: CaseState.PAKRAV_SENT for job in chunk})


def _letter(
    organisation: Organisation,
    config: ArrearsConfig,
    job: PakravJob,
    legal: LegalDates,
    fee: FeeLookup,
    day: date,
) -> NewLetter:
    data = PakravLetter(
        sender=sender_of(organisation, config),
        recipient=recipient_of(job.tenancy),
        unit_number=job.tenancy.unit_number,
        case_reference=case_reference(job.case.id),
        dispatch_date=day,
        channel=channel_of(legal.channel),
        lines=claim_lines(job.dispatch.lines),
        fee_oere=fee.amount_oere,
        fee_text=f"Påkravsgebyr {day.year}",
        deadline=legal.deadline,
    )
    return NewLetter(
        case_id=job.case.id,
        kind=LetterKind.PAKRAV,
        channel=legal.channel,
        dispatch_date=day,
        recipient=", ".join(job.tenancy.tenant_names),
        data=data,
    )


def _notify(
    session: Session,
    organisation: Organisation,
    config: ArrearsConfig,
    jobs: Sequence[PakravJob],
    dates: dict[int, LegalDates],
    fee: FeeLookup,
    letter_ids: dict[int, int],
    letters: Sequence[NewLetter],
    day: date,
) -> int:
    assert organisation.id is not None
    made = {letter.case_id for letter in letters}
    due = [
        job
        for job in jobs
        if first_year_notification_due(
            municipally_assigned=job.tenancy.municipally_assigned,
            unit_kind=job.tenancy.unit_kind,
            tenancy_start=job.tenancy.start_date,
            dispatch=day,
        )
    ]
    if not due:
        return 0
    references = {job.case.id: case_reference(job.case.id) for job in due}
    attachments = letter_attachments(session, [letter_ids[job.case.id] for job in due], references)
    notifications = []
    for job in due:
        tenancy = job.tenancy
        assert job.case.id in made, "the notification refers to the påkrav letter"
        letter_id = letter_ids[job.case.id]
        payload = first_year_payload(
            organisation,
            config,
            tenancy,
            case_id=job.case.id,
            case_reference=references[job.case.id],
            due_date=job.case.due_date,
            dates=dates[job.case.id],
            lines=job.dispatch.lines,
            fee_oere=fee.amount_oere,
            letter={"id": letter_id, "kind": str(LetterKind.PAKRAV)},
        )
        kind = NotificationKind.PAKRAV_FIRST_YEAR
        notifications.append(
            NewNotification(
                kind=kind,
                idempotency_key=notification_key(organisation.id, kind, job.case.id),
                municipality_code=tenancy.municipality_code,
                tenancy_id=tenancy.tenancy_id,
                payload=payload,
                arrears_case_id=job.case.id,
                attachment=attachments[letter_id],
            )
        )
    return create_notifications(session, organisation.id, notifications, day)


def _event(job: PakravJob, legal: LegalDates, fee: FeeLookup) -> Event:
    demanded = sum(line.amount_oere for line in job.dispatch.lines)
    reason = (
        f"påkrav by {legal.channel} for {demanded} øre + fee {fee.amount_oere} øre "
        f"({fee.year}); arrives {legal.arrival.isoformat()}, deadline "
        f"{legal.deadline.isoformat()}, earliest termination "
        f"{legal.earliest_termination.isoformat()} (ALL § 90, stk. 2)"
    )
    return Event(job.case.id, job.dispatch.from_state, CaseState.PAKRAV_SENT, reason)


def demand_lines_of(case_lines: Sequence[dict[str, object]]) -> tuple[DemandLine, ...]:
    """The stored JSON lines of a case back as ``DemandLine``s."""
    return tuple(
        DemandLine(
            entry_id=int(str(line["entry_id"])),
            due_date=date.fromisoformat(str(line["due_date"])),
            text=str(line["text"]),
            charge_type=None if line.get("charge_type") is None else str(line["charge_type"]),
            amount_oere=int(str(line["amount_oere"])),
        )
        for line in case_lines
    )
