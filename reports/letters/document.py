"""The text model of a letter: what it says, before anyone decides where on the page it goes.

Each letter module builds a :class:`LetterDoc` from its dataclass (pure, testable: the tests
assert the legal sentences here); ``layout`` paginates and draws it. Nothing in a LetterDoc
knows about fonts or millimetres except the relative column widths of a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from workflows.arrears.letter_data import Sender


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a paragraph's text, bold or not."""

    text: str
    bold: bool = False


class ParagraphStyle(StrEnum):
    BODY = "body"
    NOTICE = "notice"  # framed: the sentence the law requires, which must not be missed
    SMALL = "small"


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: ParagraphStyle = ParagraphStyle.BODY
    keep_with_next: bool = False  # an introduction stays on the page of what it introduces

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


class Align(StrEnum):
    LEFT = "L"
    RIGHT = "R"


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: float  # share of the text width; a table's widths add up to 1
    align: Align = Align.LEFT


@dataclass(frozen=True, slots=True)
class TableRow:
    cells: tuple[str, ...]
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """Rows that may run over several pages: the header repeats on every page."""

    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    total: TableRow | None = None

    def __post_init__(self) -> None:
        assert self.columns, "a table needs columns"
        assert abs(sum(c.width for c in self.columns) - 1.0) < 1e-9, "widths must add up to 1"
        for row in (*self.rows, *([self.total] if self.total else [])):
            assert len(row.cells) == len(self.columns), "every row fills every column"


@dataclass(frozen=True, slots=True)
class Lines:
    """Short lines kept together on one page (an address, a signature, a list of Bilag).

    ``keep_with_previous``: never start a page with these lines (a signature stays with the
    last paragraph of the letter instead of standing alone on a page of its own).
    """

    lines: tuple[str, ...]
    keep_with_previous: bool = False


@dataclass(frozen=True, slots=True)
class Columns:
    """Side-by-side groups of short lines under their own headings (the parties of a request)."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, lines)


Block = Paragraph | Heading | Table | Lines | Columns


@dataclass(frozen=True, slots=True)
class LetterDoc:
    """One letter, ready to lay out.

    ``address`` is the window-envelope block (the addressee); ``meta`` the label/value pairs
    beside it (Dato, Lejemål nr., Sagsnr.); ``running_head`` is printed at the top of every page
    after the first so a loose page can be put back in its letter.
    """

    sender: Sender
    letter_date: date
    title: str
    address: tuple[str, ...]
    meta: tuple[tuple[str, str], ...]
    blocks: tuple[Block, ...]
    running_head: str
    physical: bool

    def block_texts(self) -> list[str]:
        """Every piece of text of the body, in reading order (tables row by row)."""
        texts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph | Heading):
                texts.append(block.text)
            elif isinstance(block, Lines):
                texts.extend(block.lines)
            elif isinstance(block, Columns):
                for heading, lines in block.groups:
                    texts.extend((heading, *lines))
            else:
                texts.append(" | ".join(c.title for c in block.columns))
                texts.extend(" | ".join(row.cells) for row in block.rows)
                if block.total:
                    texts.append(" | ".join(block.total.cells))
        return texts

    def plain_text(self) -> str:
        """The whole letter as plain text, one block per line (for tests and for the audit log)."""
        head = [
            self.sender.name,
            *self.address,
            *(f"{label}: {value}" for label, value in self.meta),
            self.title,
        ]
        return "\n".join([*head, *self.block_texts()])

    def printed_texts(self) -> list[str]:
        """Every string that ends up on the page: body, letterhead, running head and footer
        (what decides whether the core font can set the letter)."""
        sender = self.sender
        return [
            self.plain_text(),
            self.running_head,
            sender.name, sender.address, sender.postcode, sender.city, sender.cvr,
            sender.phone, sender.email, sender.payment_details,
        ]  # fmt: skip

    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]


def para(
    *parts: str | Run, style: ParagraphStyle = ParagraphStyle.BODY, keep_with_next: bool = False
) -> Paragraph:
    """A paragraph from plain strings and bold ``Run`` s."""
    runs = tuple(part if isinstance(part, Run) else Run(part) for part in parts)
    return Paragraph(runs=runs, style=style, keep_with_next=keep_with_next)


def bold(text: str) -> Run:
    return Run(text, bold=True)
