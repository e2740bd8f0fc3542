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

from ledger.bulk import any_of, bulk_insert, copy_available
from ledger.chunks import chunked
from ledger.models import LedgerEntry, Posting, table
from ledger.money import check_amount
from ledger.types import Account, PaymentMethod, PostingKind, utc_now

MAX_LINES_PER_POSTING = 50
_CHUNK = 500  # rows per IN (...) lookup and per bulk insert (SQLite)
_COPY_CHUNK = 20_000  # postings per COPY, and keys per "= ANY (array)" lookup (PostgreSQL)


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
    copy = copy_available(session)
    for chunk in chunked(fresh, _COPY_CHUNK if copy else _CHUNK):
        if copy:
            _copy_chunk(session, chunk, result)
        else:
            _insert_chunk(session, chunk, result)
    return result


def existing_keys(
    session: Session, keys: Iterable[tuple[int, str, str]]
) -> set[tuple[int, str, str]]:
    """Which of ``keys`` (organisation, source, external_ref) are in the ledger already."""
    found: set[tuple[int, str, str]] = set()
    postgresql = session.connection().dialect.name == "postgresql"
    for chunk in chunked(sorted(set(keys)), _COPY_CHUNK if postgresql else _CHUNK):
        refs = sorted({ref for _, _, ref in chunk})
        orgs = sorted({org for org, _, _ in chunk})
        sources = sorted({source for _, source, _ in chunk})
        query = sa.select(
            col(Posting.organisation_id), col(Posting.source), col(Posting.external_ref)
        )
        # All three columns, so the unique index (organisation, source, reference) serves the
        # lookup: without the source PostgreSQL scans every posting of the organisation.
        if postgresql:  # one array parameter instead of thousands of placeholders
            query = query.where(
                col(Posting.organisation_id) == any_of(orgs, sa.Integer()),
                col(Posting.source) == any_of(sources, sa.String()),
                col(Posting.external_ref) == any_of(refs, sa.String()),
            )
        else:
            query = query.where(
                col(Posting.organisation_id).in_(orgs),
                col(Posting.source).in_(sources),
                col(Posting.external_ref).in_(refs),
            )
        wanted = set(chunk)
        found.update(key for key in map(tuple, session.execute(query)) if key in wanted)
    return found


_POSTING_COLUMNS = (
    "id", "organisation_id", "kind", "booking_date", "source", "external_ref", "text",
    "reverses_posting_id", "import_batch_id", "created_at", "created_by",
)  # fmt: skip
_LINE_COLUMNS = (
    "organisation_id", "posting_id", "account", "tenancy_id", "charge_type_id", "amount_oere",
    "due_date", "value_date", "method", "reverses_entry_id", "text",
)  # fmt: skip


def _copy_chunk(session: Session, chunk: Sequence[NewPosting], result: PostResult) -> None:
    """PostgreSQL: take the posting ids from the sequence, then COPY postings and lines."""
    connection = session.connection()
    ids = sorted(
        connection.execute(
            sa.text(
                "SELECT nextval(pg_get_serial_sequence('posting', 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"count": len(chunk)},
        ).scalars()
    )
    assert len(ids) == len(chunk) == len(set(ids)), "one new id per posting"
    now = utc_now()
    bulk_insert(
        session,
        "posting",
        _POSTING_COLUMNS,
        (
            (
                posting_id, p.organisation_id, p.kind.value, p.booking_date, p.source,
                p.external_ref, p.text[:200], p.reverses_posting_id, p.import_batch_id, now,
                p.created_by,
            )
            for posting_id, p in zip(ids, chunk, strict=True)
        ),
    )  # fmt: skip
    lines = []
    for posting_id, posting in zip(ids, chunk, strict=True):
        result.posted.append(posting_id)
        result.ids_by_key[posting.key] = posting_id
        for line in posting.lines:
            lines.append(
                (
                    posting.organisation_id, posting_id, str(line.account), line.tenancy_id,
                    line.charge_type_id, line.amount_oere, line.due_date, line.value_date,
                    None if line.method is None else line.method.value, line.reverses_entry_id,
                    line.text[:200],
                )
            )  # fmt: skip
            if line.account == Account.DEBTOR and line.tenancy_id is not None:
                result.tenancy_ids.add(line.tenancy_id)
    bulk_insert(session, "ledger_entry", _LINE_COLUMNS, lines)


def _insert_chunk(session: Session, chunk: Sequence[NewPosting], result: PostResult) -> None:
    """Elsewhere (SQLite): insert the postings (one ``executemany``), read their ids back by
    their unique keys (one query), then insert their lines.

    Not ``INSERT ... RETURNING`` with the ids in parameter order: SQLAlchemy can only promise
    that order on SQLite by sending one statement per row.
    """
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
    connection.execute(sa.insert(table("posting")), posting_rows)
    ids_by_key = _ids_by_key(connection, [posting.key for posting in chunk])
    ids = [ids_by_key[posting.key] for posting in chunk]
    assert len(set(ids)) == len(chunk), "one id per posting"
    line_rows = []
    for posting_id, posting in zip(ids, chunk, strict=True):
        result.posted.append(posting_id)
        result.ids_by_key[posting.key] = posting_id
        for line in posting.lines:
            line_rows.append(_line_row(posting, posting_id, line))
            if line.account == Account.DEBTOR and line.tenancy_id is not None:
                result.tenancy_ids.add(line.tenancy_id)
    connection.execute(sa.insert(table("ledger_entry")), line_rows)


def _ids_by_key(
    connection: sa.Connection, keys: Sequence[tuple[int, str, str]]
) -> dict[tuple[int, str, str], int]:
    """The ids of the postings with these (organisation, source, external_ref) keys."""
    posting = table("posting")
    query = sa.select(
        posting.c.id, posting.c.organisation_id, posting.c.source, posting.c.external_ref
    ).where(
        posting.c.organisation_id.in_(sorted({org for org, _, _ in keys})),
        posting.c.source.in_(sorted({source for _, source, _ in keys})),
        posting.c.external_ref.in_(sorted({ref for _, _, ref in keys})),
    )
    wanted = set(keys)
    found: dict[tuple[int, str, str], int] = {}
    for posting_id, org, source, ref in connection.execute(query):
        if (org, source, ref) in wanted:
            found[(org, source, ref)] = int(posting_id)
    missing = wanted - found.keys()
    assert not missing, f"postings not found after insert: {sorted(missing)[:3]}"
    return found


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
    request = Reversal(posting_id, effective_date, booking_date, source, external_ref, text)
    return reversals_of(session, [request], created_by=created_by)[0]


@dataclass(frozen=True, slots=True)
class Reversal:
    """One posting to reverse, for :func:`reversals_of`."""

    posting_id: int
    effective_date: date
    booking_date: date
    source: str
    external_ref: str
    text: str
    import_batch_id: int | None = None


def reversals_of(
    session: Session, requests: Sequence[Reversal], *, created_by: str
) -> list[NewPosting]:
    """:func:`reversal_of` for many postings at once (three queries per chunk, not per posting).

    Refuses a posting that does not exist, is itself a reversal, is reversed already, or is
    asked to be reversed twice.
    """
    ids = [request.posting_id for request in requests]
    if len(set(ids)) != len(ids):
        raise PostingError("the same posting is to be reversed twice in one batch")
    originals: dict[int, Posting] = {}
    reversed_by: dict[int, int] = {}
    lines: dict[int, list[LedgerEntry]] = {}
    for chunk in chunked(sorted(ids), _CHUNK):
        originals.update(
            (p.id, p)
            for p in session.exec(select(Posting).where(col(Posting.id).in_(chunk)))
            if p.id is not None
        )
        for reversal, original in session.exec(
            select(Posting.id, Posting.reverses_posting_id).where(
                col(Posting.reverses_posting_id).in_(chunk)
            )
        ):
            assert reversal is not None and original is not None
            reversed_by[original] = reversal
        for entry in session.exec(
            select(LedgerEntry)
            .where(col(LedgerEntry.posting_id).in_(chunk))
            .order_by(col(LedgerEntry.id))
        ):
            lines.setdefault(entry.posting_id, []).append(entry)
    return [_reversal(request, originals, reversed_by, lines, created_by) for request in requests]


def _reversal(
    request: Reversal,
    originals: dict[int, Posting],
    reversed_by: dict[int, int],
    lines: dict[int, list[LedgerEntry]],
    created_by: str,
) -> NewPosting:
    posting_id = request.posting_id
    original = originals.get(posting_id)
    if original is None:
        raise PostingError(f"posting {posting_id} does not exist")
    if original.reverses_posting_id is not None:
        raise PostingError(f"posting {posting_id} is itself a reversal")
    if posting_id in reversed_by:
        already = reversed_by[posting_id]
        raise PostingError(f"posting {posting_id} is already reversed by posting {already}")
    mirrored = tuple(_mirror(entry, request.effective_date) for entry in lines[posting_id])
    return NewPosting(
        organisation_id=original.organisation_id,
        kind=PostingKind.REVERSAL,
        booking_date=request.booking_date,
        source=request.source,
        external_ref=request.external_ref,
        text=request.text,
        lines=mirrored,
        created_by=created_by,
        import_batch_id=request.import_batch_id,
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
