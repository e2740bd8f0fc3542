"""Settings from the environment. Nothing else in almen reads the environment."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///almen.db"
DEFAULT_NIGHTLY_TIME = "02:30"  # Europe/Copenhagen, for organisations without their own


@dataclass(frozen=True, slots=True)
class Settings:
    """What the process needs to know about its surroundings."""

    database_url: str
    nightly_time: str = DEFAULT_NIGHTLY_TIME

    @classmethod
    def from_env(cls) -> Settings:
        nightly = os.environ.get("ALMEN_NIGHTLY_TIME") or DEFAULT_NIGHTLY_TIME
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", nightly):
            raise ValueError(f"ALMEN_NIGHTLY_TIME must be HH:MM, not {nightly!r}")
        return cls(
            database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            nightly_time=nightly,
        )


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` spellings and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
