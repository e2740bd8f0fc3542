"""Per-organisation settings of the arrears workflow (``arrears_settings``), with defaults."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

from sqlmodel import Session

from ledger.models import Organisation
from ledger.types import utc_now
from workflows.arrears.models import (
    DEFAULT_ARRIVAL_BANK_DAYS,
    DEFAULT_MIN_ARREARS_OERE,
    DEFAULT_NIGHTLY_TIME,
    ArrearsSettings,
)

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_MIN_ARREARS_OERE = 10_000_000  # 100,000 kr: a minimum above this is a typing error


class SettingsError(ValueError):
    """A setting that cannot be stored."""


@dataclass(frozen=True, slots=True)
class ArrearsConfig:
    """The settings one nightly run works with (defaults filled in)."""

    organisation_id: int
    min_arrears_oere: int
    letter_arrival_bank_days: int
    digital_post_connected: bool
    hold_pakrav_for_approval: bool
    nightly_time: str
    cases_from: date
    contact_name: str
    contact_phone: str
    contact_email: str
    payment_details: str
    bailiff_court: str
    configured: bool  # False: no row, every value is a default


EDITABLE = (
    "min_arrears_oere",
    "letter_arrival_bank_days",
    "digital_post_connected",
    "hold_pakrav_for_approval",
    "nightly_time",
    "cases_from",
    "contact_name",
    "contact_phone",
    "contact_email",
    "payment_details",
    "bailiff_court",
)


def load_config(session: Session, organisation: Organisation) -> ArrearsConfig:
    """The organisation's settings, or the defaults where it has none."""
    assert organisation.id is not None
    row = session.get(ArrearsSettings, organisation.id)
    if row is None:
        return ArrearsConfig(
            organisation_id=organisation.id,
            min_arrears_oere=DEFAULT_MIN_ARREARS_OERE,
            letter_arrival_bank_days=DEFAULT_ARRIVAL_BANK_DAYS,
            digital_post_connected=True,
            hold_pakrav_for_approval=False,
            nightly_time=DEFAULT_NIGHTLY_TIME,
            cases_from=organisation.ledger_start,
            contact_name="",
            contact_phone="",
            contact_email="",
            payment_details="",
            bailiff_court="",
            configured=False,
        )
    return ArrearsConfig(
        organisation_id=organisation.id,
        min_arrears_oere=row.min_arrears_oere,
        letter_arrival_bank_days=row.letter_arrival_bank_days,
        digital_post_connected=row.digital_post_connected,
        hold_pakrav_for_approval=row.hold_pakrav_for_approval,
        nightly_time=row.nightly_time,
        cases_from=row.cases_from or organisation.ledger_start,
        contact_name=row.contact_name,
        contact_phone=row.contact_phone,
        contact_email=row.contact_email,
        payment_details=row.payment_details,
        bailiff_court=row.bailiff_court,
        configured=True,
    )


def check_changes(changes: Mapping[str, object]) -> None:
    """Refuse unknown names and values outside their range, naming the setting."""
    for name, value in changes.items():
        if name not in EDITABLE:
            raise SettingsError(f"unknown arrears setting {name!r}")
        if name == "min_arrears_oere" and not (
            isinstance(value, int) and 0 <= value <= MAX_MIN_ARREARS_OERE
        ):
            raise SettingsError(f"min_arrears_oere must be 0-{MAX_MIN_ARREARS_OERE}, not {value}")
        if name == "letter_arrival_bank_days" and not (isinstance(value, int) and 1 <= value <= 20):
            raise SettingsError(f"letter_arrival_bank_days must be 1-20, not {value}")
        if name == "nightly_time" and not (isinstance(value, str) and _TIME.match(value)):
            raise SettingsError(f"nightly_time must be HH:MM (24-hour), not {value!r}")
        if name == "contact_email" and value and "@" not in str(value):
            raise SettingsError(f"contact_email {value!r} is not an e-mail address")


def update_settings(
    session: Session, organisation: Organisation, changes: Mapping[str, object], *, by: str
) -> ArrearsSettings:
    """Store ``changes`` (creating the row with defaults first); flushes, never commits."""
    assert organisation.id is not None
    check_changes(changes)
    row = session.get(ArrearsSettings, organisation.id)
    if row is None:
        row = ArrearsSettings(organisation_id=organisation.id)
        session.add(row)
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = utc_now()
    row.updated_by = by
    session.flush()
    return row


def config_as_json(config: ArrearsConfig) -> dict[str, object]:
    values: dict[str, object] = {}
    for field in fields(config):
        value = getattr(config, field.name)
        values[field.name] = value.isoformat() if isinstance(value, date) else value
    return values
