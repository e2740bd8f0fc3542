"""``/api/v1/organisations/{cvr}/uploads``: a Betalingsservice delivery (``bs``) or a CSV
import (``csv/tenancies``, ``csv/payments``, ``csv/ledger``) as a multipart ``file``; write.

Same validation as the CLI (``app.desk.uploads``). A rejected file is 422 with one entry per
problem, its ``loc`` ending in the line and field; nothing is written. A file larger than
``ALMEN_UPLOAD_MAX_BYTES`` is 413. The same file again changes nothing
(``already_imported``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from pydantic import BaseModel

from app.api_v1.common import ORG, RESPONSES, ApiContext, Problem
from app.auth.roles import Permission
from app.desk import uploads
from app.desk.uploads import CsvKind, UploadResult


class UploadOut(BaseModel):
    kind: str  # bs-0602, bs-0603, csv-tenancies, csv-payments, csv-ledger
    filename: str
    sha256: str
    already_imported: bool  # the whole file was imported before: nothing changed
    counts: dict[str, int]  # what the import did (money in øre, names ending _oere)
    notices: list[str]


def upload_out(result: UploadResult) -> UploadOut:
    return UploadOut(
        kind=result.kind, filename=result.filename, sha256=result.sha256,
        already_imported=result.already_imported, counts=result.counts, notices=result.notices,
    )  # fmt: skip


UploadBody = Annotated[UploadFile, File(description="the file")]


def uploads_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(
        prefix=ORG,
        tags=["uploads"],
        responses={**RESPONSES, 413: {"model": Problem, "description": "the file is too large"}},
    )

    async def read(file: UploadFile) -> bytes:
        limit = ctx.settings.upload_max_bytes
        data = await file.read(limit + 1)
        if len(data) > limit:
            raise HTTPException(status_code=413, detail=f"the file is larger than {limit} bytes")
        return data

    @router.post("/uploads/bs")
    async def upload_bs(cvr: str, file: UploadBody, request: Request) -> UploadOut:
        """Import a Betalingsservice 0602 (payments) or 0603 (mandates) delivery file."""
        data = await read(file)
        with ctx.scope(request, cvr, Permission.WRITE) as (session, access):
            result = uploads.upload_bs_file(session, access, file.filename, data, today=ctx.today())
            return upload_out(result)

    @router.post("/uploads/csv/{kind}")
    async def upload_csv(cvr: str, kind: CsvKind, file: UploadBody, request: Request) -> UploadOut:
        """Import a CSV file (UTF-8 or Windows-1252; the columns of ``almen import KIND``)."""
        data = await read(file)
        with ctx.scope(request, cvr, Permission.WRITE) as (session, access):
            result = uploads.upload_csv(
                session, access, kind, file.filename, data, today=ctx.today()
            )
            return upload_out(result)

    return router
