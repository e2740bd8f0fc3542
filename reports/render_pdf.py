"""A report as an A4 PDF (fpdf2): title, organisation and CVR, as-of date, a bar chart drawn
with fpdf2's own rectangles, the tables (header repeated on every page), totals and notes.

Fonts and line breaking are the letters' (``reports.letters.typeset``): all-Latin-1 text is set
in the core font Helvetica, anything else in the bundled Liberation Sans. A table wider than
portrait A4 at 8 pt is set in landscape. Deterministic: the creation date is the as-of day.
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdf import FPDF

from ledger.money import format_kr
from reports.cells import cell_text, date_dk, rows_of
from reports.letters.document import Align
from reports.letters.typeset import (
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    TextStyle,
    Typesetter,
    needs_unicode_font,
    new_document,
)
from reports.model import Chart, Report, Table

TITLE = TextStyle(16.0, 8.0, bold=True)
HEADING = TextStyle(11.0, 6.0, bold=True)
BODY = TextStyle(9.0, 4.4)
CELL = TextStyle(8.0, 3.6)
CELL_BOLD = TextStyle(8.0, 3.6, bold=True)
SMALL = TextStyle(7.5, 3.5)
BOTTOM_GAP = 16.0  # mm kept free at the foot of the page for the page number
CELL_PAD = 1.2
WIDTH_SLACK = 0.5  # mm: a cell exactly as wide as its text must not wrap on rounding
MAX_CHART_BARS = 14
BAR_GREY = 90
RULE_GREY = 170


@dataclass(slots=True)
class Page:
    width: float
    height: float

    @property
    def text_width(self) -> float:
        return self.width - MARGIN_LEFT - MARGIN_RIGHT

    @property
    def bottom(self) -> float:
        return self.height - BOTTOM_GAP


class Writer:
    """Draws a report from top to bottom, starting new pages as it goes."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.pdf: FPDF = new_document(
            created=report.as_of,
            title=f"{report.title} - {report.organisation_name}",
            author=report.organisation_name,
            unicode=needs_unicode_font(_texts(report)),
        )
        self.ts = Typesetter(self.pdf)
        landscape = any(self._natural_width(t) > Page(210, 297).text_width for t in _tables(report))
        self.page = Page(297, 210) if landscape else Page(210, 297)
        self.orientation = "L" if landscape else "P"
        self.y = 0.0

    # --- pages ---------------------------------------------------------------------------
    def new_page(self) -> None:
        self.pdf.add_page(orientation=self.orientation)
        self.y = MARGIN_TOP
        if self.pdf.page > 1:
            r = self.report
            self.text(f"{r.title} · {r.organisation_name} · pr. {date_dk(r.as_of)}", SMALL)
            self.y += 3

    def room(self, height: float) -> None:
        if self.y + height > self.page.bottom:
            self.new_page()

    def text(self, text: str, style: TextStyle, align: Align = Align.LEFT) -> None:
        width = self.page.text_width
        for line in self.ts.plain(text, width, style):
            self.room(style.line)
            self.ts.draw_line(line, MARGIN_LEFT, self.y, width, style, align)
            self.y += style.line

    def page_numbers(self) -> None:
        count = self.pdf.page
        for number in range(1, count + 1):
            self.pdf.page = number
            # fpdf2 remembers "font set on this page" across a jump back: set it again here,
            # or the number is drawn in whatever font the page last used.
            self.pdf.current_font_is_set_on_page = False
            line = self.ts.plain(f"Side {number} af {count}", self.page.text_width, SMALL)[0]
            top = self.page.height - BOTTOM_GAP + 6
            self.ts.draw_line(line, MARGIN_LEFT, top, self.page.text_width, SMALL, Align.RIGHT)
        self.pdf.page = count

    # --- parts ---------------------------------------------------------------------------
    def head(self) -> None:
        r = self.report
        self.new_page()
        self.text(r.title, TITLE)
        self.text(f"{r.organisation_name} · CVR {r.organisation_cvr}", BODY)
        self.text(f"Opgjort pr. {date_dk(r.as_of)}", BODY)
        self.y += 4

    def chart(self, chart: Chart) -> None:
        bars = list(zip(chart.labels, chart.values, strict=True))[:MAX_CHART_BARS]
        if not bars or not any(bars_value for _, bars_value in bars):
            return
        bar_h, gap, label_w, value_w = 5.0, 1.6, 55.0, 32.0
        self.room(HEADING.line + len(bars) * (bar_h + gap) + 4)
        self.text(chart.title, HEADING)
        biggest = max(abs(v) for _, v in bars)
        span = self.page.text_width - label_w - value_w - 4
        for label, value in bars:
            shown = self.ts.plain(label, label_w - 2, CELL)[0]
            self.ts.draw_line(shown, MARGIN_LEFT, self.y + 0.7, label_w - 2, CELL, Align.LEFT)
            length = span * abs(value) / biggest
            if length > 0:
                self.pdf.set_fill_color(BAR_GREY)
                self.pdf.rect(MARGIN_LEFT + label_w, self.y, length, bar_h, style="F")
            text = format_kr(value, suffix=True) if chart.money else str(value)
            figure = self.ts.plain(text, value_w, CELL)[0]
            x = MARGIN_LEFT + label_w + length + 2
            self.ts.draw_line(figure, x, self.y + 0.7, value_w, CELL, Align.LEFT)
            self.y += bar_h + gap
        self.y += 4

    def table(self, table: Table) -> None:
        columns = [str(c) for c in table.frame.columns]
        headings = _headings(table)
        widths = self._widths(table, headings)
        aligns = [Align.RIGHT if _is_number_column(table, c) else Align.LEFT for c in columns]
        self.room(HEADING.line + 2 * CELL.line + 4)
        self.text(table.title, HEADING)
        self._row(headings, widths, aligns, CELL_BOLD, rule=True)
        rows = rows_of(table)
        if not rows:
            self.text("Ingen poster.", BODY)
        for row in rows:
            cells = [
                cell_text(table, c, v, grouped=True) for c, v in zip(columns, row, strict=True)
            ]
            if self._row_height(cells, widths, CELL) + self.y > self.page.bottom:
                self.new_page()
                self._row(headings, widths, aligns, CELL_BOLD, rule=True)
            self._row(cells, widths, aligns, CELL)
        self.y += 5

    def totals(self) -> None:
        totals = self.report.labelled_totals()
        self.room(HEADING.line + len(totals) * BODY.line)
        self.text("I alt", HEADING)
        label_w, value_w = 90.0, 45.0
        for total in totals:
            value = format_kr(total.value, suffix=True) if total.money else str(total.value)
            self.room(BODY.line)
            label = self.ts.plain(total.label, label_w, BODY)[0]
            self.ts.draw_line(label, MARGIN_LEFT, self.y, label_w, BODY, Align.LEFT)
            figure = self.ts.plain(value, value_w, BODY)[0]
            x = MARGIN_LEFT + label_w
            self.ts.draw_line(figure, x, self.y, value_w, TextStyle(9.0, 4.4, True), Align.RIGHT)
            self.y += BODY.line
        self.y += 4
        for note in self.report.notes:
            self.text(note, SMALL)

    # --- table geometry ------------------------------------------------------------------
    def _natural_width(self, table: Table) -> float:
        return sum(self._natural_widths(table, _headings(table)))

    def _natural_widths(self, table: Table, headings: list[str]) -> list[float]:
        columns = [str(c) for c in table.frame.columns]
        widest = [max(self.ts.width(w, CELL_BOLD) for w in h.split()) for h in headings]
        for row in rows_of(table)[:500]:
            for i, (c, v) in enumerate(zip(columns, row, strict=True)):
                text = cell_text(table, c, v, grouped=True)
                widest[i] = max(widest[i], min(self.ts.width(text, CELL), 60.0))
        return [w + 2 * CELL_PAD + WIDTH_SLACK for w in widest]

    def _widths(self, table: Table, headings: list[str]) -> list[float]:
        """The natural widths, stretched or squeezed to the width of the text."""
        natural = self._natural_widths(table, headings)
        scale = self.page.text_width / sum(natural)
        return [w * scale for w in natural]

    def _row_height(self, cells: list[str], widths: list[float], style: TextStyle) -> float:
        pairs = zip(cells, widths, strict=True)
        lines = max(len(self.ts.plain(c, w - 2 * CELL_PAD, style)) for c, w in pairs)
        return lines * style.line + 1.6

    def _row(
        self,
        cells: list[str],
        widths: list[float],
        aligns: list[Align],
        style: TextStyle,
        rule: bool = False,
    ) -> None:
        height = self._row_height(cells, widths, style)
        x = MARGIN_LEFT
        for text, width, align in zip(cells, widths, aligns, strict=True):
            lines = self.ts.plain(text, width - 2 * CELL_PAD, style)
            self.ts.draw_lines(
                lines, x + CELL_PAD, self.y + 0.8, width - 2 * CELL_PAD, style, align
            )
            x += width
        self.y += height
        self.pdf.set_draw_color(RULE_GREY if not rule else 0)
        self.pdf.set_line_width(0.2 if not rule else 0.3)
        self.pdf.line(MARGIN_LEFT, self.y, MARGIN_LEFT + sum(widths), self.y)


def _headings(table: Table) -> list[str]:
    return [f"{c} (kr.)" if c in table.money_columns else str(c) for c in table.frame.columns]


def _is_number_column(table: Table, column: str) -> bool:
    if column in table.money_columns:
        return True
    dtype = table.frame[column].dtype
    return bool(dtype.kind in "iu")


def _tables(report: Report) -> list[Table]:
    return [report.table, *report.extra_tables]


def _texts(report: Report) -> list[str]:
    texts = [report.title, report.organisation_name, *report.notes, *report.total_labels.values()]
    for table in _tables(report):
        texts.append(table.title)
        texts.extend(str(c) for c in table.frame.columns)
        for row in rows_of(table):
            texts.extend(str(v) for v in row)
    if report.chart:
        texts.extend((report.chart.title, *report.chart.labels))
    return texts


def render_pdf(report: Report) -> bytes:
    writer = Writer(report)
    writer.head()
    if report.chart is not None:
        writer.chart(report.chart)
    for table in _tables(report):
        writer.table(table)
    writer.totals()
    writer.page_numbers()
    return bytes(writer.pdf.output())
