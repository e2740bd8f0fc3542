"""The lines of a delivery file, read in chunks.

A file is ISO-8859-1 text whose lines end in CRLF or LF. It is decoded and split a few
megabytes at a time, so that a million-record delivery never exists as one big string plus a
list of a million lines next to the records being built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CHUNK_BYTES = 4 << 20
# Printable ISO-8859-1 plus the line-end characters.
_PRINTABLE_OR_LINE_END = bytes((*range(0x20, 0x7F), *range(0xA0, 0x100), 0x0D, 0x0A))
_STRAY_CR = re.compile(b"\r(?!\n)").search


def is_printable(data: bytes) -> bool:
    """Whether the file holds only printable ISO-8859-1 and CR only as part of CRLF.

    Then text fields need no character check line by line, and ``str.splitlines`` (which also
    splits at control characters) splits exactly at the line ends.
    """
    if data.translate(None, _PRINTABLE_OR_LINE_END):
        return False
    return b"\r" not in data or _STRAY_CR(data) is None


def line_chunks(data: bytes, *, printable: bool) -> Iterator[list[str]]:
    """The file's lines, line ends removed, in lists of about ``CHUNK_BYTES`` each.

    Chunks end just after an LF, so a CRLF is never cut. Without ``printable`` only LF (and
    CRLF) end a line; a stray CR stays in its line for the parser to report.
    """
    start, size = 0, len(data)
    while start < size:
        end = data.find(b"\n", start + CHUNK_BYTES)
        end = size if end < 0 else end + 1
        yield _split(data[start:end].decode("latin-1"), printable=printable)
        start = end


def text_chunks(data: bytes) -> Iterator[str]:
    """The text of a printable file (see :func:`is_printable`) in pieces of whole lines.

    Each piece starts with a line feed (the end of the line before it, or an added one for the
    first piece) and ends with one (added after the last line if the file has none), so that
    every line of the piece is ``\n`` + line + optional ``\r`` + ``\n``: the shape the run
    decoders (``runs.py``) look for.
    """
    start, size = 0, len(data)
    while start < size:
        end = data.find(b"\n", start + CHUNK_BYTES)
        end = size if end < 0 else end + 1
        text = data[start:end].decode("latin-1")
        yield "\n" + text if text.endswith("\n") else "\n" + text + "\n"
        start = end


def _split(text: str, *, printable: bool) -> list[str]:
    if printable:
        return text.splitlines()
    text = text.replace("\r\n", "\n")
    text = text.removesuffix("\n")
    return text.split("\n") if text else [""]


def lines_of(data: bytes) -> list[str]:
    """All lines of a file as the parser reads them (not padded), trailing blank lines dropped."""
    printable = is_printable(data)
    lines = [line for chunk in line_chunks(data, printable=printable) for line in chunk]
    while lines and is_blank(lines[-1]):
        lines.pop()
    return lines


def is_blank(line: str) -> bool:
    """Whether a line is empty or only blanks."""
    return not line.strip(" ")
