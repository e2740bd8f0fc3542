"""Pages with files: a letter's PDF, the Betalingsservice upload, and report downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile

from app.auth.roles import Permission
from app.desk.uploads import UploadIssue, UploadRejected, upload_bs_file
from workflows.arrears.models import LetterKind

from . import views
from .base import Web

LETTER_FILE = {
    LetterKind.PAKRAV: "paakrav",
    LetterKind.TERMINATION: "ophaevelse",
    LetterKind.EVICTION_REQUEST: "anmodning-om-udsaettelse",
}


def add_files(router: APIRouter, web: Web) -> None:
    @router.get("/o/{cvr}/breve/{letter_id}")
    def letter(request: Request, cvr: str, letter_id: int) -> Response:
        with web.unit_of_work() as session:
            access = web.guard.access(session, request, cvr, Permission.READ)
            found = views.letter_pdf(session, access.organisation_id, letter_id)
            if found is None:
                raise HTTPException(status_code=404)
            name = f"{LETTER_FILE[LetterKind(found.kind)]}-sag-{found.case_id}.pdf"
            return Response(
                found.pdf,
                media_type="application/pdf",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )

    @router.get("/o/{cvr}/betalingsservice")
    def upload_form(request: Request, cvr: str) -> Response:
        with web.unit_of_work() as session:
            access = web.guard.access(session, request, cvr, Permission.READ)
            return web.page(access, "upload.html", "bs", result=None, refused=None)

    @router.post("/o/{cvr}/betalingsservice")
    def upload(
        request: Request,
        cvr: str,
        fil: Annotated[UploadFile, File()],
        csrf_token: Annotated[str, Form()] = "",
    ) -> Response:
        limit = web.settings.upload_max_bytes
        data = fil.file.read(limit + 1)
        name = fil.filename or "upload"
        refused: UploadRejected | None = None
        try:
            with web.unit_of_work() as session:
                access = web.guard.access(session, request, cvr, Permission.WRITE, csrf=csrf_token)
                if len(data) > limit:
                    too_big = f"larger than {limit} bytes"
                    raise UploadRejected([UploadIssue(None, "", too_big)])
                if not data:
                    raise UploadRejected([UploadIssue(None, "", "the file is empty")])
                result = upload_bs_file(session, access, name, data, today=web.today())
        except UploadRejected as exc:
            refused = exc
        with web.unit_of_work() as session:
            access = web.guard.access(session, request, cvr, Permission.READ, csrf=csrf_token)
            if refused is not None:
                return web.page(
                    access, "upload.html", "bs", 422, result=None, refused=refused, file_name=name
                )
            return web.page(access, "upload.html", "bs", result=result, refused=None)
