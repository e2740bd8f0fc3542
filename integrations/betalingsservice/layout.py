"""A record layout: one :class:`Layout` reads and writes one record class.

Reading has a fast path, the line decoder (:mod:`.decoding`: one regular expression per line),
and a plain field-by-field reader (:meth:`Layout.read_fields`) that names the field at fault
when the fast path refuses a line, and against which the tests check the fast path.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from .decoding import LineDecoder, code_table
from .encoding import field_encoder
from .errors import BsWriteError, Issue
from .fields import (
    PRINTABLE_CLASS,
    RECORD_LENGTH,
    Field,
    read_date,
    wire_code,
)

R = TypeVar("R")

_PRINTABLE = re.compile(f"[{PRINTABLE_CLASS}]*")


class LayoutError(TypeError):
    """A layout definition that contradicts itself or its record class (a programming error)."""


class Layout(Generic[R]):
    """The field layout of one record class: decode a line, diagnose it, encode a record."""

    def __init__(self, record_type: type[R], fields: Iterable[Field]) -> None:
        self.record_type = record_type
        self.fields: tuple[Field, ...] = tuple(fields)
        self._check_definition()
        self.attributes = tuple(f for f in self.fields if f.is_attribute)
        self.record_kind = self._text_at(1, 5)  # "BS042"
        self.codes = self._codes_at_14()  # transaction/section codes this layout can hold
        self.decode: LineDecoder[R] = LineDecoder(record_type, self.fields, text_checked=False)
        self.decode_checked_text: LineDecoder[R] = LineDecoder(
            record_type, self.fields, text_checked=True
        )
        self.decoder_source = self.decode.describe()  # for review and error reports
        self._encoders = tuple(
            (f.name, f.constant or "", None if f.constant is not None else field_encoder(f))
            for f in self.fields
        )
        self._constants = tuple(
            (f.start - 1, f.end, f.constant) for f in self.fields if f.constant is not None
        )

    @property
    def name(self) -> str:
        """The record class name, for messages."""
        return self.record_type.__name__

    def _check_definition(self) -> None:
        """Refuse a layout whose fields do not tile 1-128 or do not match the record class.

        Explicit checks rather than ``assert``: they must hold under ``python -O`` too.
        """
        position = 1
        for field in self.fields:
            if field.start != position or field.length <= 0:
                raise LayoutError(
                    f"{self.name}: {field.name} at {field.start}, expected {position}"
                )
            position = field.end + 1
        if position != RECORD_LENGTH + 1:
            raise LayoutError(f"{self.name}: fields end at {position - 1}, not {RECORD_LENGTH}")
        names = tuple(f.name for f in self.fields if f.is_attribute)
        declared = tuple(f.name for f in dataclasses.fields(self.record_type))  # type: ignore[arg-type]
        if names != declared:
            raise LayoutError(f"{self.name}: layout fields {names} != class fields {declared}")

    def _text_at(self, start: int, length: int) -> str:
        """The constant text at a position (the record kind)."""
        for field in self.fields:
            if field.start == start and field.length == length and field.constant is not None:
                return field.constant
        raise AssertionError(f"{self.name}: no constant at {start}")

    def _codes_at_14(self) -> tuple[str, ...]:
        """The codes this layout can carry at positions 14-17 (transaction or section code)."""
        field = next(f for f in self.fields if f.start == 14)
        if field.constant is not None:
            return (field.constant,)
        if field.enum is not None:
            return tuple(wire_code(member, field.length) for member in field.enum)
        return ()

    # --- reading -----------------------------------------------------------------------------

    def constants_match(self, line: str) -> bool:
        """Whether the line has this layout's constant fields (to choose between layouts)."""
        return all(line[start:end] == content for start, end, content in self._constants)

    def read_fields(self, line: str, line_number: int) -> tuple[R | None, list[Issue]]:
        """Read a padded line field by field: the record, or ``None`` and every problem."""
        issues = [
            Issue(line_number, field.name, raw, problem)
            for field in self.fields
            for raw in (line[field.start - 1 : field.end],)
            if (problem := field_problem(field, raw)) is not None
        ]
        if issues:
            return None, issues
        values = [read_field(f, line[f.start - 1 : f.end]) for f in self.attributes]
        return self.record_type(*values), []

    def diagnose(self, line: str, line_number: int) -> list[Issue]:
        """Every field-level problem of a line that the decoder refused."""
        _, issues = self.read_fields(line, line_number)
        return issues or [Issue(line_number, "record", None, f"does not match {self.name}")]

    # --- writing -----------------------------------------------------------------------------

    def encode(self, record: R, where: str) -> str:
        """The 128-character line of a record; raise :class:`BsWriteError` naming the field."""
        if type(record) is not self.record_type:
            raise BsWriteError(f"{where}: expected {self.name}, got {type(record).__name__}")
        parts = []
        for name, constant, encode in self._encoders:
            if encode is None:
                parts.append(constant)
                continue
            value = getattr(record, name)
            try:
                parts.append(encode(value))
            except ValueError as error:
                raise BsWriteError(f"{where}, field {name}: {error}: {value!r}") from None
        line = "".join(parts)
        assert len(line) == RECORD_LENGTH, f"{self.name} encoded to {len(line)} characters"
        return line


def read_field(field: Field, raw: str) -> Any:
    """The value of a field whose text :func:`field_problem` accepts."""
    if field.enum is not None:
        return code_table(field)[raw]
    if field.kind == "N":
        return raw if field.digits else int(raw)
    if field.kind == "X":
        return raw.rstrip(" ")
    if field.optional and raw.count("0") == len(raw):
        return None
    return read_date(raw, field.kind)


def field_problem(field: Field, raw: str) -> str | None:
    """What is wrong with a field's text, or ``None`` if it is valid."""
    if field.constant is not None:
        return None if raw == field.constant else f"expected {field.constant!r}, found"
    if not _PRINTABLE.fullmatch(raw):
        return "contains a control or non-ISO-8859-1 character"
    if field.kind == "X":
        return None
    if not (raw.isascii() and raw.isdigit()):
        return "not numeric"
    if field.enum is not None:
        return None if raw in code_table(field) else "unknown code"
    if field.kind in ("date6", "date8"):
        if field.optional and raw.count("0") == len(raw):
            return None
        try:
            read_date(raw, field.kind)
        except ValueError:
            return "invalid date"
    return None
