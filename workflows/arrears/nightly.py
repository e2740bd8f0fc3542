"""The nightly run of one organisation, in the caller's one transaction.

Order: take the organisation's lock; post due recurring charges; run the injected extra steps
(e.g. payment files waiting to be taken in); then, for each day from the one after the last
run up to ``as_of`` in date order: judge payment plans, open cases, move them on, and — on
``as_of`` only — give påkrav. Letters are never backdated: a påkrav that became possible on a
missed night is given on the day the run actually happens, and its dates follow from that day.
Finally the day's physical letters go into one print file, and the run is recorded.

Running the same day again changes nothing: every step is idempotent (fees by their posting
key, letters unique per case and kind, notifications by their idempotency key, cases per
tenancy, due date and sequence), and the organisation lock keeps two runs from interleaving.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from ledger.accounts import debtor_lines
from ledger.balances import statement
from ledger.charging import post_month_charges
from ledger.models import Organisation
from ledger.months import Month
from ledger.types import DeliveryChannel, utc_now
from workflows.arrears.approvals import unpaid_now_or_ever
from workflows.arrears.config import ArrearsConfig, load_config
from workflows.arrears.letters import LetterTools, make_print_batch
from workflows.arrears.models import (
    ArrearsCase,
    Letter,
    LetterKind,
    LetterStatus,
    NightlyRun,
)
from workflows.arrears.pakrav import PakravJob, issue_pakrav
from workflows.arrears.planner import (
    CaseFacts,
    Dispatch,
    Move,
    Note,
    plan_case_step,
    plan_openings,
)
from workflows.arrears.plans import judge_plans
from workflows.arrears.rules import months_to_charge, unpaid_by_due_date
from workflows.arrears.service import (
    apply_moves,
    approval_queue_size,
    candidate_tenancies,
    load_cases,
    load_tenancy_facts,
    open_cases,
)
from workflows.arrears.states import APPROVAL_STATES, CaseState, is_closed

ExtraStep = Callable[[Session, Organisation, date], Mapping[str, Any]]
_LOCK_NAMESPACE = 0x616C6D6E  # "almn": the first key of the organisation's advisory lock


class NightlyError(ValueError):
    """A run that must not happen (e.g. a day before one already run: that would backdate)."""


@dataclass(frozen=True, slots=True)
class NightlyDeps:
    """What the composition root injects into the run."""

    tools: LetterTools
    steps: Sequence[tuple[str, ExtraStep]] = ()
    actor: str = "nightly"
    lock_wait_seconds: float = 300.0
    charge_lead_days: int = 14  # next month's charges from this many days before its 1st
    max_catch_up_days: int = 62


def lock_organisation(session: Session, organisation_id: int, wait_seconds: float) -> bool:
    """Take the organisation's lock for the rest of the transaction; False if another run
    holds it for longer than ``wait_seconds``.

    PostgreSQL: a transaction-level advisory lock keyed by the organisation. SQLite: every
    transaction begins with ``BEGIN IMMEDIATE`` (``app/database.py``), a database-wide write
    lock held to the end of the transaction; the first statement takes it (waiting up to the
    busy timeout), so a second run waits there, and fails with "database is locked" past it.
    """
    bind = session.connection()
    if bind.dialect.name != "postgresql":
        bind.execute(sa.text("SELECT 1"))
        return True
    deadline = time.monotonic() + wait_seconds
    query = sa.text("SELECT pg_try_advisory_xact_lock(CAST(:ns AS integer), CAST(:org AS integer))")
    while True:
        if bind.execute(query, {"ns": _LOCK_NAMESPACE, "org": organisation_id}).scalar():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def last_run_day(session: Session, organisation_id: int) -> date | None:
    day: date | None = session.exec(
        select(func.max(NightlyRun.as_of)).where(NightlyRun.organisation_id == organisation_id)
    ).one()
    return day


def days_to_process(last: date | None, as_of: date, max_days: int) -> list[date]:
    """The days of this run, in date order: those missed since the last run, then ``as_of``."""
    if last is not None and as_of < last:
        raise NightlyError(
            f"the nightly run already ran for {last.isoformat()}; a run for "
            f"{as_of.isoformat()} would backdate letters"
        )
    if last is None or last >= as_of:
        return [as_of]
    first = max(last + timedelta(days=1), as_of - timedelta(days=max_days - 1))
    return [first + timedelta(days=n) for n in range((as_of - first).days + 1)]


def run_organisation(
    session: Session, organisation: Organisation, as_of: date, deps: NightlyDeps
) -> dict[str, Any]:
    """One organisation's nightly run; returns its summary (also stored in ``nightly_run``)."""
    assert organisation.id is not None
    started = utc_now()
    summary: dict[str, Any] = {"cvr": organisation.cvr, "as_of": as_of.isoformat()}
    if not lock_organisation(session, organisation.id, deps.lock_wait_seconds):
        summary["status"] = "skipped: another run holds the organisation's lock"
        return summary
    config = load_config(session, organisation)
    days = days_to_process(last_run_day(session, organisation.id), as_of, deps.max_catch_up_days)
    counts: Counter[str] = Counter()
    warnings: list[str] = []
    if not config.configured:
        warnings.append("no arrears settings stored: the defaults apply (almen settings arrears)")
    if not (organisation.address and organisation.postcode and organisation.city):
        warnings.append("the organisation has no address: letters go out without it")
    if days[0] < as_of:
        warnings.append(f"caught up {len(days) - 1} missed day(s) from {days[0].isoformat()}")
    counts["charges_posted"] = _post_charges(session, organisation, days, as_of, deps)
    steps = {name: dict(step(session, organisation, as_of)) for name, step in deps.steps}
    for day in days:
        _process_day(session, organisation, config, day, day == as_of, deps, counts, warnings)
    counts["withheld_terminations"] = withhold_paid_terminations(
        session, organisation.id, as_of, deps.actor
    )
    batch = make_print_batch(session, organisation.id, as_of, deps.tools.combine)
    if batch.skipped_reason:
        warnings.append(f"physical letters not printed today: {batch.skipped_reason}")
    summary.update(
        status="done",
        first_day=days[0].isoformat(),
        charges_posted=counts["charges_posted"],
        pakrav_issued=counts["pakrav_issued"],
        notifications_created=counts["notifications_created"],
        cases_opened=counts["cases_opened"],
        cases_closed=counts["cases_closed"],
        awaiting_approval=counts["awaiting_approval"],
        approval_queue=approval_queue_size(session, organisation.id),
        fees_oere=counts["fees_oere"],
        letters_printed=batch.letters,
        print_batch_id=batch.batch_id,
        withheld_terminations=counts["withheld_terminations"],
        plan_instalments_kept=counts["plan_kept"],
        plan_instalments_missed=counts["plan_missed"],
        notes={key[5:]: value for key, value in sorted(counts.items()) if key.startswith("note:")},
        steps=steps,
        warnings=sorted(set(warnings)),
    )
    session.add(
        NightlyRun(
            organisation_id=organisation.id,
            as_of=as_of,
            first_day=days[0],
            started_at=started,
            finished_at=utc_now(),
            actor=deps.actor,
            summary=summary,
        )
    )
    session.flush()
    return summary


def _post_charges(
    session: Session,
    organisation: Organisation,
    days: Sequence[date],
    as_of: date,
    deps: NightlyDeps,
) -> int:
    months = sorted(
        {Month(*month) for day in days for month in months_to_charge(day, deps.charge_lead_days)}
    )
    posted = 0
    for month in months:
        result = post_month_charges(
            session, organisation, month, booking_date=as_of, created_by=deps.actor
        )
        posted += len(result.posted)
    return posted


def _process_day(
    session: Session,
    organisation: Organisation,
    config: ArrearsConfig,
    day: date,
    dispatch_today: bool,
    deps: NightlyDeps,
    counts: Counter[str],
    warnings: list[str],
) -> None:
    assert organisation.id is not None
    plans = judge_plans(session, organisation, config, day, deps.actor)
    counts["plan_kept"] += plans.kept
    counts["plan_missed"] += plans.missed
    tenancy_ids = candidate_tenancies(session, organisation.id, day)
    if not tenancy_ids:
        return
    facts = load_tenancy_facts(session, organisation.id, tenancy_ids)
    cases = load_cases(session, organisation.id, tenancy_ids)
    lines = debtor_lines(session, organisation.id, tenancy_ids)
    open_by_entry: dict[int, dict[int, int]] = {}
    unpaid = {}
    openings = []
    for tenancy_id in sorted(tenancy_ids):
        result = statement(lines.get(tenancy_id, []), day)
        open_by_entry[tenancy_id] = {i.entry_id: i.open_oere for i in result.open_items}
        unpaid[tenancy_id] = unpaid_by_due_date(result.open_items, day, date.min)
        eligible = {
            due: found for due, found in unpaid[tenancy_id].items() if due >= config.cases_from
        }
        openings += plan_openings(
            facts[tenancy_id], eligible, cases.get(tenancy_id, []), day, config
        )
    opened = open_cases(session, organisation.id, openings, day, deps.actor)
    counts["cases_opened"] += len(opened)
    active: list[CaseFacts] = [
        case
        for tid in sorted(tenancy_ids)
        for case in cases.get(tid, [])
        if not is_closed(case.state)
    ] + opened
    moves: list[Move] = []
    jobs: list[PakravJob] = []
    for case in active:
        tid = case.tenancy_id
        for decision in plan_case_step(
            case,
            facts[tid],
            open_by_entry[tid],
            unpaid[tid].get(case.due_date, ()),
            day,
            dispatch_today=dispatch_today,
            config=config,
        ):
            if isinstance(decision, Move):
                moves.append(decision)
            elif isinstance(decision, Dispatch):
                jobs.append(PakravJob(decision, case, facts[tid]))
            elif isinstance(decision, Note):
                counts[f"note:{decision.kind}"] += 1
    apply_moves(session, organisation.id, moves, day, deps.actor)
    counts["cases_closed"] += sum(1 for move in moves if is_closed(move.to_state))
    counts["awaiting_approval"] += sum(1 for move in moves if move.to_state in APPROVAL_STATES)
    issued = issue_pakrav(
        session, organisation, config, jobs, day, actor=deps.actor, render=deps.tools.render
    )
    counts["pakrav_issued"] += issued.issued
    counts["notifications_created"] += issued.notifications
    counts["fees_oere"] += issued.fee_oere
    warnings.extend(issued.warnings)


def withhold_paid_terminations(
    session: Session, organisation_id: int, day: date, actor: str
) -> int:
    """A physical termination not yet printed whose arrears were paid meanwhile is withheld
    and its case closed as paid: the termination was never given (ALL § 91, stk. 2)."""
    letters = session.exec(
        select(Letter).where(
            Letter.organisation_id == organisation_id,
            Letter.kind == LetterKind.TERMINATION,
            Letter.status == LetterStatus.ISSUED,
            col(Letter.print_batch_id).is_(None),
            col(Letter.dispatch_date) <= day,
        )
    ).all()
    moves = []
    for letter in letters:
        if letter.channel != DeliveryChannel.LETTER:
            continue
        case = session.get(ArrearsCase, letter.case_id)
        assert case is not None and case.id is not None
        if case.state != CaseState.TERMINATION_SENT or unpaid_now_or_ever(session, case, day) > 0:
            continue
        letter.status = LetterStatus.WITHHELD
        session.add(letter)
        moves.append(
            Move(
                case.id,
                CaseState.TERMINATION_SENT,
                CaseState.CLOSED_PAID,
                "paid before the termination letter was posted: letter withheld, the "
                "termination was never given (ALL § 91, stk. 2)",
            )
        )
    session.flush()
    apply_moves(session, organisation_id, moves, day, actor)
    return len(moves)
