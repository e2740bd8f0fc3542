"""Administration: the organisation's users and their roles (``admin``), and the national
påkrav fee table (``/api/v1/fee-table``: read by anyone logged in; set by an admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from app.api_v1.common import (
    ORG,
    PREFIX,
    RESPONSES,
    ApiContext,
    Id,
    Name,
    Password,
    printable,
)  # fmt: skip
from app.auth.roles import Permission, Role
from app.desk import fees, users
from app.desk.users import Member
from ledger.fees import FIRST_FEE_YEAR, MAX_FEE_KR, FeeRow
from ledger.types import utc_now

Year = Annotated[int, Path(ge=FIRST_FEE_YEAR, le=2099)]


class MemberOut(BaseModel):
    id: int
    username: str
    full_name: str
    active: bool
    roles: list[Role]
    created_at: datetime


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Name
    full_name: Annotated[str, printable(200)]
    password: Password
    role: Role


class RoleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class FeeOut(BaseModel):
    year: int
    amount_kr: int
    source: str
    confirmed: bool


class FeeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_kr: Annotated[int, Field(ge=1, le=MAX_FEE_KR)]
    source: Annotated[str, printable(300)]


def member_out(m: Member) -> MemberOut:
    assert m.user.id is not None
    return MemberOut(
        id=m.user.id, username=m.user.username, full_name=m.user.full_name,
        active=m.user.active, roles=sorted(m.roles), created_at=m.user.created_at,
    )  # fmt: skip


def fee_out(row: FeeRow) -> FeeOut:
    return FeeOut(
        year=row.year, amount_kr=row.amount_kr, source=row.source, confirmed=row.confirmed
    )


def admin_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix=ORG, tags=["administration"], responses=RESPONSES)

    @router.get("/users")
    def list_users(cvr: str, request: Request) -> list[MemberOut]:
        """Everyone who holds or held a role in the organisation, with their active roles."""
        with ctx.scope(request, cvr, Permission.ADMIN) as (session, access):
            return [member_out(m) for m in users.organisation_users(session, access)]

    @router.post("/users", status_code=201)
    def create_user(cvr: str, body: NewUser, request: Request) -> MemberOut:
        """A new user with a first role here (409 if the username is taken)."""
        with ctx.scope(request, cvr, Permission.ADMIN) as (session, access):
            member = users.create_member(
                session, access, body.username, body.full_name, body.password, body.role
            )
            return member_out(member)

    @router.post("/users/{user_id}/roles")
    def grant_role(cvr: str, user_id: Id, body: RoleBody, request: Request) -> MemberOut:
        """Give a member of the organisation a role (not yourself)."""
        with ctx.scope(request, cvr, Permission.ADMIN) as (session, access):
            return member_out(users.grant_role(session, access, user_id, body.role))

    @router.delete("/users/{user_id}/roles/{role}")
    def revoke_role(cvr: str, user_id: Id, role: Role, request: Request) -> MemberOut:
        """Take a role from a member (not yourself; not the last admin)."""
        with ctx.scope(request, cvr, Permission.ADMIN) as (session, access):
            member = users.revoke_role(session, access, user_id, role, now=utc_now())
            return member_out(member)

    return router


def fee_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["administration"], responses=RESPONSES)

    @router.get("/fee-table")
    def fee_table(request: Request) -> list[FeeOut]:
        """The påkrav fee per year (ALL § 90, stk. 2), national data."""
        with ctx.unit_of_work() as session:
            ctx.guard.principal(session, request)
            return [fee_out(row) for row in fees.fee_table(session)]

    @router.put("/fee-table/{year}")
    def set_fee(year: Year, body: FeeIn, request: Request) -> FeeOut:
        """Set one year's fee (admin of any organisation; audited without an organisation)."""
        with ctx.scope_national(request) as (session, principal):
            return fee_out(fees.set_fee_year(session, principal, year, body.amount_kr, body.source))

    return router
