"""Taking in the delivery files waiting in an inbox folder (for the nightly run).

Two steps, so that files move only after the database has committed::

    with unit_of_work(engine) as session:
        result = take_in(session, inbox, today=today, imported_by="nightly")
    file_away(result, archive, errors)       # after the commit

:func:`take_in` imports each file in a savepoint of the caller's transaction: a rejected file
leaves no trace in the database, the others stay. :func:`file_away` then moves imported files
(and files imported before) to the archive and rejected ones to the error folder, with a report
beside each (``<name>.report.txt``: line, field, value and problem per issue). A crash between
the commit and the moves is harmless: the next run finds those serials imported and archives
the files. Files whose names start with ``.`` or end in ``.part``/``.tmp`` are still being
written and are left alone, as are files for other organisations in a per-organisation run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from sqlmodel import Session

from ledger.types import utc_now

from .errors import BsError, BsFormatError, BsImportError, Issue
from .importer import ImportReport, import_prepared, prepare
from .parser import MAX_FILE_BYTES

MAX_FILES_PER_RUN = 1000
REPORT_SUFFIX = ".report.txt"
_IN_PROGRESS = (".part", ".tmp")


class Outcome(StrEnum):
    IMPORTED = "imported"
    ALREADY_IMPORTED = "already_imported"  # archived: its serial is on record
    REJECTED = "rejected"  # moved to the error folder with a report
    SKIPPED = "skipped"  # left in the inbox (another organisation's, or several's)


@dataclass(slots=True)
class InboxFile:
    path: Path
    outcome: Outcome
    report: ImportReport | None = None
    issues: list[Issue] = field(default_factory=list)
    note: str = ""


@dataclass(slots=True)
class InboxResult:
    inbox: Path
    taken_at: datetime
    files: list[InboxFile] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for file in self.files if file.outcome is outcome)


@dataclass(frozen=True, slots=True)
class Moved:
    source: Path
    target: Path
    report: Path | None


def waiting_files(inbox: Path) -> Iterator[Path]:
    """The files in the inbox that are ready, in name order (at most ``MAX_FILES_PER_RUN``)."""
    if not inbox.is_dir():
        return
    ready = sorted(
        path
        for path in inbox.iterdir()
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.endswith(_IN_PROGRESS)
        and not path.name.endswith(REPORT_SUFFIX)
    )
    yield from ready[:MAX_FILES_PER_RUN]


def take_in(
    session: Session,
    inbox: Path,
    *,
    today: date,
    imported_by: str,
    organisation_id: int | None = None,
) -> InboxResult:
    """Import every waiting file (only those of ``organisation_id`` if given); commit is the
    caller's, moving the files afterwards is :func:`file_away`'s."""
    result = InboxResult(inbox=inbox, taken_at=utc_now())
    for path in waiting_files(inbox):
        result.files.append(
            _take_one(session, path, today=today, imported_by=imported_by, only=organisation_id)
        )
    return result


def _take_one(
    session: Session, path: Path, *, today: date, imported_by: str, only: int | None
) -> InboxFile:
    if path.stat().st_size > MAX_FILE_BYTES:
        issue = Issue(None, "file", None, f"larger than {MAX_FILE_BYTES} bytes")
        return InboxFile(path, Outcome.REJECTED, issues=[issue])
    data = path.read_bytes()
    try:
        with session.begin_nested():
            prepared = prepare(session, data, path.name)
            concerned = set(prepared.organisation_ids)
            if only is not None and concerned != {only}:
                note = (
                    "concerns other organisations too: take it in with a run for all"
                    if only in concerned
                    else "another organisation's delivery"
                )
                return InboxFile(path, Outcome.SKIPPED, note=note)
            report = import_prepared(session, prepared, today=today, imported_by=imported_by)
    except (BsFormatError, BsImportError) as error:
        return InboxFile(path, Outcome.REJECTED, issues=list(error.issues))
    except BsError as error:
        return InboxFile(path, Outcome.REJECTED, issues=[Issue(None, "file", None, str(error))])
    outcome = Outcome.ALREADY_IMPORTED if report.already_imported else Outcome.IMPORTED
    return InboxFile(path, outcome, report=report)


def file_away(result: InboxResult, archive: Path, errors: Path) -> list[Moved]:
    """Move imported files to ``archive`` and rejected ones to ``errors`` with a report beside
    them. Call it after the transaction of :func:`take_in` has committed."""
    moved = []
    for file in result.files:
        if not file.path.exists():
            continue  # moved by a run that overlapped this one
        if file.outcome in (Outcome.IMPORTED, Outcome.ALREADY_IMPORTED):
            moved.append(Moved(file.path, _move(file.path, archive), None))
        elif file.outcome is Outcome.REJECTED:
            target = _move(file.path, errors)
            report = target.with_name(target.name + REPORT_SUFFIX)
            report.write_text(rejection_report(file, result.taken_at), encoding="utf-8")
            moved.append(Moved(file.path, target, report))
    return moved


def rejection_report(file: InboxFile, at: datetime) -> str:
    """Why a file was rejected: one line per issue (line, field, value, problem)."""
    lines = [
        f"Betalingsservice file {file.path.name} was rejected on {at:%Y-%m-%d %H:%M} UTC.",
        "Nothing in it was imported. Problems:",
        "",
    ]
    lines.extend(str(issue) for issue in file.issues)  # line N, field F: problem 'value'
    return "\n".join(lines) + "\n"


def _move(path: Path, folder: Path) -> Path:
    """Move a file into a folder, never over another file (``name.2``, ``name.3``, ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    number = 1
    while target.exists() or target.with_name(target.name + REPORT_SUFFIX).exists():
        number += 1
        target = folder / f"{path.name}.{number}"
    shutil.move(str(path), str(target))
    return target
