"""Page layout shared by every letter: letterhead, address window, running head, footer, table.

A letter is drawn in two steps. :func:`paginate` measures every unit of the text model (a
paragraph, a heading, one table row, ...) and decides on which page and at what height it
goes; :func:`draw_letter` then draws exactly that plan. Knowing the page count before drawing
lets every page say "Side x af y" counting the letter's own pages, also inside a print file
holding many letters. Nothing relies on fpdf2's automatic page breaks: every position is
decided here, so the plan and the drawing cannot disagree, and text never runs into the footer.

Text is measured, broken and drawn by ``typeset.Typesetter``.

Geometry (mm, A4 portrait): text from x = 20 to x = 190; the address block sits where a
window envelope (C5/C65, window left) shows it, x 20-105, y 45-90 (DIN 5008 form B, as Danish
window envelopes use); the body stops 21 mm above the bottom edge, the footer sits below.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fpdf import FPDF

from reports.letters.document import (
    Block,
    Columns,
    Heading,
    LetterDoc,
    Lines,
    Paragraph,
    ParagraphStyle,
    Table,
    TableRow,
)
from reports.letters.typeset import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    Line,
    TextStyle,
    Typesetter,
)
from reports.letters.validation import LetterError

PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT = MARGIN_LEFT, PAGE_W - MARGIN_RIGHT
TEXT_W = RIGHT - LEFT
TOP = MARGIN_TOP
BODY_BOTTOM = PAGE_H - 21.0
FOOTER_Y = PAGE_H - 14.0
CONTINUATION_TOP = 28.0

WINDOW_X, WINDOW_Y, WINDOW_W, WINDOW_H = 20.0, 45.0, 85.0, 45.0
SIDE_X = 125.0
SIDE_W = RIGHT - SIDE_X
FIRST_BODY_TOP = 93.0  # below the envelope window

GREY = 90  # secondary text (letterhead details, footer)
RULE_GREY = 160

BODY = TextStyle(10.0, 4.6)
SMALL = TextStyle(8.5, 4.0)
HEADING = TextStyle(10.5, 5.2, bold=True)
TITLE = TextStyle(14.0, 6.5, bold=True)
ORG_NAME = TextStyle(14.0, 6.0, bold=True)
ORG_NAME_SMALL = TextStyle(11.0, 4.8, bold=True)
ADDRESS_SMALL = TextStyle(9.0, 4.0)
ADDRESS_SMALLEST = TextStyle(8.0, 3.5)
DETAIL = TextStyle(8.5, 4.0)
RETURN_ADDRESS = TextStyle(7.0, 3.2)
FOOTER = TextStyle(8.0, 4.0)

PARAGRAPH_GAP = 2.6
NOTICE_PAD = 3.0
CELL_PAD = 1.5
ROW_PAD = 1.0  # above and below the text of a table row


# --- pagination -------------------------------------------------------------------------------

Draw = Callable[[Typesetter, float], None]


@dataclass(slots=True)
class Unit:
    """Something placed whole on one page: its height, its gap below, how to draw it."""

    height: float
    draw: Draw
    gap: float = 0.0
    keep_with_next: bool = False
    repeat_header: Unit | None = None  # for a table row: the header to repeat on a new page


@dataclass(slots=True)
class Page:
    placed: list[tuple[Unit, float]] = field(default_factory=list)


def paragraph_unit(ts: Typesetter, paragraph: Paragraph) -> Unit:
    if paragraph.style is ParagraphStyle.NOTICE:
        inner = TEXT_W - 2 * NOTICE_PAD
        lines = ts.wrap(paragraph.runs, inner, BODY)
        height = len(lines) * BODY.line + 2 * NOTICE_PAD

        def draw_notice(ts: Typesetter, y: float) -> None:
            ts.pdf.set_draw_color(0)
            ts.pdf.set_line_width(0.5)
            ts.pdf.rect(LEFT, y, TEXT_W, height)
            ts.draw_lines(lines, LEFT + NOTICE_PAD, y + NOTICE_PAD, inner, BODY)

        return Unit(
            height, draw_notice, gap=PARAGRAPH_GAP + 1, keep_with_next=paragraph.keep_with_next
        )
    style = SMALL if paragraph.style is ParagraphStyle.SMALL else BODY
    lines = ts.wrap(paragraph.runs, TEXT_W, style)

    def draw(ts: Typesetter, y: float) -> None:
        ts.draw_lines(lines, LEFT, y, TEXT_W, style)

    return Unit(
        len(lines) * style.line, draw, gap=PARAGRAPH_GAP, keep_with_next=paragraph.keep_with_next
    )


def heading_unit(ts: Typesetter, heading: Heading) -> Unit:
    lines = ts.plain(heading.text, TEXT_W, HEADING)

    def draw(ts: Typesetter, y: float) -> None:
        ts.draw_lines(lines, LEFT, y + 1.5, TEXT_W, HEADING)

    return Unit(len(lines) * HEADING.line + 1.5, draw, gap=0.5, keep_with_next=True)


def lines_unit(ts: Typesetter, block: Lines) -> Unit:
    wrapped = [line for text in block.lines for line in ts.plain(text, TEXT_W, BODY)]

    def draw(ts: Typesetter, y: float) -> None:
        ts.draw_lines(wrapped, LEFT, y, TEXT_W, BODY)

    return Unit(len(wrapped) * BODY.line, draw, gap=PARAGRAPH_GAP)


def columns_unit(ts: Typesetter, block: Columns) -> Unit:
    gap = 8.0
    count = len(block.groups)
    width = (TEXT_W - gap * (count - 1)) / count
    groups = [
        (
            ts.plain(heading, width, HEADING),
            [line for text in lines for line in ts.plain(text, width, BODY)],
        )
        for heading, lines in block.groups
    ]
    height = max(len(h) * HEADING.line + 0.5 + len(b) * BODY.line for h, b in groups) + 1.5

    def draw(ts: Typesetter, y: float) -> None:
        for i, (heading, body) in enumerate(groups):
            x = LEFT + i * (width + gap)
            below = ts.draw_lines(heading, x, y + 1.5, width, HEADING)
            ts.draw_lines(body, x, below + 0.5, width, BODY)

    return Unit(height, draw, gap=PARAGRAPH_GAP)


SMALL_TABLE_ROWS = 8  # a table this short is never split over two pages


def table_units(ts: Typesetter, table: Table) -> list[Unit]:
    widths = [column.width * TEXT_W for column in table.columns]
    xs = [LEFT + sum(widths[:i]) for i in range(len(widths))]
    aligns = [column.align for column in table.columns]

    def row_unit(row: TableRow, *, header: bool = False, total: bool = False) -> Unit:
        style = TextStyle(BODY.size, BODY.line, bold=row.bold or header)
        cells = [
            ts.plain(text, width - 2 * CELL_PAD, style)
            for text, width in zip(row.cells, widths, strict=True)
        ]
        height = max(len(lines) for lines in cells) * style.line + 2 * ROW_PAD

        def draw(ts: Typesetter, y: float) -> None:
            if header:
                ts.pdf.set_fill_color(235)
                ts.pdf.rect(LEFT, y, TEXT_W, height, style="F")
            if total:
                ts.pdf.set_draw_color(0)
                ts.pdf.set_line_width(0.3)
                ts.pdf.line(LEFT, y, RIGHT, y)
            for lines, x, width, align in zip(cells, xs, widths, aligns, strict=True):
                ts.draw_lines(lines, x + CELL_PAD, y + ROW_PAD, width - 2 * CELL_PAD, style, align)

        return Unit(height, draw)

    header = row_unit(TableRow(tuple(c.title for c in table.columns)), header=True)
    header.keep_with_next = True
    units = [header]
    for row in table.rows:
        units.append(row_unit(row))
        units[-1].repeat_header = header
    if table.total is not None:
        units[-1].keep_with_next = True
        units.append(row_unit(table.total, total=True))
        units[-1].repeat_header = header
    if len(table.rows) <= SMALL_TABLE_ROWS:
        for unit in units[:-1]:
            unit.keep_with_next = True
    units[-1].gap = PARAGRAPH_GAP + 1
    return units


def block_units(ts: Typesetter, block: Block) -> list[Unit]:
    if isinstance(block, Paragraph):
        return [paragraph_unit(ts, block)]
    if isinstance(block, Heading):
        return [heading_unit(ts, block)]
    if isinstance(block, Lines):
        return [lines_unit(ts, block)]
    if isinstance(block, Columns):
        return [columns_unit(ts, block)]
    return table_units(ts, block)


def _chain_height(units: Sequence[Unit], start: int) -> float:
    """Height of ``units[start]`` and everything it must stay with on the page."""
    height, i = units[start].height, start
    while units[i].keep_with_next and i + 1 < len(units):
        height += units[i].gap + units[i + 1].height
        i += 1
    return height


def paginate(units: Sequence[Unit], first_top: float) -> list[Page]:
    """Place ``units`` on pages: a unit (with what it keeps with) that does not fit moves to a
    new page; a table row moved to a new page gets its table header repeated above it."""
    pages, y = [Page()], first_top
    for i, unit in enumerate(units):
        need = _chain_height(units, i)
        if need > BODY_BOTTOM - CONTINUATION_TOP:  # the chain can never fit: keep only the unit
            need = unit.height
        if y + need > BODY_BOTTOM and pages[-1].placed:
            pages.append(Page())
            y = CONTINUATION_TOP
            if unit.repeat_header is not None:
                pages[-1].placed.append((unit.repeat_header, y))
                y += unit.repeat_header.height
        if y + unit.height > BODY_BOTTOM:
            raise LetterError(f"a block of {unit.height:.0f} mm does not fit on one page")
        pages[-1].placed.append((unit, y))
        y += unit.height + unit.gap
    return pages


# --- the fixed parts of a page ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The measured first-page top: where the body may begin."""

    body_top: float
    draw: Draw


def _fit_name(ts: Typesetter, name: str) -> tuple[list[Line], TextStyle]:
    """The organisation's name in the largest size that ends above the envelope window."""
    for style in (ORG_NAME, ORG_NAME_SMALL):
        lines = ts.plain(name, SIDE_X - LEFT - 5, style)
        if TOP + len(lines) * style.line <= WINDOW_Y - 3:
            return lines, style
    raise LetterError("the organisation's name is too long for the letterhead")


def _fit_address(ts: Typesetter, doc: LetterDoc, room: float) -> tuple[list[Line], TextStyle]:
    """The address block in the largest size that fits the envelope window (physical letters;
    a letter in Digital Post has no window and keeps the body size)."""
    styles = (BODY, ADDRESS_SMALL, ADDRESS_SMALLEST) if doc.physical else (BODY,)
    for style in styles:
        lines = [line for text in doc.address for line in ts.plain(text, WINDOW_W, style)]
        if not doc.physical or len(lines) * style.line <= room:
            return lines, style
    raise LetterError(f"the address ({len(doc.address)} lines) does not fit in the envelope window")


def letterhead(ts: Typesetter, doc: LetterDoc) -> Letterhead:
    """Organisation name and details, the address in the envelope window (x 20-105, y 45-90,
    never moved: the post reads it through the window), the meta block, the title."""
    sender = doc.sender
    name_lines, name_style = _fit_name(ts, sender.name.strip())
    details = [
        sender.address.strip(),
        f"{sender.postcode.strip()} {sender.city.strip()}",
        f"CVR-nr. {sender.cvr.strip()}",
    ]
    if sender.phone.strip():
        details.append(f"Telefon {sender.phone.strip()}")
    if sender.email.strip():
        details.append(sender.email.strip())
    detail_lines = [line for text in details for line in ts.plain(text, SIDE_W, DETAIL)]
    return_lines = (
        ts.plain(
            f"Afsender: {sender.name.strip()}, {sender.address.strip()}, "
            f"{sender.postcode.strip()} {sender.city.strip()}",
            WINDOW_W,
            RETURN_ADDRESS,
        )
        if doc.physical
        else []
    )
    label_w = 24.0
    meta = [
        (ts.plain(label, label_w - 2, DETAIL), ts.plain(value, SIDE_W - label_w, DETAIL))
        for label, value in doc.meta
    ]
    title_lines = ts.plain(doc.title, TEXT_W, TITLE)

    window_top = WINDOW_Y
    address_top = window_top + len(return_lines) * RETURN_ADDRESS.line + (2 if return_lines else 0)
    address_lines, address_style = _fit_address(ts, doc, WINDOW_Y + WINDOW_H - address_top)
    address_bottom = address_top + len(address_lines) * address_style.line
    meta_top = max(window_top + 5, TOP + len(detail_lines) * DETAIL.line + 5)
    meta_bottom = meta_top + sum(max(len(a), len(b)) for a, b in meta) * DETAIL.line
    title_top = max(FIRST_BODY_TOP, address_bottom + 10, meta_bottom + 10)
    body_top = title_top + len(title_lines) * TITLE.line + 3

    def draw(ts: Typesetter, _: float) -> None:
        ts.draw_lines(name_lines, LEFT, TOP, SIDE_X - LEFT - 5, name_style)
        ts.pdf.set_text_color(GREY)
        ts.draw_lines(detail_lines, SIDE_X, TOP, SIDE_W, DETAIL)
        if return_lines:
            y = ts.draw_lines(return_lines, WINDOW_X, window_top, WINDOW_W, RETURN_ADDRESS)
            ts.pdf.set_draw_color(RULE_GREY)
            ts.pdf.set_line_width(0.2)
            ts.pdf.line(WINDOW_X, y + 0.8, WINDOW_X + WINDOW_W, y + 0.8)
        ts.pdf.set_text_color(0)
        ts.draw_lines(address_lines, WINDOW_X, address_top, WINDOW_W, address_style)
        y = meta_top
        for label, value in meta:
            ts.pdf.set_text_color(GREY)
            ts.draw_lines(label, SIDE_X, y, label_w - 2, DETAIL)
            ts.pdf.set_text_color(0)
            ts.draw_lines(value, SIDE_X + label_w, y, SIDE_W - label_w, DETAIL)
            y += max(len(label), len(value)) * DETAIL.line
        ts.draw_lines(title_lines, LEFT, title_top, TEXT_W, TITLE)

    return Letterhead(body_top=body_top, draw=draw)


def running_head(ts: Typesetter, doc: LetterDoc) -> Draw:
    lines = ts.plain(f"{doc.sender.name.strip()} · {doc.running_head}", TEXT_W, DETAIL)[:2]

    def draw(ts: Typesetter, _: float) -> None:
        ts.pdf.set_text_color(GREY)
        y = ts.draw_lines(lines, LEFT, TOP, TEXT_W, DETAIL)
        ts.pdf.set_text_color(0)
        ts.pdf.set_draw_color(RULE_GREY)
        ts.pdf.set_line_width(0.2)
        ts.pdf.line(LEFT, y + 1, RIGHT, y + 1)

    return draw


def draw_footer(ts: Typesetter, doc: LetterDoc, number: int, count: int) -> None:
    """Organisation, CVR and "Side x af y" on every page (x, y count this letter's pages)."""
    page_text = f"Side {number} af {count}"
    page_w = ts.width(page_text, FOOTER) + 1
    left_w = TEXT_W - page_w - 5
    left = ts.plain(f"{doc.sender.name.strip()} · CVR-nr. {doc.sender.cvr.strip()}", left_w, FOOTER)
    ts.pdf.set_draw_color(RULE_GREY)
    ts.pdf.set_line_width(0.2)
    ts.pdf.line(LEFT, FOOTER_Y - 1.5, RIGHT, FOOTER_Y - 1.5)
    ts.pdf.set_text_color(GREY)
    ts.draw_lines(left[:2], LEFT, FOOTER_Y, left_w, FOOTER)
    ts.draw_lines(ts.plain(page_text, page_w, FOOTER), RIGHT - page_w, FOOTER_Y, page_w, FOOTER)
    ts.pdf.set_text_color(0)


# --- a whole letter ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageSpan:
    """Where a letter landed in its document (1-based page numbers)."""

    first: int
    count: int


def draw_letter(pdf: FPDF, doc: LetterDoc) -> PageSpan:
    """Draw ``doc`` into ``pdf`` starting on a new page; return the pages it took."""
    ts = Typesetter(pdf)
    head = letterhead(ts, doc)
    units: list[Unit] = []
    for block in doc.blocks:
        if isinstance(block, Lines) and block.keep_with_previous and units:
            units[-1].keep_with_next = True
        units.extend(block_units(ts, block))
    pages = paginate(units, head.body_top)
    continuation = running_head(ts, doc)
    first = pdf.page_no() + 1
    for number, page in enumerate(pages, start=1):
        pdf.add_page()
        (head.draw if number == 1 else continuation)(ts, 0.0)
        for unit, y in page.placed:
            unit.draw(ts, y)
        draw_footer(ts, doc, number, len(pages))
    assert pdf.page_no() == first + len(pages) - 1, "drew a page the plan did not have"
    return PageSpan(first=first, count=len(pages))


def add_blank_page(pdf: FPDF) -> None:
    """A deliberately empty page (the back of a letter's last sheet in a duplex print file)."""
    pdf.add_page()
