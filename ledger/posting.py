"""Posting to the ledger: balanced posting groups, idempotent by (source, external reference).

``check_posting`` is pure and returns problems as values; ``post_many`` writes what passes
(and refuses the batch if anything does not). Services never commit: the caller's unit of work
does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ledger.chunks import chunked
from ledger.models import LedgerEntry, Posting, table
from ledger.money import check_amount
from ledger.types import Account, PaymentMethod, PostingKind, utc_now

MAX_LINES_PER_POSTING = 50
_CHUNK = 500  # rows per IN (...) lookup and per bulk insert


class PostingError(ValueError):
    """A posting that must not reach the ledger."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a posting to be made. ``amount_oere``: positive debit, negative credit."""

    account: str
    amount_oere: int
    tenancy_id: int | None = None
    charge_type_id: int | None = None
    due_date: date | None = None
    value_date: date | None = None
    method: PaymentMethod | None = None
    text: str = ""
    reverses_entry_id: int | None = None


@dataclass(frozen=True, slots=True)
class NewPosting:
    """A posting group to be made: lines summing to zero, with a unique source reference."""

    organisation_id: int
    kind: PostingKind
    booking_date: date
    source: str
    external_ref: str
    text: str
    lines: tuple[Line, ...]
    created_by: str
    import_batch_id: int | None = None
    reverses_posting_id: int | None = None

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.organisation_id, self.source, self.external_ref)


@dataclass(slots=True)
class PostResult:
    """What ``post_many`` did."""

    posted: list[int] = field(default_factory=list)  # new posting ids
    already_posted: int = 0  # postings whose key was in the ledger already
    tenancy_ids: set[int] = field(default_factory=set)  # accounts that changed
    ids_by_key: dict[tuple[int, str, str], int] = field(default_factory=dict)  # new ones


def check_posting(posting: NewPosting) -> list[str]:
    """Problems with a posting, as values (empty list: it may be posted)."""
    problems: list[str] = []
    if not posting.source or not posting.external_ref:
        problems.append("a posting needs a source and an external reference")
    if len(posting.external_ref) > 120 or len(posting.source) > 40:
        problems.append("source or external reference too long")
    if not 2 <= len(posting.lines) <= MAX_LINES_PER_POSTING:
        problems.append(f"a posting has 2-{MAX_LINES_PER_POSTING} lines, not {len(posting.lines)}")
    total = sum(line.amount_oere for line in posting.lines)
    if total != 0:
        problems.append(f"posting does not balance: its lines sum to {total} øre")
    for number, line in enumerate(posting.lines, start=1):
        problems.extend(f"line {number}: {problem}" for problem in _check_line(line))
    return problems


def _check_line(line: Line) -> list[str]:
    problems: list[str] = []
    if line.amount_oere == 0:
        problems.append("amount is zero")
    try:
        check_amount(line.amount_oere)
    except ValueError as exc:
        problems.append(str(exc))
    if line.account == Account.DEBTOR:
        if line.tenancy_id is None:
            problems.append("a debtor line needs a tenancy")
        if line.due_date is None and line.value_date is None:
            problems.append("a debtor line needs a due date or a payment date")
    return problems


def post_many(session: Session, postings: Sequence[NewPosting]) -> PostResult:
    """Write postings; those whose (source, external_ref) is already in the ledger are skipped.

    All-or-nothing: one invalid posting raises ``PostingError`` before anything is written.
    """
    for posting in postings:
        problems = check_posting(posting)
        if problems:
            raise PostingError(f"{posting.source}/{posting.external_ref}: " + "; ".join(problems))
    keys = [posting.key for posting in postings]
    if len(set(keys)) != len(keys):
        raise PostingError("the same source reference appears twice in one batch")
    existing = existing_keys(session, keys)
    fresh = [posting for posting in postings if posting.key not in existing]
    result = PostResult(already_posted=len(postings) - len(fresh))
    for chunk in chunked(fresh, _CHUNK):
        _insert_chunk(session, chunk, result)
    return result


def existing_keys(
    session: Session, keys: Iterable[tuple[int, str, str]]
) -> set[tuple[int, str, str]]:
    """Which of ``keys`` (organisation, source, external_ref) are in the ledger already."""
    found: set[tuple[int, str, str]] = set()
    for chunk in chunked(sorted(set(keys)), _CHUNK):
        refs = {ref for _, _, ref in chunk}
        orgs = {org for org, _, _ in chunk}
        rows = session.exec(
            select(Posting.organisation_id, Posting.source, Posting.external_ref).where(
                col(Posting.organisation_id).in_(orgs), col(Posting.external_ref).in_(refs)
            )
        )
        wanted = set(chunk)
        found.update(row for row in rows if tuple(row) in wanted)
    return found


def _insert_chunk(session: Session, chunk: Sequence[NewPosting], result: PostResult) -> None:
    now = utc_now()
    posting_rows = [
        {
            "organisation_id": posting.organisation_id,
            "kind": posting.kind,
            "booking_date": posting.booking_date,
            "source": posting.source,
            "external_ref": posting.external_ref,
            "text": posting.text[:200],
            "reverses_posting_id": posting.reverses_posting_id,
            "import_batch_id": posting.import_batch_id,
            "created_at": now,
            "created_by": posting.created_by,
        }
        for posting in chunk
    ]
    connection = session.connection()
    posting_table = table("posting")
    returned = connection.execute(
        sa.insert(posting_table).returning(posting_table.c.id, sort_by_parameter_order=True),
        posting_rows,
    ).scalars()
    ids = [int(posting_id) for posting_id in returned]
    assert len(ids) == len(chunk), "one id per posting"
    line_rows = []
    for posting_id, posting in zip(ids, chunk, strict=True):
        result.posted.append(posting_id)
        result.ids_by_key[posting.key] = posting_id
        for line in posting.lines:
            line_rows.append(_line_row(posting, posting_id, line))
            if line.account == Account.DEBTOR and line.tenancy_id is not None:
                result.tenancy_ids.add(line.tenancy_id)
    connection.execute(sa.insert(table("ledger_entry")), line_rows)


def _line_row(posting: NewPosting, posting_id: int, line: Line) -> dict[str, object]:
    return {
        "organisation_id": posting.organisation_id,
        "posting_id": posting_id,
        "account": str(line.account),
        "tenancy_id": line.tenancy_id,
        "charge_type_id": line.charge_type_id,
        "amount_oere": line.amount_oere,
        "due_date": line.due_date,
        "value_date": line.value_date,
        "method": line.method,
        "reverses_entry_id": line.reverses_entry_id,
        "text": line.text[:200],
    }


def reversal_of(
    session: Session,
    posting_id: int,
    *,
    effective_date: date,
    booking_date: date,
    source: str,
    external_ref: str,
    text: str,
    created_by: str,
) -> NewPosting:
    """A posting that mirrors ``posting_id`` line by line, taking effect on ``effective_date``.

    The reversal of a payment reopens what the payment settled (see ``ledger.allocation``).
    """
    original = session.get(Posting, posting_id)
    if original is None:
        raise PostingError(f"posting {posting_id} does not exist")
    if original.reverses_posting_id is not None:
        raise PostingError(f"posting {posting_id} is itself a reversal")
    already = session.exec(
        select(Posting.id).where(Posting.reverses_posting_id == posting_id)
    ).first()
    if already is not None:
        raise PostingError(f"posting {posting_id} is already reversed by posting {already}")
    lines = session.exec(
        select(LedgerEntry)
        .where(LedgerEntry.posting_id == posting_id)
        .order_by(col(LedgerEntry.id))
    ).all()
    mirrored = tuple(_mirror(entry, effective_date) for entry in lines)
    return NewPosting(
        organisation_id=original.organisation_id,
        kind=PostingKind.REVERSAL,
        booking_date=booking_date,
        source=source,
        external_ref=external_ref,
        text=text,
        lines=mirrored,
        created_by=created_by,
        reverses_posting_id=posting_id,
    )


def _mirror(entry: LedgerEntry, effective_date: date) -> Line:
    assert entry.id is not None
    line = Line(
        account=entry.account,
        amount_oere=-entry.amount_oere,
        tenancy_id=entry.tenancy_id,
        charge_type_id=entry.charge_type_id,
        method=entry.method,
        text=f"Tilbageført: {entry.text}"[:200],
        reverses_entry_id=entry.id,
    )
    if entry.account != Account.DEBTOR:
        return line
    return replace(line, value_date=max(effective_date, _effective(entry)))


def _effective(entry: LedgerEntry) -> date:
    day = entry.due_date if entry.due_date is not None else entry.value_date
    assert day is not None, f"debtor line {entry.id} has no date"
    return day
