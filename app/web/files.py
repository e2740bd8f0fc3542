"""Pages with files: a letter's PDF, the Betalingsservice upload, and report downloads."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile

from app.auth.roles import Permission
from app.desk import reports as desk_reports
from app.desk.uploads import UploadIssue, UploadRejected, upload_bs_file
from workflows.arrears.models import LetterKind

from . import views
from .base import Web
from .labels import REPORT_TEXT

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

    @router.get("/o/{cvr}/rapporter")
    def report_page(request: Request, cvr: str, dato: str = "") -> Response:
        as_of = _day(dato) or web.today()
        with web.unit_of_work() as session:
            access = web.guard.access(session, request, cvr, Permission.READ)
            return web.page(
                access, "reports.html", "rapporter", reports=desk_reports.report_list(),
                texts=REPORT_TEXT, as_of=as_of, today=web.today(),
            )  # fmt: skip

    @router.get("/o/{cvr}/rapporter/{name}.{fmt}")
    def report_download(
        request: Request, cvr: str, name: str, fmt: str, dato: str = ""
    ) -> Response:
        if fmt not in ("csv", "xlsx", "pdf"):
            raise HTTPException(status_code=404)
        as_of = _day(dato) or web.today()
        with web.unit_of_work() as session:
            access = web.guard.access(session, request, cvr, Permission.READ)
            found = desk_reports.report_file(session, access, name, fmt, as_of=as_of)  # type: ignore[arg-type]
            return Response(
                found.content,
                media_type=found.media_type,
                headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
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


def _day(text: str) -> date | None:
    """A date from the page's date field (yyyy-mm-dd, as browsers send it); 400 if malformed."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise HTTPException(status_code=400) from None
    if not date(2000, 1, 1) <= day <= date(2099, 12, 31):
        raise HTTPException(status_code=400)
    return day
