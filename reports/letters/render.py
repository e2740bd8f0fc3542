"""The letters as PDF bytes: one letter per call, or the day's physical letters in one print file.

Public API::

    render_pakrav(letter) -> bytes               # Påkrav (ALL § 90, stk. 2)
    render_termination(letter) -> bytes          # Ophævelse (ALL § 90, stk. 1, nr. 1; § 92)
    render_eviction_request(request) -> bytes    # Anmodning om udsættelse (ALL § 92, stk. 2)
    combine(letters, duplex=True) -> bytes       # print file of the day's physical letters
    checksum(pdf) -> str                         # SHA-256, hex

    build_document(letter) -> LetterDoc          # the text model (what the tests check)
    draw(pdf, letter) -> PageSpan                # draw one letter into an open document

``render_*`` and ``combine`` share one drawing path (:func:`draw` -> ``layout.draw_letter``):
a letter in the print file is drawn by the same code, from the same data, as its own PDF.
The print file is built from the letters, not from their PDF bytes: fpdf2 cannot import
pages, and re-drawing gives the same pages without a PDF parser in production.

Output is deterministic: the creation date is the letter's date (the latest letter's, for a
print file), never the clock, so the same data always gives the same bytes and checksum (for
a given fpdf2 version and font files).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from fpdf import FPDF

from reports.letters.danish import date_long
from reports.letters.document import LetterDoc
from reports.letters.eviction import build_eviction_request
from reports.letters.layout import PageSpan, add_blank_page, draw_letter
from reports.letters.pakrav import build_pakrav
from reports.letters.termination import build_termination
from reports.letters.typeset import needs_unicode_font, new_document
from reports.letters.validation import LetterError
from workflows.arrears.letter_data import Channel, EvictionRequest, PakravLetter, TerminationLetter

Letter = PakravLetter | TerminationLetter | EvictionRequest

MAX_LETTERS_PER_PRINT_FILE = 2_000


def build_document(letter: Letter) -> LetterDoc:
    """The validated text model of ``letter``."""
    if isinstance(letter, PakravLetter):
        return build_pakrav(letter)
    if isinstance(letter, TerminationLetter):
        return build_termination(letter)
    if isinstance(letter, EvictionRequest):
        return build_eviction_request(letter)
    raise TypeError(f"not a letter: {type(letter).__name__}")


def draw(pdf: FPDF, letter: Letter) -> PageSpan:
    """Draw ``letter`` into ``pdf``, starting on a new page."""
    return draw_letter(pdf, build_document(letter))


def _render(doc: LetterDoc) -> bytes:
    pdf = new_document(
        created=doc.letter_date,
        title=f"{doc.title} – {doc.running_head.split(' · ', 1)[-1]}",
        author=doc.sender.name.strip(),
        unicode=needs_unicode_font(doc.printed_texts()),
    )
    draw_letter(pdf, doc)
    return bytes(pdf.output())


def render_pakrav(letter: PakravLetter) -> bytes:
    """Påkrav om betaling af restance as an A4 PDF."""
    return _render(build_pakrav(letter))


def render_termination(letter: TerminationLetter) -> bytes:
    """Ophævelse af lejeaftale as an A4 PDF."""
    return _render(build_termination(letter))


def render_eviction_request(request: EvictionRequest) -> bytes:
    """Anmodning om udsættelse (to the fogedret) as an A4 PDF."""
    return _render(build_eviction_request(request))


def _is_digital(letter: Letter) -> bool:
    return not isinstance(letter, EvictionRequest) and letter.channel is Channel.DIGITAL_POST


def combine(letters: Sequence[Letter], *, duplex: bool = True) -> bytes:
    """The day's physical letters in one print file, in the order given.

    Each letter starts on a new page and numbers its own pages ("Side 1 af 2"). With
    ``duplex`` (the default) a letter with an odd page count is followed by a blank page, so
    printed on both sides every letter starts on a new sheet and no tenant gets the first
    page of someone else's letter on the back of theirs.

    Letters to be sent by Digital Post are refused: printing them as well would send them
    twice, with two different arrival dates.
    """
    if not letters:
        raise LetterError("no letters to combine")
    if len(letters) > MAX_LETTERS_PER_PRINT_FILE:
        raise LetterError(f"more than {MAX_LETTERS_PER_PRINT_FILE} letters in one print file")
    for i, letter in enumerate(letters):
        if _is_digital(letter):
            raise LetterError(f"letters[{i}] goes by Digital Post and does not belong in print")
    docs = [build_document(letter) for letter in letters]
    latest = max(doc.letter_date for doc in docs)
    pdf = new_document(
        created=latest,
        title=f"Breve til udskrivning {date_long(latest)}",
        author=docs[0].sender.name.strip(),
        unicode=needs_unicode_font([text for doc in docs for text in doc.printed_texts()]),
    )
    for doc in docs:
        span = draw_letter(pdf, doc)
        if duplex and span.count % 2:
            add_blank_page(pdf)
    return bytes(pdf.output())


def checksum(pdf: bytes) -> str:
    """SHA-256 of the PDF bytes, hex: what the audit trail records for a letter sent."""
    return hashlib.sha256(pdf).hexdigest()
