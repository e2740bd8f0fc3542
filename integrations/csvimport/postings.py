"""The part payments and ledger-history imports share: find the tenancy, refuse a reference
that was imported before with other data, and post what is new."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol, TypeVar

from sqlmodel import Session, col, select

from integrations.csvimport.batches import record_batch
from integrations.csvimport.errors import ImportRejected, RowError
from integrations.csvimport.reader import CsvFile, CsvRow, require_columns
from ledger.accounts import reallocate
from ledger.chunks import chunked
from ledger.models import LedgerEntry, Organisation, Posting, Tenancy, Unit
from ledger.posting import NewPosting, post_many
from ledger.registry import RegistryError, organisation_by_cvr
from ledger.types import Account


@dataclass(frozen=True, slots=True)
class Planned:
    """A posting an import row wants to make, with the facts that identify it."""

    row: int
    posting: NewPosting
    tenancy_id: int
    amount_oere: int  # on the tenant's account
    effective_date: date


@dataclass(slots=True)
class PostingImportReport:
    posted: int = 0
    already_imported: int = 0
    charged_oere: int = 0  # debits posted to tenants' accounts
    credited_oere: int = 0  # payments and credit notes posted
    organisations: list[str] = field(default_factory=list)


class Resolver:
    """Looks up organisations and tenancies for import rows; loads each organisation's units
    and tenancies once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.organisations: dict[str, Organisation | None] = {}
        self.units: dict[int, dict[str, list[Tenancy]]] = {}

    def organisation(self, cvr: str) -> Organisation:
        if cvr not in self.organisations:
            self.organisations[cvr] = organisation_by_cvr(self.session, cvr)
        found = self.organisations[cvr]
        if found is None:
            raise RegistryError(f"no organisation with CVR {cvr}: import its tenancies first")
        return found

    def tenancy(
        self, organisation: Organisation, unit_number: str, day: date, start: date | None
    ) -> Tenancy:
        """The tenancy starting ``start``, or else the one running on ``day`` (or the last
        one before it: a late payment still belongs to the tenancy that owed it)."""
        assert organisation.id is not None
        tenancies = self._tenancies(organisation.id).get(unit_number)
        if tenancies is None:
            raise RegistryError(f"unknown unit {unit_number!r}")
        if start is not None:
            for tenancy in tenancies:
                if tenancy.start_date == start:
                    return tenancy
            raise RegistryError(f"unit {unit_number} has no tenancy starting {start}")
        before = [tenancy for tenancy in tenancies if tenancy.start_date <= day]
        if not before:
            raise RegistryError(f"unit {unit_number} has no tenancy on or before {day}")
        return before[-1]

    def _tenancies(self, organisation_id: int) -> dict[str, list[Tenancy]]:
        if organisation_id not in self.units:
            rows = self.session.exec(
                select(Unit.unit_number, Tenancy)
                .join(Tenancy, col(Tenancy.unit_id) == col(Unit.id))
                .where(Unit.organisation_id == organisation_id)
                .order_by(col(Tenancy.start_date))
            )
            units: dict[str, list[Tenancy]] = defaultdict(list)
            for unit_number, tenancy in rows:
                units[unit_number].append(tenancy)
            numbers = self.session.exec(
                select(Unit.unit_number).where(Unit.organisation_id == organisation_id)
            )
            self.units[organisation_id] = {number: units.get(number, []) for number in numbers}
        return self.units[organisation_id]


class ImportRow(Protocol):
    @property
    def row(self) -> int: ...


R = TypeVar("R", bound=ImportRow)


def import_postings(
    session: Session,
    file: CsvFile,
    *,
    kind: str,
    required: Sequence[str],
    parse_row: Callable[[CsvRow], tuple[R | None, list[RowError]]],
    plan: Callable[[Resolver, R], Planned],
    error_column: str,
    imported_by: str,
) -> PostingImportReport:
    """The shape of every posting import: read every row, resolve every tenancy, and only if
    nothing at all is wrong post what is new. One bad row rejects the file."""
    require_columns(file, required)
    errors: list[RowError] = []
    rows: list[R] = []
    for csv_row in file.rows:
        parsed, row_errors = parse_row(csv_row)
        errors.extend(row_errors)
        if parsed is not None:
            rows.append(parsed)
    resolver = Resolver(session)
    planned = []
    for row in rows:
        try:
            planned.append(plan(resolver, row))
        except RegistryError as exc:
            errors.append(RowError(row.row, error_column, str(exc)))
    if errors or not file.rows:
        raise ImportRejected(errors or [RowError(0, "", "the file has no data rows")])
    return post_planned(session, planned, kind, file, imported_by)


def post_planned(
    session: Session, planned: Sequence[Planned], kind: str, file: CsvFile, imported_by: str
) -> PostingImportReport:
    """Post what is new; a reference imported before with other data rejects the file."""
    errors = _conflicts(session, planned)
    if errors:
        raise ImportRejected(errors)
    existing = _existing_facts(session, [p.posting for p in planned])
    fresh = [p for p in planned if p.posting.key not in existing]
    report = PostingImportReport(already_imported=len(planned) - len(fresh))
    by_org: dict[int, list[Planned]] = defaultdict(list)
    for item in fresh:
        by_org[item.posting.organisation_id].append(item)
    for organisation_id, items in by_org.items():
        batch = record_batch(session, organisation_id, kind, file, imported_by)
        postings = [replace(item.posting, import_batch_id=batch.id) for item in items]
        result = post_many(session, postings)
        assert len(result.posted) == len(postings), "fresh postings were posted already"
        reallocate(session, organisation_id, result.tenancy_ids)
        report.posted += len(result.posted)
        report.charged_oere += sum(item.amount_oere for item in items if item.amount_oere > 0)
        report.credited_oere -= sum(item.amount_oere for item in items if item.amount_oere < 0)
    return report


def _conflicts(session: Session, planned: Sequence[Planned]) -> list[RowError]:
    errors = []
    seen: dict[tuple[int, str, str], int] = {}
    for item in planned:
        key = item.posting.key
        if key in seen:
            errors.append(
                RowError(item.row, "reference", f"{key[2]!r} also appears in row {seen[key]}")
            )
        seen.setdefault(key, item.row)
    existing = _existing_facts(session, [p.posting for p in planned])
    for item in planned:
        facts = existing.get(item.posting.key)
        if facts is not None and facts != (item.tenancy_id, item.amount_oere, item.effective_date):
            errors.append(
                RowError(
                    item.row,
                    "reference",
                    f"{item.posting.external_ref!r} was "
                    "imported before with another unit, amount or date",
                )
            )
    return errors


def _existing_facts(
    session: Session, postings: Sequence[NewPosting]
) -> dict[tuple[int, str, str], tuple[int | None, int, date | None]]:
    """(tenancy, amount on the tenant's account, date) of postings already in the ledger."""
    found: dict[tuple[int, str, str], tuple[int | None, int, date | None]] = {}
    wanted = {posting.key for posting in postings}
    for chunk in chunked(sorted(wanted), 500):
        rows = session.exec(
            select(Posting.organisation_id, Posting.source, Posting.external_ref, LedgerEntry)
            .join(LedgerEntry, col(LedgerEntry.posting_id) == col(Posting.id))
            .where(
                col(Posting.organisation_id).in_({key[0] for key in chunk}),
                col(Posting.external_ref).in_({key[2] for key in chunk}),
                LedgerEntry.account == Account.DEBTOR,
            )
        )
        for organisation_id, source, ref, entry in rows:
            key = (organisation_id, source, ref)
            if key in wanted:
                day = entry.due_date if entry.due_date is not None else entry.value_date
                found[key] = (entry.tenancy_id, entry.amount_oere, day)
    return found
