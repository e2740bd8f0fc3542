"""Settings from the environment. Nothing else in almen reads the environment."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///almen.db"
DEFAULT_DATA_DIR = "var"
DEFAULT_NIGHTLY_TIME = "02:30"  # Europe/Copenhagen, for organisations without their own


@dataclass(frozen=True, slots=True)
class Settings:
    """What the process needs to know about its surroundings."""

    database_url: str
    nightly_time: str = DEFAULT_NIGHTLY_TIME
    bs_folders: BsFolders = field(default_factory=lambda: BsFolders.under(Path(DEFAULT_DATA_DIR)))

    @classmethod
    def from_env(cls) -> Settings:
        nightly = os.environ.get("ALMEN_NIGHTLY_TIME") or DEFAULT_NIGHTLY_TIME
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", nightly):
            raise ValueError(f"ALMEN_NIGHTLY_TIME must be HH:MM, not {nightly!r}")
        return cls(
            database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            nightly_time=nightly,
            bs_folders=BsFolders.from_env(),
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
    def from_env(cls) -> BsFolders:
        default = cls.under(Path(os.environ.get("ALMEN_DATA_DIR") or DEFAULT_DATA_DIR))
        return cls(
            Path(os.environ.get("ALMEN_BS_INBOX") or default.inbox),
            Path(os.environ.get("ALMEN_BS_ARCHIVE") or default.archive),
            Path(os.environ.get("ALMEN_BS_ERRORS") or default.errors),
        )


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` spellings and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
