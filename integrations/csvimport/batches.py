"""Recording which file an import came from, so every entry can be traced back to it."""

from __future__ import annotations

from sqlmodel import Session

from integrations.csvimport.reader import CsvFile
from ledger.models import ImportBatch


def record_batch(
    session: Session, organisation_id: int, kind: str, file: CsvFile, imported_by: str
) -> ImportBatch:
    batch = ImportBatch(
        organisation_id=organisation_id,
        kind=kind,
        filename=file.filename[:300],
        sha256=file.sha256,
        rows=len(file.rows),
        imported_by=imported_by,
    )
    session.add(batch)
    session.flush()
    return batch
