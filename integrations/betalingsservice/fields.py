"""Field definitions: a record layout is a tuple of :class:`Field` (name, start, length, kind).

Positions are 1-based and inclusive, exactly as in the Betalingsservice guides. Kinds:

- ``N``: digits, right-aligned and zero-padded. Held as ``int`` (amounts, counts), as a digit
  string of full width (``digits=True``: identifiers such as CVR, PBS number, debtor group), or as
  an enum member (``enum=...``: transaction, section, sign codes).
- ``X``: ISO-8859-1 text, left-aligned and blank-padded; held without its trailing blanks.
- ``date6`` (DDMMYY) and ``date8`` (DDMMYYYY): ``datetime.date``; with ``optional=True`` a field
  of zeros is ``None``.

A field with ``constant`` set (record type, fillers) is not a record attribute: the parser checks
it and the writer writes it.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Literal, NamedTuple

Kind = Literal["N", "X", "date6", "date8"]

RECORD_LENGTH = 128
# Two-digit years (DDMMYY) are read in the window 1970-2069: 0603 can list mandates from the 1990s.
DATE6_FIRST_YEAR = 1970
DATE6_LAST_YEAR = DATE6_FIRST_YEAR + 99
# Characters allowed in any field: printable ISO-8859-1, i.e. no C0/C1 control characters.
PRINTABLE_CLASS = "\\x20-\\x7e\\xa0-\\xff"


class Field(NamedTuple):
    """One field of a fixed-width record."""

    name: str
    start: int  # 1-based, inclusive
    length: int
    kind: Kind
    constant: str | None = None  # fixed content; such a field is not a record attribute
    enum: type[Enum] | None = None  # N field holding a code
    digits: bool = False  # N field held as a digit string of full width
    optional: bool = False  # date field: zeros mean "no date" (None)
    shared: bool = False  # digit string that repeats on every record: decoded once, shared

    @property
    def end(self) -> int:
        """Last position (1-based, inclusive)."""
        return self.start + self.length - 1

    @property
    def is_attribute(self) -> bool:
        """Whether the field is an attribute of the record class (not a constant)."""
        return self.constant is None


def const(name: str, start: int, content: str) -> Field:
    """A field with fixed content, such as the record type ``BS042`` or a transaction code."""
    kind: Kind = "N" if content.isdigit() else "X"
    return Field(name, start, len(content), kind, constant=content)


def blanks(start: int, end: int) -> Field:
    """A filler of blanks from ``start`` to ``end`` (inclusive)."""
    length = end - start + 1
    return Field(f"filler_{start}_{end}", start, length, "X", constant=" " * length)


def zeros(start: int, end: int) -> Field:
    """A filler of zeros from ``start`` to ``end`` (inclusive)."""
    length = end - start + 1
    return Field(f"filler_{start}_{end}", start, length, "N", constant="0" * length)


def ident(name: str, start: int, length: int, *, shared: bool = False) -> Field:
    """A numeric identifier kept as a digit string of full width (leading zeros kept).

    ``shared``: the value repeats across records (PBS number, debtor group), so records share
    one string object instead of holding a copy each.
    """
    return Field(name, start, length, "N", digits=True, shared=shared)


def number(name: str, start: int, length: int) -> Field:
    """A numeric quantity held as ``int`` (amounts in øre, counts, record numbers)."""
    return Field(name, start, length, "N")


def code(name: str, start: int, enum: type[Enum]) -> Field:
    """A numeric code held as a member of ``enum``; the width is that of the codes."""
    widths = {len(wire_code(member, 0)) for member in enum}
    assert len(widths) == 1, f"codes of {enum.__name__} differ in width"
    return Field(name, start, widths.pop(), "N", enum=enum)


def text(name: str, start: int, length: int) -> Field:
    """An ISO-8859-1 text field."""
    return Field(name, start, length, "X")


def date6(name: str, start: int, *, optional: bool = False) -> Field:
    """A DDMMYY date."""
    return Field(name, start, 6, "date6", optional=optional)


def date8(name: str, start: int, *, optional: bool = False) -> Field:
    """A DDMMYYYY date."""
    return Field(name, start, 8, "date8", optional=optional)


def wire_code(member: Enum, length: int) -> str:
    """The text of a code in the file: a string value as is, an int value zero-padded."""
    value = member.value
    if isinstance(value, int):
        return f"{value:0{length}d}"
    assert isinstance(value, str), f"{member!r} has neither a str nor an int value"
    return value


def read_date(raw: str, kind: Kind) -> date:
    """Read ``DDMMYY`` or ``DDMMYYYY``; raise ``ValueError`` if it is no valid date."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) != (6 if kind == "date6" else 8):
        raise ValueError(f"not a {kind} date: {raw!r}")
    day, month, year = int(raw[0:2]), int(raw[2:4]), int(raw[4:])
    if kind == "date6":
        year += 1900 if year >= DATE6_FIRST_YEAR - 1900 else 2000
    return date(year, month, day)


def show_date(value: date, kind: Kind) -> str:
    """Write ``DDMMYY`` or ``DDMMYYYY``; raise ``ValueError`` if the field cannot hold the date."""
    if kind == "date6":
        if not DATE6_FIRST_YEAR <= value.year <= DATE6_LAST_YEAR:
            raise ValueError(f"year outside {DATE6_FIRST_YEAR}-{DATE6_LAST_YEAR}")
        return f"{value.day:02d}{value.month:02d}{value.year % 100:02d}"
    return f"{value.day:02d}{value.month:02d}{value.year:04d}"
