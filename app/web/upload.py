"""A Betalingsservice file uploaded at the desk: the CLI's importer (``import_file``'s two
steps), held to the caller's organisation, with an audit row.

A delivery is routed by PBS number and debtor group, so one file may carry sections of
several organisations; uploaded in one organisation's page it may touch only that one.
Anything wrong raises ``UploadRefused`` with every issue (line, field) and writes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlmodel import Session

from app.auth import audit
from app.auth.http import Access
from app.auth.roles import Permission
from app.desk.errors import Forbidden
from integrations.betalingsservice.errors import BsError, BsFormatError, BsImportError, Issue
from integrations.betalingsservice.importer import ImportReport, import_prepared, prepare
from integrations.betalingsservice.parser import MAX_FILE_BYTES


@dataclass(frozen=True, slots=True)
class UploadRefused(Exception):
    """Nothing was imported; ``issues`` say where and why (line None: the file as a whole)."""

    message: str
    issues: tuple[Issue, ...] = ()


def upload_bs_file(
    session: Session, access: Access, data: bytes, file_name: str, *, today: date
) -> ImportReport:
    """Import a 0602/0603 delivery for the caller's organisation, in the caller's transaction."""
    if not access.principal.may(access.organisation_id, Permission.WRITE):
        raise Forbidden("your role does not allow this (write)")
    if not data:
        raise UploadRefused("Filen er tom.")
    if len(data) > MAX_FILE_BYTES:
        raise UploadRefused(f"Filen er større end {MAX_FILE_BYTES:,} bytes.".replace(",", "."))
    name = (file_name or "upload").replace("/", "_").replace("\\", "_")[-200:]
    try:
        prepared = prepare(session, data, name)
    except (BsFormatError, BsImportError) as exc:
        raise UploadRefused("Filen blev afvist. Intet er bogført.", exc.issues) from exc
    except BsError as exc:
        raise UploadRefused(f"Filen blev afvist. Intet er bogført. ({exc})") from exc
    others = [org for org in prepared.organisation_ids if org != access.organisation_id]
    if others or not prepared.organisation_ids:
        raise UploadRefused(
            "Filen indeholder ikke (kun) denne organisations PBS-nummer og debitorgruppe. "
            "Intet er bogført."
        )
    try:
        report = import_prepared(session, prepared, today=today, imported_by=_by(access))
    except (BsFormatError, BsImportError) as exc:
        raise UploadRefused("Filen blev afvist. Intet er bogført.", exc.issues) from exc
    audit.record(
        session,
        access.principal,
        "bs.upload",
        organisation_id=access.organisation_id,
        object_type="bs_delivery",
        object_id=report.delivery_serial,
        after={
            "file_name": report.file_name,
            "sha256": report.sha256,
            "already_imported": report.already_imported,
            "organisations": [asdict(org) for org in report.organisations],
        },
    )
    return report


def _by(access: Access) -> str:
    return access.principal.username[:100]
