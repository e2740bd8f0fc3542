"""Uploads at the desk: a Betalingsservice delivery (0602 payments, 0603 mandates) or a CSV
import (tenancies, payments, ledger history), with the same validation as the CLI
(``almen bs import``, ``almen import ...``), into the caller's organisation only.

A file is imported whole or not at all: any problem raises ``UploadRejected`` naming every
line (CSV: spreadsheet row) and field that is wrong, and the caller's transaction must be
rolled back (the API's unit of work does). A file that names another organisation (a CSV row
with another CVR, a BS section of another organisation's agreement) is refused the same way.
Importing the same file twice changes nothing the second time (the importers' idempotency
keys); only an upload that changed something writes an audit row.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from sqlmodel import Session

from app.auth import audit
from app.auth.http import Access
from app.auth.roles import Permission
from app.desk.common import require
from app.desk.errors import DeskError
from integrations.betalingsservice.errors import BsError, BsFormatError, BsImportError
from integrations.betalingsservice.importer import import_prepared, prepare
from integrations.betalingsservice.parser import MAX_FILE_BYTES as BS_MAX_BYTES
from integrations.csvimport import fields as csv_fields
from integrations.csvimport.errors import FieldError, ImportRejected, RowError
from integrations.csvimport.ledger_history import import_ledger
from integrations.csvimport.payments import import_payments
from integrations.csvimport.reader import MAX_FILE_BYTES as CSV_MAX_BYTES
from integrations.csvimport.reader import CsvFile, parse_csv
from integrations.csvimport.tenancies import import_tenancies
from ledger.identifiers import IdentifierError
from ledger.money import MoneyError
from ledger.posting import PostingError
from ledger.registry import RegistryError

CsvKind = Literal["tenancies", "payments", "ledger"]
CSV_KINDS: tuple[CsvKind, ...] = ("tenancies", "payments", "ledger")
MAX_ISSUES = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass(frozen=True, slots=True)
class UploadIssue:
    """One thing wrong with a file: the line (CSV: spreadsheet row; None: the whole file),
    the field (column or record field; "" if none) and what is wrong."""

    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = "file" if self.line is None else f"line {self.line}"
        return (
            f"{where}, field {self.field}: {self.message}"
            if self.field
            else f"{where}: {self.message}"
        )


class UploadRejected(DeskError):
    """The file was not imported (HTTP 422); ``issues`` names every line and field."""

    status_code = 422

    def __init__(self, issues: list[UploadIssue]) -> None:
        assert issues, "a rejection names at least one issue"
        self.issues = issues[:MAX_ISSUES]
        super().__init__("file rejected, nothing imported: " + "; ".join(map(str, self.issues[:5])))

    def detail(self) -> list[dict[str, Any]]:
        """The issues in FastAPI's validation-error shape (``loc``, ``msg``, ``type``)."""
        return [
            {
                "loc": [
                    "body",
                    "file",
                    *([] if i.line is None else [i.line]),
                    *([i.field] if i.field else []),
                ],
                "msg": str(i),
                "type": "upload_rejected",
            }
            for i in self.issues
        ]


@dataclass(frozen=True, slots=True)
class UploadResult:
    """What an upload did. ``already_imported``: the whole file was imported before and
    nothing changed. ``counts``: figures by name (money in øre, names ending ``_oere``)."""

    kind: str  # "bs-0602", "bs-0603", "csv-tenancies", "csv-payments", "csv-ledger"
    filename: str
    sha256: str
    already_imported: bool
    counts: dict[str, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def clean_filename(name: str | None) -> str:
    """The file's own name without folders or control characters, at most 200 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip()[:200]
    return cleaned or "upload"


def upload_bs_file(
    session: Session, access: Access, filename: str | None, data: bytes, *, today: date
) -> UploadResult:
    """Import a Betalingsservice 0602 or 0603 delivery into the caller's organisation
    (``write``). Every section must belong to this organisation's BS agreement
    (``almen bs settings``). Raises ``UploadRejected`` with line and field on any problem."""
    require(access, Permission.WRITE)
    name = clean_filename(filename)
    if len(data) > BS_MAX_BYTES:
        raise UploadRejected([UploadIssue(None, "", f"larger than {BS_MAX_BYTES} bytes")])
    try:
        prepared = prepare(session, data, name)
        if prepared.organisation_ids != [access.organisation_id]:
            raise UploadRejected(
                [
                    UploadIssue(
                        1, "pbs_number",
                        "the delivery's sections must all be for this organisation's "
                        f"Betalingsservice agreement (CVR {access.organisation.cvr})",
                    )
                ]
            )  # fmt: skip
        report = import_prepared(
            session, prepared, today=today, imported_by=access.principal.username
        )
    except (BsFormatError, BsImportError) as exc:
        raise UploadRejected(
            [UploadIssue(i.line, i.field, _bs_problem(i.problem, i.value)) for i in exc.issues]
        ) from exc
    except BsError as exc:
        raise UploadRejected([UploadIssue(None, "", str(exc))]) from exc
    counts: dict[str, int] = {}
    notices: list[str] = []
    for org in report.organisations:
        for key, value in asdict(org).items():
            if isinstance(value, int) and not isinstance(value, bool) and key != "delivery_id":
                counts[key] = counts.get(key, 0) + value
        notices.extend(org.notices)
    result = UploadResult(
        kind=f"bs-{report.delivery_type}",
        filename=name,
        sha256=report.sha256,
        already_imported=report.already_imported,
        counts=counts,
        notices=notices if not report.already_imported else list(report.imported_before),
    )
    if not report.already_imported:
        _audit(session, access, "upload.bs", result, serial=report.delivery_serial)
    return result


def upload_csv(
    session: Session,
    access: Access,
    kind: CsvKind,
    filename: str | None,
    data: bytes,
    *,
    today: date,
) -> UploadResult:
    """Import a CSV file of ``kind`` (tenancies, payments, ledger: the columns of
    ``almen import``) into the caller's organisation (``write``). Every row's
    ``organisation_cvr`` must be this organisation's. Raises ``UploadRejected`` with row and
    column on any problem."""
    require(access, Permission.WRITE)
    if kind not in CSV_KINDS:
        raise DeskError(f"unknown CSV kind {kind!r}: one of {', '.join(CSV_KINDS)}")
    name = clean_filename(filename)
    if len(data) > CSV_MAX_BYTES:
        raise UploadRejected([UploadIssue(None, "", f"larger than {CSV_MAX_BYTES} bytes")])
    by = access.principal.username
    try:
        file = parse_csv(data, name)
        _check_organisation(file, access.organisation.cvr)
        counts: dict[str, int]
        if kind == "tenancies":
            tenancies = import_tenancies(
                session, file, ledger_start=None, today=today, imported_by=by
            )
            counts = {
                "tenancies_created": tenancies.tenancies_created,
                "tenancies_unchanged": tenancies.tenancies_unchanged,
                "tenants_created": tenancies.tenants_created,
                "recurring_charges_created": tenancies.recurring_charges_created,
            }
            changed = tenancies.tenancies_created > 0
        else:
            importer = import_payments if kind == "payments" else import_ledger
            postings = importer(session, file, today=today, imported_by=by)
            counts = {
                "posted": postings.posted,
                "already_imported": postings.already_imported,
                "charged_oere": postings.charged_oere,
                "credited_oere": postings.credited_oere,
            }
            changed = postings.posted > 0
    except ImportRejected as exc:
        raise UploadRejected([_row_issue(error) for error in exc.errors]) from exc
    except (RegistryError, IdentifierError, MoneyError, PostingError) as exc:
        raise UploadRejected([UploadIssue(None, "", str(exc))]) from exc
    result = UploadResult(
        kind=f"csv-{kind}", filename=name, sha256=file.sha256, already_imported=not changed,
        counts=counts,
    )  # fmt: skip
    if changed:
        _audit(session, access, f"upload.csv_{kind}", result)
    return result


def _check_organisation(file: CsvFile, cvr: str) -> None:
    """Every row names this organisation (rows the importer cannot read it reports itself)."""
    if "organisation_cvr" not in file.columns:
        return  # the importer names the missing column
    errors = []
    for row in file.rows:
        try:
            found = csv_fields.cvr(row, "organisation_cvr")
        except FieldError:
            continue
        if found != cvr:
            errors.append(
                RowError(
                    row.number, "organisation_cvr", f"{found} is not this organisation ({cvr})"
                )
            )
    if errors:
        raise ImportRejected(errors)


def _row_issue(error: RowError) -> UploadIssue:
    return UploadIssue(error.row or None, error.column, error.message)


def _bs_problem(problem: str, value: str | None) -> str:
    return problem if value is None else f"{problem} {value!r}"


def _audit(
    session: Session, access: Access, action: str, result: UploadResult, **extra: str
) -> None:
    audit.record(
        session,
        access.principal,
        action,
        organisation_id=access.organisation_id,
        object_type="upload",
        object_id=result.sha256[:16],
        after={"kind": result.kind, "filename": result.filename, "sha256": result.sha256,
               **result.counts, **extra},
    )  # fmt: skip
