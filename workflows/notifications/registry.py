"""The municipalities' delivery settings: e-mail address(es), a webhook (URL and shared
secret), or pull only. The 98 municipalities themselves are the shipped data of
``ledger.municipalities`` (kommunekoder change only by law; the last time in 2007).

Validation names what is wrong; nothing is stored unless all of it is right.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from ledger.municipalities import municipality_names
from ledger.types import utc_now
from workflows.notifications.models import DeliveryMethod, MunicipalityDelivery

MAX_EMAILS = 5
MAX_URL_LENGTH = 500
MIN_SECRET_LENGTH = 32
MAX_SECRET_LENGTH = 200
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^{_LOCAL}@({_LABEL}\.)+[A-Za-z]{{2,63}}$")
_SECRET = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, no spaces


class MunicipalityError(ValueError):
    """A municipality code or delivery setting that cannot be used."""


@dataclass(frozen=True, slots=True)
class DeliveryTarget:
    """Where one municipality's notifications go, as the dispatcher needs it."""

    municipality_code: int
    method: DeliveryMethod
    emails: tuple[str, ...] = ()
    webhook_url: str | None = None
    webhook_secret: str | None = None

    def describe(self) -> str:
        """The target without the secret, for the attempt history."""
        if self.method is DeliveryMethod.EMAIL:
            return ", ".join(self.emails)
        if self.method is DeliveryMethod.WEBHOOK:
            return str(self.webhook_url)
        return "pull"


def require_municipality(code: int) -> str:
    """The municipality's name; a clear error for a code that is not one of the 98."""
    names = municipality_names()
    if code not in names:
        low, high = min(names), max(names)
        raise MunicipalityError(
            f"unknown kommunekode {code}: the 98 municipalities have codes from {low} "
            f"({names[low]}) to {high} ({names[high]}); see `almen municipality list`"
        )
    return names[code]


def check_email(text: str) -> str:
    """One plain address (no display name), the domain in lower case."""
    value = text.strip()
    if len(value) > 254 or not _EMAIL.match(value):
        raise MunicipalityError(f"not an e-mail address: {text!r} (expected e.g. name@kommune.dk)")
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_webhook_url(text: str) -> str:
    """An https URL with a host, no credentials and no fragment; http only to this machine."""
    value = text.strip()
    if len(value) > MAX_URL_LENGTH:
        raise MunicipalityError(f"the webhook URL is longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise MunicipalityError(f"not a URL: {text!r} ({exc})") from None
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise MunicipalityError(
            f"the webhook must be an https URL with a host, e.g. https://kommune.dk/almen: {text!r}"
        )
    if parts.scheme == "http" and not is_loopback(host):
        raise MunicipalityError(
            f"the webhook URL must use https (plain http is allowed only to localhost, for "
            f"tests): {text!r}"
        )
    if parts.username is not None or parts.password is not None:
        raise MunicipalityError("the webhook URL must not carry a user name or password")
    if parts.fragment:
        raise MunicipalityError(f"the webhook URL must not have a #fragment: {text!r}")
    if port == 0:
        raise MunicipalityError(f"the webhook URL has port 0: {text!r}")
    return value


def check_secret(text: str | None) -> str:
    if not text:
        raise MunicipalityError(
            "a webhook needs its shared secret: --secret S (at least "
            f"{MIN_SECRET_LENGTH} characters, e.g. from `openssl rand -hex 32`)"
        )
    if not _SECRET.match(text):
        raise MunicipalityError("the webhook secret must be printable ASCII without spaces")
    if not MIN_SECRET_LENGTH <= len(text) <= MAX_SECRET_LENGTH:
        raise MunicipalityError(
            f"the webhook secret must be {MIN_SECRET_LENGTH}-{MAX_SECRET_LENGTH} characters "
            f"long, not {len(text)} (e.g. `openssl rand -hex 32`)"
        )
    return text


@dataclass(frozen=True, slots=True)
class DeliveryChoice:
    """What a person asked for, unchecked (from the CLI)."""

    emails: Sequence[str] = ()
    webhook_url: str | None = None
    secret: str | None = None
    pull_only: bool = False


def checked_target(code: int, choice: DeliveryChoice) -> DeliveryTarget:
    """The delivery setting a choice describes, or a clear error (pure)."""
    require_municipality(code)
    chosen = sum((bool(choice.emails), choice.webhook_url is not None, choice.pull_only))
    if chosen != 1:
        raise MunicipalityError(
            "give exactly one delivery: --email ADDR (one or more), --webhook URL --secret S, "
            "or --pull-only"
        )
    if choice.secret is not None and choice.webhook_url is None:
        raise MunicipalityError("--secret belongs to --webhook")
    if choice.pull_only:
        return DeliveryTarget(code, DeliveryMethod.PULL)
    if choice.webhook_url is not None:
        url = check_webhook_url(choice.webhook_url)
        return DeliveryTarget(
            code,
            DeliveryMethod.WEBHOOK,
            webhook_url=url,
            webhook_secret=check_secret(choice.secret),
        )
    unique: dict[str, str] = {}
    for text in choice.emails:
        address = check_email(text)
        unique.setdefault(address.lower(), address)  # the same mailbox, whatever its case
    emails = tuple(unique.values())
    if len(emails) > MAX_EMAILS:
        raise MunicipalityError(f"at most {MAX_EMAILS} e-mail addresses per municipality")
    return DeliveryTarget(code, DeliveryMethod.EMAIL, emails=emails)


def set_delivery(
    session: Session, code: int, choice: DeliveryChoice, *, by: str
) -> tuple[MunicipalityDelivery, list[str]]:
    """Store a municipality's delivery setting; returns it and warnings (an address that is
    also another municipality's). Flushes, never commits."""
    target = checked_target(code, choice)
    row = session.get(MunicipalityDelivery, code)
    if row is None:
        row = MunicipalityDelivery(municipality_code=code, method=target.method, updated_by=by)
    row.method = target.method
    row.email_addresses = list(target.emails)
    row.webhook_url = target.webhook_url
    row.webhook_secret = target.webhook_secret
    row.updated_at, row.updated_by = utc_now(), by[:100]
    session.add(row)
    session.flush()
    return row, _shared_warnings(session, target)


def _shared_warnings(session: Session, target: DeliveryTarget) -> list[str]:
    names = municipality_names()
    warnings = []
    others = session.exec(
        select(MunicipalityDelivery).where(
            col(MunicipalityDelivery.municipality_code) != target.municipality_code
        )
    )
    for other in others:
        shared = set(other.email_addresses) & set(target.emails)
        if target.webhook_url is not None and other.webhook_url == target.webhook_url:
            shared.add(target.webhook_url)
        for value in sorted(shared):
            warnings.append(
                f"{value} is also where municipality {other.municipality_code} "
                f"({names[other.municipality_code]}) gets its notifications: check the code"
            )
    return warnings


def delivery_targets(session: Session, codes: Sequence[int]) -> dict[int, DeliveryTarget]:
    rows = session.exec(
        select(MunicipalityDelivery).where(col(MunicipalityDelivery.municipality_code).in_(codes))
    )
    return {
        row.municipality_code: DeliveryTarget(
            row.municipality_code,
            row.method,
            tuple(row.email_addresses),
            row.webhook_url,
            row.webhook_secret,
        )
        for row in rows
    }
