"""Settings from the environment. Nothing else in almen reads the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from integrations.email.smtp import SmtpConfig, SmtpSecurity

DEFAULT_DATABASE_URL = "sqlite:///almen.db"
DEFAULT_DATA_DIR = "var"
DEFAULT_NIGHTLY_TIME = "02:30"  # Europe/Copenhagen, for organisations without their own


@dataclass(frozen=True, slots=True)
class Settings:
    """What the process needs to know about its surroundings."""

    database_url: str
    nightly_time: str = DEFAULT_NIGHTLY_TIME
    bs_folders: BsFolders = field(default_factory=lambda: BsFolders.under(Path(DEFAULT_DATA_DIR)))
    # Municipality notifications: e-mail through SMTP, or into a folder of .eml files.
    smtp: SmtpConfig | None = None
    mail_dir: str | None = None
    webhook_timeout_seconds: float = 10.0
    dispatch_interval_seconds: int = 15  # ``almen serve`` sends waiting notifications this often
    notify_max_attempts: int = 10
    # The browser session cookie gets ``Secure`` (HTTPS only) unless ALMEN_INSECURE_COOKIES=1
    # (plain http on localhost: the demo and the browser tests).
    secure_cookies: bool = True
    upload_max_bytes: int = 50 * 1024 * 1024  # an uploaded CSV or Betalingsservice file

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        nightly = env.get("ALMEN_NIGHTLY_TIME") or DEFAULT_NIGHTLY_TIME
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", nightly):
            raise ValueError(f"ALMEN_NIGHTLY_TIME must be HH:MM, not {nightly!r}")
        return cls(
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            nightly_time=nightly,
            smtp=smtp_from_env(env),
            mail_dir=env.get("ALMEN_MAIL_DIR") or None,
            webhook_timeout_seconds=_number(env, "ALMEN_WEBHOOK_TIMEOUT", 10.0, 1, 120),
            dispatch_interval_seconds=int(_number(env, "ALMEN_DISPATCH_INTERVAL", 15, 5, 3600)),
            notify_max_attempts=int(_number(env, "ALMEN_NOTIFY_MAX_ATTEMPTS", 10, 1, 50)),
            bs_folders=BsFolders.from_env(env),
            secure_cookies=env.get("ALMEN_INSECURE_COOKIES") != "1",
            upload_max_bytes=int(
                _number(env, "ALMEN_UPLOAD_MAX_BYTES", 50 * 1024 * 1024, 1024, 1024**3)
            ),
        )


@dataclass(frozen=True, slots=True)
class BsFolders:
    """Where Betalingsservice files wait (inbox) and where they go once taken in.

    ``ALMEN_BS_INBOX``, ``ALMEN_BS_ARCHIVE``, ``ALMEN_BS_ERRORS``; by default ``bs/inbox``,
    ``bs/archive`` and ``bs/errors`` under ``ALMEN_DATA_DIR`` (default ``var``).
    """

    inbox: Path
    archive: Path
    errors: Path

    @classmethod
    def under(cls, data_dir: Path) -> BsFolders:
        return cls(
            data_dir / "bs" / "inbox", data_dir / "bs" / "archive", data_dir / "bs" / "errors"
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BsFolders:
        env = os.environ if env is None else env
        default = cls.under(Path(env.get("ALMEN_DATA_DIR") or DEFAULT_DATA_DIR))
        return cls(
            Path(env.get("ALMEN_BS_INBOX") or default.inbox),
            Path(env.get("ALMEN_BS_ARCHIVE") or default.archive),
            Path(env.get("ALMEN_BS_ERRORS") or default.errors),
        )


def smtp_from_env(env: Mapping[str, str]) -> SmtpConfig | None:
    """``ALMEN_SMTP_HOST`` (none: no SMTP), ``ALMEN_SMTP_PORT``, ``ALMEN_SMTP_SECURITY``
    (starttls, tls, none), ``ALMEN_SMTP_USER``, ``ALMEN_SMTP_PASSWORD``, ``ALMEN_SMTP_TIMEOUT``,
    ``ALMEN_SMTP_CA_FILE``, ``ALMEN_MAIL_FROM``."""
    host = env.get("ALMEN_SMTP_HOST")
    if not host:
        return None
    security = env.get("ALMEN_SMTP_SECURITY") or "starttls"
    if security not in {str(s) for s in SmtpSecurity}:
        raise ValueError(f"ALMEN_SMTP_SECURITY must be starttls, tls or none, not {security!r}")
    sender = env.get("ALMEN_MAIL_FROM")
    if not sender:
        raise ValueError("ALMEN_MAIL_FROM (the sender's address) is needed with ALMEN_SMTP_HOST")
    return SmtpConfig(
        host=host,
        sender=sender,
        security=SmtpSecurity(security),
        port=int(_number(env, "ALMEN_SMTP_PORT", 0, 1, 65535)),
        username=env.get("ALMEN_SMTP_USER") or None,
        password=env.get("ALMEN_SMTP_PASSWORD") or None,
        timeout_seconds=_number(env, "ALMEN_SMTP_TIMEOUT", 30.0, 1, 300),
        ca_file=env.get("ALMEN_SMTP_CA_FILE") or None,
    )


def _number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    text = env.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {text!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be {low:g}-{high:g}, not {text}")
    return value


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` spellings and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
