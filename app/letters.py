"""The letter tools injected into the arrears workflow: a renderer and a PDF combiner.

``render_letter`` is a PLACEHOLDER until the real renderer (``reports/letters/render*.py``,
another branch) lands: it writes the letter's data as plain text on A4, marked as a draft, so
the workflow, storage, checksums and print files can be built and tested. Swap
``LETTER_TOOLS.render`` for the real one at merge; nothing else changes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from ledger.money import format_kr
from reports.letters.model import EvictionRequest, PakravLetter, TerminationLetter
from workflows.arrears.letters import LetterData, LetterTools

_TITLES = {
    PakravLetter: "Påkrav (almenlejeloven § 90, stk. 2)",
    TerminationLetter: "Ophævelse af lejemålet (almenlejeloven § 90, stk. 1, nr. 1)",
    EvictionRequest: "Anmodning om udsættelse (fogedretten)",
}


def render_letter(letter: LetterData) -> bytes:
    """PLACEHOLDER rendering: the letter's fields as text. Not the final layout."""
    pdf = FPDF(format="A4")
    pdf.set_compression(True)
    pdf.set_creator("almen (placeholder renderer)")
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=13)
    _line(pdf, _TITLES[type(letter)], 7)
    pdf.set_font("Helvetica", size=8)
    _line(pdf, "UDKAST - midlertidig gengivelse", 5)
    pdf.set_font("Helvetica", size=10)
    for line in _text_lines(letter):
        _line(pdf, line, 5)
    if isinstance(letter, PakravLetter):
        pdf.ln(3)
        _line(pdf, f"Betales {format_kr(letter.total_oere, suffix=True)} ikke senest "
                   f"{letter.deadline:%d-%m-%Y}, kan lejeforholdet ophæves.", 5)  # fmt: skip
    return bytes(pdf.output())


def _line(pdf: FPDF, text: str, height: float) -> None:
    """One line of text (a plain cell: no line breaking, which is slow in fpdf2)."""
    pdf.cell(0, height, _latin1(text)[:110], new_x="LMARGIN", new_y="NEXT")


def _text_lines(value: Any, indent: str = "") -> list[str]:
    lines = []
    assert is_dataclass(value)
    for field in fields(value):
        item = getattr(value, field.name)
        if is_dataclass(item):
            lines.append(f"{indent}{field.name}:")
            lines.extend(_text_lines(item, indent + "    "))
        elif isinstance(item, tuple) and item and is_dataclass(item[0]):
            lines.append(f"{indent}{field.name}:")
            for element in item:
                lines.extend(_text_lines(element, indent + "    "))
        else:
            lines.append(f"{indent}{field.name}: {_show(field.name, item)}")
    return lines


def _show(name: str, value: Any) -> str:
    if isinstance(value, int) and name.endswith("_oere"):
        return format_kr(value, suffix=True)
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _latin1(text: str) -> str:
    """The core PDF fonts hold Latin-1 (æ, ø, å, § are in it); anything else becomes '?'."""
    return text.encode("latin-1", errors="replace").decode("latin-1")


def combine_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """One PDF of many, in order (the day's print file)."""
    assert pdfs, "a print file holds at least one letter"
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


LETTER_TOOLS = LetterTools(render=render_letter, combine=combine_pdfs)
