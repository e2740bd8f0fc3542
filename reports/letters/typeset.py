"""Text setting for the letters: the bundled font, line breaking, drawing lines.

Lines are broken here (words at spaces, a word wider than the line between characters), not
by fpdf2's markdown, so no name or claim text can be misread as formatting ("**", "--",
"[..](..)" print as written). A character the font cannot print raises :class:`LetterError`
instead of silently vanishing from a tenant's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import cast

from fpdf import FPDF
from fpdf.fonts import CoreFont, TTFFont

from reports.letters.document import Align, Run
from reports.letters.validation import LetterError

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "LiberationSans"
FONT_FILES = {"": "LiberationSans-Regular.ttf", "B": "LiberationSans-Bold.ttf"}
# Liberation Sans is metric-compatible with Arial, and so with the PDF core font Helvetica:
# a letter whose text is all Latin-1 (æ, ø, å, § included) is set in Helvetica, which needs no
# embedded font and renders in a few milliseconds; any other character (a Polish, Turkish or
# Vietnamese name, a dash) switches the letter to the embedded Liberation Sans. The layout is
# the same either way.
CORE_FONT = "helvetica"

PT = 25.4 / 72  # one point in mm
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP = 20.0, 20.0, 15.0


@dataclass(frozen=True, slots=True)
class TextStyle:
    size: float  # points
    line: float  # line height, mm
    bold: bool = False


Fragment = tuple[str, bool]  # text, bold
Line = tuple[Fragment, ...]


def needs_unicode_font(texts: Sequence[str]) -> bool:
    """Does any text hold a character outside Latin-1 (the core fonts' repertoire)?"""
    return any(ord(char) > 0xFF for text in texts for char in text)


def new_document(*, created: date, title: str, author: str, unicode: bool = True) -> FPDF:
    """An empty A4 document with the letter fonts, its creation date taken from ``created``
    (never the clock: the same letter must give the same bytes). ``unicode=False`` sets the
    letter in the core font Helvetica (Latin-1 text only), see ``CORE_FONT``."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    if unicode:
        for style, filename in FONT_FILES.items():
            pdf.add_font(FONT, style, str(FONT_DIR / filename))
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
    pdf.c_margin = 0
    # "{nb}" in a tenant's text must stay "{nb}": fpdf2 documents alias_nb_pages(None) as the
    # way to switch the page-count alias off, though its type hints do not admit None.
    pdf.alias_nb_pages(cast("str", None))
    pdf.set_creation_date(datetime(created.year, created.month, created.day, tzinfo=UTC))
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("almen")
    pdf.set_lang("da")
    return pdf


class Typesetter:
    """Measures and breaks text into lines with the letter font; draws lines.

    Widths come straight from the font's advance-width table (what fpdf2 itself sums), cached
    per character: fpdf2's ``get_string_width`` copies its graphics state on every call, which
    made measuring most of a letter's rendering time.
    """

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.family = FONT if FONT.lower() in pdf.fonts else CORE_FONT
        self._widths: dict[bool, dict[str, float]] = {False: {}, True: {}}
        self._current: tuple[bool, float] | None = None

    def use(self, style: TextStyle, bold: bool = False) -> None:
        wanted = (bold or style.bold, style.size)
        if wanted != self._current:
            self.pdf.set_font(self.family, "B" if wanted[0] else "", style.size)
            self._current = wanted

    def width(self, text: str, style: TextStyle, bold: bool = False) -> float:
        """Width of ``text`` in mm, as fpdf2 would draw it (no character spacing/stretching)."""
        table = self._widths[bold or style.bold]
        units = 0.0
        for char in text:
            advance = table.get(char)
            if advance is None:
                advance = table[char] = self._advance(char, bold or style.bold)
            units += advance
        return units * style.size * 0.001 / self.pdf.k

    def _advance(self, char: str, bold: bool) -> float:
        """A character's advance width in 1/1000 em; a character the font lacks is an error."""
        if self.family == CORE_FONT:
            if ord(char) > 0xFF:
                raise LetterError(f"the core font cannot print {char!r} (U+{ord(char):04X})")
            return _core_widths(bold)[char]
        font = self.pdf.fonts[FONT.lower() + ("B" if bold else "")]
        assert isinstance(font, TTFFont), "the unicode letter font is the bundled TrueType font"
        if ord(char) not in font.cmap:
            raise LetterError(f"the letter font cannot print {char!r} (U+{ord(char):04X})")
        return float(font.cw[ord(char)])

    def wrap(self, runs: Sequence[Run], width: float, style: TextStyle) -> list[Line]:
        """Break ``runs`` into lines no wider than ``width``: at spaces, or inside a word that
        alone is wider than the line; "\\n" forces a break."""
        lines: list[Line] = []
        current: list[Fragment] = []
        used = 0.0
        for box in _boxes(runs):
            if box is None:  # hard line break
                lines.append(_merge(current))
                current, used = [], 0.0
                continue
            fragments, space_before = box
            box_w = sum(self.width(text, style, bold) for text, bold in fragments)
            space = self.width(" ", style) if (space_before and current) else 0.0
            if current and used + space + box_w > width:
                lines.append(_merge(current))
                current, used, space = [], 0.0, 0.0
            if box_w > width:
                for piece in self._split_box(fragments, width, style):
                    if current:
                        lines.append(_merge(current))
                    current = list(piece)
                    used = sum(self.width(text, style, bold) for text, bold in piece)
                continue
            if space:
                current.append((" ", fragments[0][1]))
            current.extend(fragments)
            used += space + box_w
        if current or not lines:
            lines.append(_merge(current))
        return lines

    def _split_box(
        self, fragments: Sequence[Fragment], width: float, style: TextStyle
    ) -> list[Line]:
        """A word wider than the line, cut between characters."""
        pieces: list[Line] = []
        piece: list[Fragment] = []
        used = 0.0
        for text, bold in fragments:
            for char in text:
                char_w = self.width(char, style, bold)
                if piece and used + char_w > width:
                    pieces.append(_merge(piece))
                    piece, used = [], 0.0
                piece.append((char, bold))
                used += char_w
        pieces.append(_merge(piece))
        return pieces

    def line_width(self, line: Line, style: TextStyle) -> float:
        return sum(self.width(text, style, bold) for text, bold in line)

    def draw_line(
        self, line: Line, x: float, top: float, width: float, style: TextStyle, align: Align
    ) -> None:
        used = self.line_width(line, style)
        assert used <= width + 0.01, f"line wider than its box: {used:.2f} > {width:.2f} mm"
        cursor = x + (width - used if align is Align.RIGHT else 0.0)
        baseline = top + style.line * 0.5 + style.size * PT * 0.35
        for text, bold in line:
            self.use(style, bold)
            self.pdf.text(cursor, baseline, text)
            cursor += self.width(text, style, bold)

    def draw_lines(
        self,
        lines: Sequence[Line],
        x: float,
        top: float,
        width: float,
        style: TextStyle,
        align: Align = Align.LEFT,
    ) -> float:
        """Draw ``lines`` from ``top``; return the y below them."""
        for line in lines:
            self.draw_line(line, x, top, width, style, align)
            top += style.line
        return top

    def plain(self, text: str, width: float, style: TextStyle) -> list[Line]:
        return self.wrap((Run(text),), width, style)


@lru_cache(maxsize=2)
def _core_widths(bold: bool) -> dict[str, float]:
    """Helvetica's advance widths (1/1000 em) as fpdf2 knows them, read from a scratch
    document so the letter's own font state is never touched."""
    scratch = FPDF()
    scratch.set_font(CORE_FONT, "B" if bold else "", 10)
    font = scratch.current_font
    assert isinstance(font, CoreFont)
    return {char: float(width) for char, width in font.cw.items()}


_TOKEN = re.compile(r"\n|[^\S\n]+|\S+")

Box = tuple[list[Fragment], bool]  # the fragments of one word, space before it


def _boxes(runs: Sequence[Run]) -> list[Box | None]:
    """The words of ``runs`` in reading order, None for a hard line break.

    A word may span runs ("2026" bold, "." not): its pieces stay in one box, so a line is
    never broken between a word and the full stop after it.
    """
    boxes: list[Box | None] = []
    space_pending, in_word = False, False
    for run in runs:
        for token in _TOKEN.findall(run.text):
            if token == "\n":
                boxes.append(None)
                space_pending, in_word = False, False
            elif token.isspace():
                space_pending, in_word = True, False
            elif in_word:
                box = boxes[-1]
                assert box is not None
                box[0].append((token, run.bold))
            else:
                boxes.append(([(token, run.bold)], space_pending))
                space_pending, in_word = False, True
    return boxes


def _merge(fragments: Sequence[Fragment]) -> Line:
    """Join neighbouring fragments of the same weight (fewer text operators)."""
    merged: list[Fragment] = []
    for text, bold in fragments:
        if merged and merged[-1][1] == bold:
            merged[-1] = (merged[-1][0] + text, bold)
        else:
            merged.append((text, bold))
    return tuple(merged)
