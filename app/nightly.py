"""Composition of the nightly run: which extra steps run, with which letter tools, one
transaction per organisation, then (after its commit) the organisation's notifications are
sent (``after_commit``, from ``app/notify.py``). Used by ``almen nightly`` and by the scheduler
in ``almen serve``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from app.letters import LETTER_TOOLS
from app.settings import BsFolders
from integrations.betalingsservice.inbox import Outcome, file_away, take_in
from ledger.models import Organisation
from ledger.registry import require_organisation
from workflows.arrears.nightly import ExtraStep, NightlyDeps, run_organisation
from workflows.moveout.reminders import moveout_nightly_step

UnitOfWork = Callable[[], AbstractContextManager[Session]]
# After an organisation's night has committed: send its notifications (``app.notify``).
AfterCommit = Callable[[UnitOfWork, int], Mapping[str, Any]]

# Steps every nightly run takes after posting charges and before the arrears work, in order:
# move-out (vacancy rent posted, ALL § 94 deadlines warned about and missed ones shown).
# The Betalingsservice issue registers "take in waiting payment files" here.
EXTRA_STEPS: list[tuple[str, ExtraStep]] = [("moveout", moveout_nightly_step)]


def nightly_deps(
    *,
    steps: Sequence[tuple[str, ExtraStep]] | None = None,
    actor: str = "nightly",
    lock_wait_seconds: float = 300.0,
) -> NightlyDeps:
    return NightlyDeps(
        tools=LETTER_TOOLS,
        steps=tuple(EXTRA_STEPS if steps is None else steps),
        actor=actor,
        lock_wait_seconds=lock_wait_seconds,
    )


def take_in_payment_files(
    unit_of_work: UnitOfWork,
    as_of: date,
    folders: BsFolders,
    *,
    organisation_id: int | None = None,
    actor: str = "nightly",
) -> dict[str, Any]:
    """The night's Betalingsservice files (0602 payments, 0603 mandates), taken in before the
    organisations' runs so the arrears work sees tonight's payments and charge-backs.

    Their own transaction: the files are moved to the archive (or to the error folder, with a
    report) only after it has committed; a crash in between is harmless, the next run finds
    the delivery serial imported and just archives the file.
    """
    with unit_of_work() as session:
        result = take_in(
            session, folders.inbox, today=as_of, imported_by=actor, organisation_id=organisation_id
        )
    file_away(result, folders.archive, folders.errors)
    by_cvr: dict[str, dict[str, int]] = {}
    for file in result.files:
        for report in file.report.organisations if file.report else []:
            counts = by_cvr.setdefault(
                report.organisation_cvr,
                {"files": 0, "payments": 0, "charged_back": 0, "rejected": 0, "suspense": 0},
            )
            counts["files"] += 1
            counts["payments"] += report.payments
            counts["charged_back"] += report.charged_back
            counts["rejected"] += report.rejected + report.cancelled
            counts["suspense"] += report.suspense
    rejected = [file.path.name for file in result.files if file.outcome is Outcome.REJECTED]
    return {"by_cvr": by_cvr, "files_rejected": rejected}


def run_nightly(
    unit_of_work: UnitOfWork,
    as_of: date,
    deps: NightlyDeps,
    *,
    cvr: str | None = None,
    payment_files: BsFolders | None = None,
    after_commit: AfterCommit | None = None,
) -> list[dict[str, Any]]:
    """Run every organisation (or one), each in its own transaction; returns the summaries.
    After a run that is done and committed, ``after_commit`` sends the organisation's
    notifications (its report goes into the returned summary as ``dispatch``).

    With ``payment_files``, the Betalingsservice inbox is taken in first (its own
    transaction). One organisation's failure does not stop the others: its transaction rolls
    back and its summary says why (``status`` = "failed: ..."); a run that finds the
    organisation locked by another run says "skipped: ...".
    """
    with unit_of_work() as session:
        if cvr is not None:
            organisation = require_organisation(session, cvr)
            targets = [(organisation.id, organisation.cvr)]
        else:
            targets = list(
                session.exec(
                    select(Organisation.id, Organisation.cvr).order_by(col(Organisation.id))
                )
            )
    inbox: dict[str, Any] | None = None
    if payment_files is not None:
        only = targets[0][0] if cvr is not None else None
        inbox = take_in_payment_files(unit_of_work, as_of, payment_files, organisation_id=only)
    summaries = []
    for organisation_id, organisation_cvr in targets:
        try:
            with unit_of_work() as session:
                found = session.get(Organisation, organisation_id)
                assert found is not None
                summary = run_organisation(session, found, as_of, deps)
                if inbox is not None:
                    summary["payment_files"] = inbox["by_cvr"].get(organisation_cvr, {})
                    summary["payment_files_rejected"] = inbox["files_rejected"]
                summaries.append(summary)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            summaries.append(_failed(organisation_cvr, as_of, "skipped", LOCKED_SQLITE))
        except Exception as exc:  # one organisation's fault must not stop the others
            summaries.append(
                _failed(organisation_cvr, as_of, "failed", f"{type(exc).__name__}: {exc}")
            )
        else:
            if after_commit is not None and summary.get("status") == "done":
                assert organisation_id is not None
                summary["dispatch"] = dict(after_commit(unit_of_work, organisation_id))
    return summaries


LOCKED_SQLITE = "the database is locked by another run (SQLite)"


def _failed(cvr: str, as_of: date, status: str, why: str) -> dict[str, Any]:
    """The summary of a run that did nothing (its transaction was rolled back)."""
    return {"cvr": cvr, "as_of": as_of.isoformat(), "status": f"{status}: {why}"}


def failed(summary: dict[str, Any]) -> bool:
    return str(summary.get("status", "")).startswith("failed")
