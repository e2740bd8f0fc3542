"""``/api/v1/organisations/{cvr}/tenancies``: tenancies with their balance, and one tenancy's
ledger lines and open items as of a day (``as_of``, default today)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.api_v1.common import ORG, RESPONSES, ApiContext, Day, Id, Limit, Name, Offset
from app.auth.roles import Permission
from app.desk import tenancies
from app.desk.tenancies import TenancyView
from ledger.balances import DebtorLine, OpenItem


class OpenItemOut(BaseModel):
    entry_id: int
    due_date: date
    charge_type: str | None
    label: str
    amount_oere: int
    open_oere: int
    pligtig: bool
    overdue: bool


class TenancyOut(BaseModel):
    id: int
    unit_number: str
    department: str
    address: str
    tenants: list[str]
    start_date: date
    end_date: date | None
    delivery_channel: str
    deposit_oere: int
    as_of: date
    balance_oere: int  # positive: the tenant owes
    overdue_pligtig_oere: int
    free_credit_oere: int


class LedgerLineOut(BaseModel):
    entry_id: int
    amount_oere: int  # positive: a charge; negative: a payment or credit
    due_date: date | None
    value_date: date | None
    charge_type: str | None
    pligtig: bool
    label: str
    reverses_entry_id: int | None


class TenancyLedgerOut(TenancyOut):
    lines: list[LedgerLineOut]
    open_items: list[OpenItemOut]


def tenancy_out(view: TenancyView) -> TenancyOut:
    t, s = view.tenancy, view.statement
    assert t.id is not None
    return TenancyOut(
        id=t.id,
        unit_number=view.unit.unit_number,
        department=view.department,
        address=f"{view.unit.address}, {view.unit.postcode} {view.unit.city}",
        tenants=view.tenants,
        start_date=t.start_date,
        end_date=t.end_date,
        delivery_channel=str(t.delivery_channel),
        deposit_oere=t.deposit_oere,
        as_of=s.as_of,
        balance_oere=s.balance_oere,
        overdue_pligtig_oere=s.overdue_pligtig_oere,
        free_credit_oere=s.free_credit_oere,
    )


def open_item_out(item: OpenItem, as_of: date) -> OpenItemOut:
    return OpenItemOut(
        entry_id=item.entry_id, due_date=item.due_date, charge_type=item.charge_type,
        label=item.label, amount_oere=item.amount_oere, open_oere=item.open_oere,
        pligtig=item.pligtig, overdue=item.is_overdue(as_of),
    )  # fmt: skip


def line_out(line: DebtorLine) -> LedgerLineOut:
    return LedgerLineOut(
        entry_id=line.entry_id, amount_oere=line.amount_oere, due_date=line.due_date,
        value_date=line.value_date, charge_type=line.charge_type, pligtig=line.pligtig,
        label=line.label, reverses_entry_id=line.reverses_entry_id,
    )  # fmt: skip


def tenancies_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix=ORG, tags=["tenancies"], responses=RESPONSES)

    @router.get("/tenancies")
    def list_tenancies(
        cvr: str,
        request: Request,
        as_of: Day | None = None,
        unit_number: Name | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[TenancyOut]:
        """The organisation's tenancies with balance and overdue amount as of ``as_of``."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            views = tenancies.list_tenancies(
                session, access, as_of=as_of or ctx.today(), unit_number=unit_number,
                limit=limit, offset=offset,
            )  # fmt: skip
            return [tenancy_out(view) for view in views]

    @router.get("/tenancies/{tenancy_id}")
    def get_tenancy(
        cvr: str, tenancy_id: Id, request: Request, as_of: Day | None = None
    ) -> TenancyLedgerOut:
        """One tenancy: its ledger lines up to ``as_of`` and its open items on that day."""
        day = as_of or ctx.today()
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            ledger = tenancies.tenancy_ledger(session, access, tenancy_id, as_of=day)
            return TenancyLedgerOut(
                **tenancy_out(ledger.view).model_dump(),
                lines=[line_out(line) for line in ledger.lines],
                open_items=[open_item_out(i, day) for i in ledger.view.statement.open_items],
            )

    return router
