"""The SQLModel tables of almen. Importing this package registers every table."""

import sqlalchemy as sa
from sqlmodel import SQLModel

from ledger.models.ledger import Allocation, ImportBatch, LedgerEntry, Posting
from ledger.models.organisation import Department, Organisation, PakravFee, Unit
from ledger.models.tenancy import ChargeType, RecurringCharge, Tenancy, TenancyTenant, Tenant

__all__ = [
    "Allocation",
    "ChargeType",
    "Department",
    "ImportBatch",
    "LedgerEntry",
    "Organisation",
    "PakravFee",
    "Posting",
    "RecurringCharge",
    "Tenancy",
    "TenancyTenant",
    "Tenant",
    "Unit",
]


def table(name: str) -> sa.Table:
    """The Core table behind a model, for bulk statements that bypass the ORM."""
    return SQLModel.metadata.tables[name]
