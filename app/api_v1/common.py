"""What every ``/api/v1`` router shares: the request's unit of work with its access check,
path and body types that refuse what the database cannot hold, and the error shapes.

Each handler opens ONE unit of work (``ApiContext.scope``): the access check, the work and
its audit row commit together, or nothing does. Errors:

- 401 not logged in, 404 not a member of the organisation (or no such CVR), 403 the role
  does not allow it or a cookie request lacks its CSRF token (``app.auth.http.Guard``);
- a ``DeskError`` becomes its status with ``{"detail": message}``; one with status 422 (a
  rejected upload) uses FastAPI's validation shape, ``{"detail": [{"loc", "msg", "type"}]}``,
  naming line and field, so every 422 of the API has the same schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import HTTPException, Path, Query, Request, Response
from pydantic import AfterValidator, BaseModel, StringConstraints
from sqlmodel import Session

from app.auth.http import Access, Guard
from app.auth.roles import Permission
from app.auth.service import Principal
from app.desk.errors import DeskError
from app.desk.uploads import UploadRejected

UnitOfWork = Callable[[], AbstractContextManager[Session]]
PREFIX = "/api/v1"
ORG = PREFIX + "/organisations/{cvr}"
MAX_ID = 2**31 - 1
MAX_PAGE = 500
MAX_OFFSET = 10_000_000
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
# No control characters: PostgreSQL cannot store NUL, and no accountant types one.
_PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def _in_range(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY} and {LAST_DAY}")
    return day


Id = Annotated[int, Path(ge=1, le=MAX_ID, description="the object's id")]
Day = Annotated[date, AfterValidator(_in_range)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="at most this many")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="skip this many")]


def printable(max_length: int, min_length: int = 1) -> StringConstraints:
    """Printable characters, trimmed, ``min_length``-``max_length`` long."""
    return StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=_PRINTABLE
    )


Name = Annotated[str, printable(100)]
Reason = Annotated[str, printable(2000)]
Note = Annotated[str, printable(300, 0)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=1000, pattern=_PRINTABLE)]


class Problem(BaseModel):
    """An error: what is wrong, in one sentence."""

    detail: str


RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "not logged in"},
    403: {"model": Problem, "description": "the role does not allow this, or no CSRF token"},
    404: {"model": Problem, "description": "no such organisation or object (or not yours)"},
    409: {"model": Problem, "description": "cannot be done in the object's present state"},
}


@dataclass(frozen=True)
class ApiSettings:
    """What the HTTP layer needs of ``app.settings.Settings``."""

    secure_cookies: bool = True
    upload_max_bytes: int = 50 * 1024 * 1024


@dataclass(frozen=True)
class ApiContext:
    unit_of_work: UnitOfWork
    today: Callable[[], date]
    settings: ApiSettings = field(default_factory=ApiSettings)
    guard: Guard = field(default_factory=Guard)

    @contextmanager
    def scope(
        self, request: Request, cvr: str, permission: Permission
    ) -> Iterator[tuple[Session, Access]]:
        """One transaction acting in organisation ``cvr`` with ``permission``; a
        ``DeskError`` rolls it back and becomes its HTTP status."""
        with self.unit_of_work() as session:
            try:
                yield session, self.guard.access(session, request, cvr, permission)
            except DeskError as exc:
                raise as_http(exc) from exc

    @contextmanager
    def scope_national(self, request: Request) -> Iterator[tuple[Session, Principal]]:
        """One transaction for national data (no organisation in the path)."""
        with self.unit_of_work() as session:
            try:
                yield session, self.guard.principal(session, request)
            except DeskError as exc:
                raise as_http(exc) from exc


def as_http(exc: DeskError) -> HTTPException:
    if isinstance(exc, UploadRejected):
        return HTTPException(status_code=422, detail=exc.detail())
    if exc.status_code == 422:
        return HTTPException(
            status_code=422, detail=[{"loc": ["body"], "msg": str(exc), "type": "value_error"}]
        )
    return HTTPException(status_code=exc.status_code, detail=str(exc))


def file_response(content: bytes, media_type: str, filename: str) -> Response:
    """A download (a letter's PDF, a report)."""
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
