"""Deadline warnings for the nightly run, and the run's move-out step.

``upcoming_moveout_deadlines`` lists the deadlines of open cases that fall within the
organisation's warning window (``moveout_settings.warn_days``, default 5 days, the due day
itself included), and cases whose inspection deadline cannot be computed because the day the
organisation learned of the move-out is not recorded although the tenancy has ended.
``missed_moveout_deadlines`` lists every deadline of an open case that was missed (passed
unmet, or met late): shown as missed, never moved. A posted case is closed and drops out,
except for its final statement while that has not been sent. ``moveout_nightly_step`` matches the
nightly run's extra-step signature ``(session, organisation, as_of) -> summary``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from ledger.models import Organisation, Tenancy, Unit
from workflows.moveout.deadlines import Deadline, DeadlineKind, DeadlineStatus
from workflows.moveout.models import CaseState, MoveoutCase, MoveoutDeadline
from workflows.moveout.service import case_reference, load_settings
from workflows.moveout.vacancy import let_while_vacant, post_vacancy_rent

LEARNED_ON_MISSING = "learned_on"

_WHAT = {
    DeadlineKind.SUMMONS: "Indkaldelse til fraflytningssyn skal være modtaget af lejeren",
    DeadlineKind.INSPECTION: "Fraflytningssyn skal holdes",
    DeadlineKind.REPAIR_NOTICE: "Istandsættelsesmeddelelse skal være modtaget af lejeren",
    DeadlineKind.FINAL_STATEMENT: "Flytteopgørelsen skal sendes",
}
_CONSEQUENCE = {
    DeadlineKind.SUMMONS: "indkaldelsen skal gives med mindst 1 uges varsel",
    DeadlineKind.INSPECTION: "kravet på istandsættelse kan gå tabt",
    DeadlineKind.REPAIR_NOTICE: "kravet på istandsættelse bortfalder, medmindre lejeren er "
    "fraflyttet uden at oplyse ny adresse",
    DeadlineKind.FINAL_STATEMENT: "opgørelsen skal sendes uden unødig forsinkelse",
}


@dataclass(frozen=True, slots=True)
class DeadlineWarning:
    """One deadline to act on (or one that was missed), with a Danish message."""

    organisation_id: int
    case_id: int
    case_reference: str
    tenancy_id: int
    unit_number: str
    kind: str  # a DeadlineKind value, or "learned_on" (the date the deadlines run from)
    due_on: date
    days_left: int
    status: str  # open / missed (DeadlineStatus), or "unknown"
    done_on: date | None
    basis: str
    message: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["due_on"] = self.due_on.isoformat()
        data["done_on"] = None if self.done_on is None else self.done_on.isoformat()
        return data


def _message(deadline: Deadline, status: DeadlineStatus) -> str:
    what, due = _WHAT[deadline.kind], f"{deadline.due_on:%d.%m.%Y}"
    if status is DeadlineStatus.OPEN:
        return f"{what} senest {due} ({deadline.basis})."
    when = f"først {deadline.done_on:%d.%m.%Y}" if deadline.done_on else "ikke sket"
    return (
        f"Fristen er overskredet: {what.lower()} senest {due}, {when} ({deadline.basis}); "
        f"{_CONSEQUENCE[deadline.kind]}."
    )


def _rows(
    session: Session, organisation_id: int
) -> list[tuple[MoveoutDeadline, MoveoutCase, Tenancy, Unit]]:
    rows = session.exec(
        select(MoveoutDeadline, MoveoutCase, Tenancy, Unit)
        .join(MoveoutCase, col(MoveoutCase.id) == col(MoveoutDeadline.case_id))
        .join(Tenancy, col(Tenancy.id) == col(MoveoutCase.tenancy_id))
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(
            MoveoutDeadline.organisation_id == organisation_id,
            col(MoveoutDeadline.applies),
            # A posted case is closed, but its final statement may still have to be sent.
            (col(MoveoutCase.state) != CaseState.POSTED)
            | (
                (col(MoveoutDeadline.kind) == DeadlineKind.FINAL_STATEMENT)
                & col(MoveoutCase.statement_sent_on).is_(None)
            ),
        )
        .order_by(col(MoveoutDeadline.due_on), col(MoveoutDeadline.id))
    ).all()
    return [(d, c, t, u) for d, c, t, u in rows]


def _warning(
    row: MoveoutDeadline, case: MoveoutCase, tenancy: Tenancy, unit: Unit, as_of: date
) -> DeadlineWarning:
    assert case.id is not None and tenancy.id is not None
    deadline = Deadline(row.kind, row.due_on, row.done_on, row.basis, row.applies)
    status = deadline.status(as_of)
    return DeadlineWarning(
        organisation_id=case.organisation_id,
        case_id=case.id,
        case_reference=case_reference(case),
        tenancy_id=tenancy.id,
        unit_number=unit.unit_number,
        kind=row.kind.value,
        due_on=row.due_on,
        days_left=deadline.days_left(as_of),
        status=status.value,
        done_on=row.done_on,
        basis=row.basis,
        message=f"Lejemål {unit.unit_number} ({case_reference(case)}): "
        + _message(deadline, status),
    )


def upcoming_moveout_deadlines(
    session: Session, organisation_id: int, as_of: date
) -> list[DeadlineWarning]:
    """Open deadlines due within the warning window, soonest first; then the cases whose
    deadlines cannot be computed yet because the learned-on day is missing."""
    window = load_settings(session, organisation_id).warn_days
    warnings = []
    for row, case, tenancy, unit in _rows(session, organisation_id):
        deadline = Deadline(row.kind, row.due_on, row.done_on, row.basis, row.applies)
        if deadline.status(as_of) is DeadlineStatus.OPEN and deadline.days_left(as_of) <= window:
            warnings.append(_warning(row, case, tenancy, unit, as_of))
    return warnings + _learned_on_missing(session, organisation_id, as_of)


def _learned_on_missing(
    session: Session, organisation_id: int, as_of: date
) -> list[DeadlineWarning]:
    rows = session.exec(
        select(MoveoutCase, Unit)
        .join(Tenancy, col(Tenancy.id) == col(MoveoutCase.tenancy_id))
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(
            MoveoutCase.organisation_id == organisation_id,
            col(MoveoutCase.state) != CaseState.POSTED,
            col(MoveoutCase.learned_on).is_(None),
            col(MoveoutCase.end_date) <= as_of,
        )
        .order_by(col(MoveoutCase.end_date), col(MoveoutCase.id))
    ).all()
    warnings = []
    for case, unit in rows:
        assert case.id is not None
        warnings.append(
            DeadlineWarning(
                organisation_id=organisation_id,
                case_id=case.id,
                case_reference=case_reference(case),
                tenancy_id=case.tenancy_id,
                unit_number=unit.unit_number,
                kind=LEARNED_ON_MISSING,
                due_on=case.end_date,
                days_left=(case.end_date - as_of).days,
                status="unknown",
                done_on=None,
                basis="ALL § 94, stk. 1, 2. pkt.",
                message=(
                    f"Lejemål {unit.unit_number} ({case_reference(case)}): lejeforholdet "
                    f"ophørte {case.end_date:%d.%m.%Y}, men dagen for nøgleaflevering "
                    "(eller udsættelse) er ikke registreret; synsfristen på 2 uger løber fra "
                    "den dag og kan ikke beregnes."
                ),
            )
        )
    return warnings


def missed_moveout_deadlines(
    session: Session, organisation_id: int, as_of: date
) -> list[DeadlineWarning]:
    """Every missed deadline of an open case (passed unmet, or met late)."""
    return [
        _warning(row, case, tenancy, unit, as_of)
        for row, case, tenancy, unit in _rows(session, organisation_id)
        if Deadline(row.kind, row.due_on, row.done_on, row.basis).status(as_of)
        is DeadlineStatus.MISSED
    ]


def moveout_nightly_step(
    session: Session, organisation: Organisation, as_of: date
) -> dict[str, Any]:
    """The nightly run's move-out step: post vacancy rent due, list warnings and misses."""
    assert organisation.id is not None
    posted = post_vacancy_rent(session, organisation.id, as_of=as_of, created_by="nightly")
    let = let_while_vacant(session, organisation.id)
    return {
        "vacancy_rent_posted": len(posted.posted),
        "vacancy_rent_already_posted": posted.already_posted,
        "vacancy_periods_let_but_open": [period.id for period, _ in let],
        "upcoming_deadlines": [
            w.as_json() for w in upcoming_moveout_deadlines(session, organisation.id, as_of)
        ],
        "missed_deadlines": [
            w.as_json() for w in missed_moveout_deadlines(session, organisation.id, as_of)
        ],
    }
