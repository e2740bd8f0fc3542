"""Small helpers every desk module uses: the role check and the organisation-scoped lookup."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session

from app.auth.http import Access
from app.auth.roles import Permission
from app.desk.errors import Forbidden, NotFound

T = TypeVar("T")


def require(access: Access, permission: Permission) -> None:
    """``Forbidden`` unless the caller's roles in the organisation give ``permission``."""
    if not access.principal.may(access.organisation_id, permission):
        raise Forbidden(f"your role does not allow this ({permission.value})")


def own(session: Session, access: Access, model: type[T], object_id: int, noun: str) -> T:
    """The row of ``model`` with ``object_id`` if it belongs to the caller's organisation,
    else ``NotFound`` (another organisation's row is answered like a missing one)."""
    row: Any = session.get(model, object_id)
    if row is None or row.organisation_id != access.organisation_id:
        raise NotFound(f"no {noun} {object_id}")
    assert isinstance(row, model)
    return row
