"""An organisation's Betalingsservice settings: PBS number, debtor group, data supplier, and the
0601 delivery serial counter the system keeps."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ledger.identifiers import IdentifierError, check_cvr
from ledger.models import Organisation
from ledger.types import utc_now

from .errors import BsSetupError
from .models import BsSettings

MAX_DELIVERY_SERIAL = 9_999_999_999  # ten digits in BS002


def check_digits(name: str, value: str, width: int) -> str:
    """Exactly ``width`` ASCII digits, or a clear error."""
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) == width):
        raise BsSetupError(f"{name} must be {width} digits, got {value!r}")
    return text


def save_settings(
    session: Session,
    organisation: Organisation,
    *,
    pbs_number: str,
    debtor_group: str,
    data_supplier_cvr: str | None,
    updated_by: str,
) -> BsSettings:
    """Create or change an organisation's settings; the serial counter is kept as it was.

    A PBS number and debtor group route inbound records to one organisation only.
    """
    assert organisation.id is not None
    pbs = check_digits("PBS number", pbs_number, 8)
    group = check_digits("debtor group", debtor_group, 5)
    try:
        supplier = check_cvr(data_supplier_cvr or organisation.cvr)
    except IdentifierError as exc:
        raise BsSetupError(f"data supplier: {exc}") from exc
    taken = session.exec(
        select(BsSettings).where(
            BsSettings.pbs_number == pbs,
            BsSettings.debtor_group == group,
            BsSettings.organisation_id != organisation.id,
        )
    ).first()
    if taken is not None:
        raise BsSetupError(
            f"PBS number {pbs} with debtor group {group} belongs to another organisation "
            f"(id {taken.organisation_id})"
        )
    settings = settings_of(session, organisation.id)
    if settings is None:
        settings = BsSettings(
            organisation_id=organisation.id,
            pbs_number=pbs,
            debtor_group=group,
            data_supplier_cvr=supplier,
            updated_by=updated_by,
        )
    else:
        settings.pbs_number, settings.debtor_group = pbs, group
        settings.data_supplier_cvr = supplier
        settings.updated_at, settings.updated_by = utc_now(), updated_by
    session.add(settings)
    session.flush()
    return settings


def settings_of(session: Session, organisation_id: int) -> BsSettings | None:
    return session.exec(
        select(BsSettings).where(BsSettings.organisation_id == organisation_id)
    ).first()


def require_settings(session: Session, organisation: Organisation) -> BsSettings:
    assert organisation.id is not None
    settings = settings_of(session, organisation.id)
    if settings is None:
        raise BsSetupError(
            f"organisation {organisation.cvr} has no Betalingsservice settings "
            "(almen bs settings --organisation CVR --pbs-number N --debtor-group N)"
        )
    return settings


def settings_by_route(session: Session) -> dict[tuple[str, str], BsSettings]:
    """Every organisation's settings by (PBS number, debtor group)."""
    return {(s.pbs_number, s.debtor_group): s for s in session.exec(select(BsSettings))}


def lock_organisations(session: Session, organisation_ids: Iterable[int]) -> None:
    """Serialise Betalingsservice work per organisation for the rest of the transaction.

    PostgreSQL: a row lock on the settings rows (``SELECT ... FOR UPDATE``), in id order so two
    imports never deadlock. SQLite takes the database write lock at ``BEGIN IMMEDIATE`` anyway.
    """
    ids = sorted(set(organisation_ids))
    if ids and session.get_bind().dialect.name == "postgresql":
        session.execute(
            sa.select(col(BsSettings.id))
            .where(col(BsSettings.organisation_id).in_(ids))
            .order_by(col(BsSettings.organisation_id))
            .with_for_update()
        ).all()


def take_delivery_serial(session: Session, settings: BsSettings) -> str:
    """The next 0601 delivery serial (ten digits); the counter moves in this transaction."""
    serial = settings.last_delivery_serial + 1
    if serial > MAX_DELIVERY_SERIAL:
        raise BsSetupError("the 0601 delivery serial counter is exhausted")
    settings.last_delivery_serial = serial
    session.add(settings)
    session.flush()
    return f"{serial:010d}"
