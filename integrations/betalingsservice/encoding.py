"""Write attribute values into fixed-width fields: one specialised encoder per field.

Each encoder checks its value strictly (exact types, widths, printable ISO-8859-1, no trailing
blanks that the format would lose, dates the field can hold) and raises ``ValueError`` saying
why a value cannot be written; :meth:`~.layout.Layout.encode` adds the record and field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from .decoding import code_table
from .fields import PRINTABLE_CLASS, Field, show_date

Encoder = Callable[[object], str]

_PRINTABLE = re.compile(f"[{PRINTABLE_CLASS}]*").fullmatch
_DATE_MEMO_LIMIT = 50_000


def field_encoder(field: Field) -> Encoder:
    """The encoder of an attribute field."""
    assert field.constant is None, f"{field.name} is a constant, not an attribute"
    if field.enum is not None:
        return _code_encoder(field)
    if field.kind == "X":
        return _text_encoder(field.length)
    if field.kind == "N":
        return _digits_encoder(field.length) if field.digits else _int_encoder(field.length)
    return _date_encoder(field)


def _code_encoder(field: Field) -> Encoder:
    enum = field.enum
    assert enum is not None
    table = {member: wire for wire, member in code_table(field).items()}

    def encode_code(value: object) -> str:
        if type(value) is not enum:  # a bare "0236" or 1 is not a code
            raise ValueError(f"not a {enum.__name__}")
        return table[value]

    return encode_code


def _text_encoder(length: int) -> Encoder:
    def encode_text(value: object) -> str:
        if type(value) is not str:
            raise ValueError("not a str")
        if len(value) > length:
            raise ValueError(f"longer than {length} characters")
        if not _PRINTABLE(value):
            bad = next(c for c in value if not _PRINTABLE(c))
            raise ValueError(f"character {bad!r} is a control character or not in ISO-8859-1")
        if value[-1:] == " ":
            raise ValueError("ends in blanks, which the format cannot keep")
        return value.ljust(length)

    return encode_text


def _digits_encoder(length: int) -> Encoder:
    def encode_digits(value: object) -> str:
        if not (
            type(value) is str and len(value) == length and value.isascii() and value.isdigit()
        ):
            raise ValueError(f"not a string of exactly {length} digits")
        return value

    return encode_digits


def _int_encoder(length: int) -> Encoder:
    limit = 10**length
    spec = f"0{length}d"

    def encode_int(value: object) -> str:
        if type(value) is not int:  # no bool, no float
            raise ValueError("not an int")
        if not 0 <= value < limit:
            raise ValueError(f"outside 0..{limit - 1}")
        return format(value, spec)

    return encode_int


def _date_encoder(field: Field) -> Encoder:
    kind, optional, zeros = field.kind, field.optional, "0" * field.length
    memo: dict[date, str] = {}

    def encode_date(value: object) -> str:
        if value is None and optional:
            return zeros
        if type(value) is not date:  # a datetime would lose its time silently
            raise ValueError("not a date")
        text = memo.get(value)
        if text is None:
            text = show_date(value, kind)
            if len(memo) < _DATE_MEMO_LIMIT:
                memo[value] = text
        return text

    return encode_date
