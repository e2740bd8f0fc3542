"""The letter tools injected into the arrears workflow: the fpdf2 renderer of
``reports.letters`` and a combiner that gathers stored PDFs into the day's print file."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter

from reports.letters.render import render_eviction_request, render_pakrav, render_termination
from workflows.arrears.letter_data import EvictionRequest, PakravLetter, TerminationLetter
from workflows.arrears.letters import LetterData, LetterTools

MAX_PRINT_FILE_LETTERS = 50_000


def render_letter(letter: LetterData) -> bytes:
    """The letter's PDF (Danish, A4), deterministic for the same data."""
    if isinstance(letter, PakravLetter):
        return render_pakrav(letter)
    if isinstance(letter, TerminationLetter):
        return render_termination(letter)
    assert isinstance(letter, EvictionRequest), f"no renderer for {type(letter).__name__}"
    return render_eviction_request(letter)


def combine_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """One PDF of many stored letters, in order: the day's print file.

    A letter with an odd number of pages gets a blank back page, so printed duplex no tenant
    finds someone else's letter on the back of theirs. The letters' own PDFs (and checksums)
    stay as stored; the print file is a copy for the printer.
    """
    assert 0 < len(pdfs) <= MAX_PRINT_FILE_LETTERS, "a print file holds 1-50,000 letters"
    writer = PdfWriter()
    for pdf in pdfs:
        reader = PdfReader(io.BytesIO(pdf))
        writer.append(reader)
        if len(reader.pages) % 2:
            last = reader.pages[-1].mediabox
            writer.add_blank_page(width=float(last.width), height=float(last.height))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


LETTER_TOOLS = LetterTools(render=render_letter, combine=combine_pdfs)
