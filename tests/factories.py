"""Small builders for test data on a session (they flush, never commit)."""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlmodel import Session

from ledger.accounts import reallocate
from ledger.charge_types import RENT, ensure_default_charge_types
from ledger.models import Organisation, Tenancy
from ledger.payments import payment_posting
from ledger.posting import Line, NewPosting, post_many
from ledger.registry import (
    TenancySpec,
    TenantSpec,
    UnitSpec,
    add_recurring_charge,
    create_organisation,
    create_tenancy,
    department,
    unit,
)
from ledger.types import (
    Account,
    DeliveryChannel,
    DepositKind,
    MaintenanceScheme,
    PaymentMethod,
    PostingKind,
    UnitKind,
)

CVR = "13585628"  # a valid CVR (modulus 11)
OTHER_CVR = "10150817"
_refs = count(1)


def organisation(
    session: Session, cvr: str = CVR, ledger_start: date = date(2025, 1, 1)
) -> Organisation:
    return create_organisation(
        session,
        cvr=cvr,
        name="Boligselskabet Test",
        ledger_start=ledger_start,
        address="Testvej 1",
        postcode="8000",
        city="Aarhus C",
    )


def tenancy(
    session: Session,
    org: Organisation,
    unit_number: str = "1-101",
    *,
    start: date = date(2025, 1, 1),
    end: date | None = None,
    rent_oere: int = 650_000,
    kind: UnitKind = UnitKind.FAMILIE,
    assigned: bool = False,
    channel: DeliveryChannel = DeliveryChannel.DIGITAL_POST,
    scheme: MaintenanceScheme = MaintenanceScheme.A,
    municipality_code: int = 751,
) -> Tenancy:
    assert org.id is not None
    dept = department(session, org.id, f"Afdeling {scheme}", scheme)
    assert dept.id is not None
    home = unit(
        session,
        org.id,
        dept.id,
        UnitSpec(
            unit_number, kind, f"Testvej {unit_number}", "8000", "Aarhus C", municipality_code
        ),
    )
    created = create_tenancy(
        session,
        org.id,
        home,
        TenancySpec(
            start_date=start,
            end_date=end,
            tenants=(TenantSpec("Jens Hansen"),),
            delivery_channel=channel,
            deposit_kind=DepositKind.INDSKUD,
            deposit_oere=2_000_000,
            municipally_assigned=assigned,
        ),
    )
    types = ensure_default_charge_types(session, org.id)
    rent_type = types[RENT].id
    assert rent_type is not None
    add_recurring_charge(session, created, rent_type, rent_oere, valid_from=start)
    return created


def charge(session: Session, t: Tenancy, amount_oere: int, due: date, code: str = RENT) -> int:
    """Post a one-off charge; returns the posting id."""
    types = ensure_default_charge_types(session, t.organisation_id)
    type_id = types[code].id
    ref = f"test-charge-{next(_refs)}"
    posting = NewPosting(
        organisation_id=t.organisation_id,
        kind=PostingKind.CHARGE,
        booking_date=due,
        source="test",
        external_ref=ref,
        text=types[code].label,
        lines=(
            Line(
                Account.DEBTOR, amount_oere, tenancy_id=t.id, charge_type_id=type_id, due_date=due
            ),
            Line(Account.INCOME, -amount_oere, charge_type_id=type_id),
        ),
        created_by="test",
    )
    result = post_many(session, [posting])
    reallocate(session, t.organisation_id, result.tenancy_ids)
    return result.posted[0]


def pay(
    session: Session,
    t: Tenancy,
    amount_oere: int,
    paid: date,
    method: PaymentMethod = PaymentMethod.TRANSFER,
) -> int:
    """Post a payment; returns the posting id."""
    assert t.id is not None
    posting = payment_posting(
        organisation_id=t.organisation_id,
        tenancy_id=t.id,
        amount_oere=amount_oere,
        payment_date=paid,
        method=method,
        source="test",
        external_ref=f"test-payment-{next(_refs)}",
        booking_date=paid,
        created_by="test",
    )
    result = post_many(session, [posting])
    reallocate(session, t.organisation_id, result.tenancy_ids)
    return result.posted[0]
