"""Every table of almen, for Alembic and the schema test: import each feature's models here."""

from __future__ import annotations

from sqlmodel import SQLModel

import app.auth.models  # noqa: F401
import ledger.models  # noqa: F401
import workflows.arrears.models
import workflows.moveout.models
import workflows.notifications.models  # noqa: F401

METADATA = SQLModel.metadata
