"""Letters of the arrears workflow: their data (the contract in ``letter_data.py``),
rendering through an injected callable, storage with a SHA-256, and the day's print file.

The renderer and the PDF combiner are injected by the composition root (``app/letters.py``),
so this package never imports ``reports``; the data contract the renderer draws from lives
here, in ``workflows.arrears.letter_data``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ledger.chunks import chunked
from ledger.models import Organisation, table
from ledger.types import DeliveryChannel, utc_now
from workflows.arrears.config import ArrearsConfig
from workflows.arrears.letter_data import (
    Channel,
    ClaimLine,
    EvictionRequest,
    PakravLetter,
    Recipient,
    Sender,
    TerminationLetter,
)
from workflows.arrears.models import Letter, LetterKind, LetterStatus, PrintBatch
from workflows.arrears.planner import TenancyFacts
from workflows.arrears.rules import DemandLine

LetterData = PakravLetter | TerminationLetter | EvictionRequest
Render = Callable[[LetterData], bytes]
Combine = Callable[[Sequence[bytes]], bytes]
MAX_LETTER_BYTES = 5_000_000  # one letter's PDF; more is a renderer fault
MAX_PRINT_BATCH_LETTERS = 50_000
_CHUNK = 200  # letters per bulk insert (PDF bytes make rows large)


@dataclass(frozen=True, slots=True)
class LetterTools:
    """What the composition root injects: PDF per letter, and one PDF of many (print file)."""

    render: Render
    combine: Combine


@dataclass(frozen=True, slots=True)
class NewLetter:
    case_id: int
    kind: LetterKind
    channel: DeliveryChannel
    dispatch_date: date
    recipient: str
    data: LetterData


def case_reference(case_id: int) -> str:
    return f"RS-{case_id:06d}"


def sender_of(organisation: Organisation, config: ArrearsConfig) -> Sender:
    return Sender(
        name=organisation.name,
        address=organisation.address,
        postcode=organisation.postcode,
        city=organisation.city,
        cvr=organisation.cvr,
        phone=config.contact_phone,
        email=config.contact_email,
        payment_details=config.payment_details,
    )


def recipient_of(tenancy: TenancyFacts) -> Recipient:
    return Recipient(
        names=tenancy.tenant_names,
        address=tenancy.address,
        postcode=tenancy.postcode,
        city=tenancy.city,
    )


def claim_lines(lines: Sequence[DemandLine]) -> tuple[ClaimLine, ...]:
    return tuple(ClaimLine(line.due_date, line.text, line.amount_oere) for line in lines)


def channel_of(channel: DeliveryChannel) -> Channel:
    return Channel(str(channel))


def pdf_checksum(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


def render_checked(render: Render, data: LetterData) -> bytes:
    """Render and check that a PDF came out (the letter is the legal act: never store junk)."""
    pdf = render(data)
    if not pdf.startswith(b"%PDF-") or len(pdf) > MAX_LETTER_BYTES:
        raise ValueError(f"the renderer returned no usable PDF for {type(data).__name__}")
    return pdf


def store_letters(
    session: Session,
    organisation_id: int,
    letters: Sequence[NewLetter],
    render: Render,
    created_by: str,
) -> dict[int, int]:
    """Render and store letters; returns letter id by case id. The (case, kind) pair is unique
    in the database, so a letter can never be stored twice."""
    ids: dict[int, int] = {}
    letter_table = table("letter")
    for chunk in chunked(letters, _CHUNK):
        rows = []
        for letter in chunk:
            pdf = render_checked(render, letter.data)
            rows.append(
                {
                    "organisation_id": organisation_id,
                    "case_id": letter.case_id,
                    "kind": letter.kind,
                    "channel": letter.channel,
                    "status": LetterStatus.ISSUED,
                    "dispatch_date": letter.dispatch_date,
                    "recipient": letter.recipient[:300],
                    "checksum": pdf_checksum(pdf),
                    "size_bytes": len(pdf),
                    "pdf": pdf,
                    "print_batch_id": None,
                    "created_at": utc_now(),
                    "created_by": created_by,
                }
            )
        returned = session.connection().execute(
            sa.insert(letter_table).returning(letter_table.c.id, sort_by_parameter_order=True),
            rows,
        )
        for letter, letter_id in zip(chunk, returned.scalars(), strict=True):
            ids[letter.case_id] = int(letter_id)
    return ids


@dataclass(frozen=True, slots=True)
class PrintBatchResult:
    batch_id: int | None
    letters: int
    skipped_reason: str | None = None


def unbatched_physical_letters(session: Session, organisation_id: int, day: date) -> list[Letter]:
    """Issued physical letters dated ``day`` or earlier that no print file holds yet."""
    return list(
        session.exec(
            select(Letter)
            .where(
                Letter.organisation_id == organisation_id,
                Letter.channel == DeliveryChannel.LETTER,
                Letter.status == LetterStatus.ISSUED,
                col(Letter.print_batch_id).is_(None),
                col(Letter.dispatch_date) <= day,
            )
            .order_by(col(Letter.id))
        )
    )


def make_print_batch(
    session: Session, organisation_id: int, day: date, combine: Combine
) -> PrintBatchResult:
    """Gather the physical letters waiting to be printed into the day's one print file.

    A day has one print file: if it exists already (a second run of the same day), letters made
    since wait for the next day's file, and the result says so.
    """
    existing = session.exec(
        select(PrintBatch.id).where(
            PrintBatch.organisation_id == organisation_id, PrintBatch.print_date == day
        )
    ).first()
    waiting = unbatched_physical_letters(session, organisation_id, day)
    if existing is not None:
        reason = None if not waiting else "the day's print file exists; they wait for the next"
        return PrintBatchResult(existing, 0, reason)
    if not waiting:
        return PrintBatchResult(None, 0)
    assert len(waiting) <= MAX_PRINT_BATCH_LETTERS, "more letters than one print file may hold"
    pdf = combine([letter.pdf for letter in waiting])
    batch = PrintBatch(
        organisation_id=organisation_id,
        print_date=day,
        letter_count=len(waiting),
        checksum=pdf_checksum(pdf),
        pdf=pdf,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    for chunk in chunked([letter.id for letter in waiting], 500):
        session.connection().execute(
            sa.update(table("letter"))
            .where(table("letter").c.id.in_(chunk), table("letter").c.print_batch_id.is_(None))
            .values(print_batch_id=batch.id)
        )
    for letter in waiting:
        session.expire(letter)
    return PrintBatchResult(batch.id, len(waiting))


def letters_of_case(session: Session, case_id: int) -> list[Letter]:
    return list(
        session.exec(select(Letter).where(Letter.case_id == case_id).order_by(col(Letter.id)))
    )
