"""The line decoder of a record layout: one regular expression, one converter per field.

A :class:`LineDecoder` matches a whole 128-character line against one regular expression built
from the fields (every N field digits, every constant in place, every code known), then converts
the captured groups with one converter per attribute (a code table, ``int``, a date memo, ...)
and builds the record through :func:`record_builder`. Plain code, no generated source; the
tests check it against the field-by-field reader (``Layout.read_fields``) on generated lines.

Two variants exist per layout: the strict one checks that text fields hold printable ISO-8859-1
only; the other leaves that to the caller, which has checked the whole file at once (much
faster than character classes in every line).

Runs of many lines of one layout (a 0602 of a million payments) take the faster path of
:mod:`.runs`; this decoder reads the rest: control records, 0601 sections, faulty lines.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from operator import call, methodcaller
from typing import Any, Generic, TypeVar

from .fields import PRINTABLE_CLASS, Field, Kind, read_date, wire_code

R = TypeVar("R")

# Distinct values a memo keeps; when full it starts afresh (values repeat within a delivery).
MEMO_LIMIT = 50_000


class LineMismatch(ValueError):
    """A line does not match the layout; ``Layout.diagnose`` says which field is wrong."""


class DateMemo(dict[str, date | None]):
    """``"DDMMYY" -> date`` (or ``None`` for zeros in an optional field), remembered."""

    def __init__(self, kind: Kind, *, optional: bool) -> None:
        super().__init__()
        self.kind: Kind = kind
        self.optional = optional

    def __missing__(self, raw: str) -> date | None:
        value = None if self.optional and raw.count("0") == len(raw) else read_date(raw, self.kind)
        if len(self) >= MEMO_LIMIT:
            self.clear()
        self[raw] = value
        return value


DATE_MEMOS = {
    (kind, optional): DateMemo(kind, optional=optional)
    for kind in ("date6", "date8")
    for optional in (False, True)
}


def code_table(field: Field) -> dict[str, Any]:
    """``text in the file -> enum member`` for a code field."""
    assert field.enum is not None, f"{field.name} is not a code field"
    return {wire_code(member, field.length): member for member in field.enum}


def field_pattern(field: Field, *, text_checked: bool, codes: Iterable[str] | None = None) -> str:
    """The regular expression of one field (uncaptured); ``codes`` narrows a code field."""
    if field.constant is not None:
        return re.escape(field.constant)
    if field.enum is not None:
        allowed = tuple(code_table(field)) if codes is None else tuple(codes)
        return "(?:" + "|".join(re.escape(wire) for wire in allowed) + ")"
    if field.kind == "X":
        return f".{{{field.length}}}" if text_checked else f"[{PRINTABLE_CLASS}]{{{field.length}}}"
    return f"[0-9]{{{field.length}}}"


def field_converter(field: Field) -> Callable[[str], Any]:
    """The function turning a field's matched text into the attribute value."""
    if field.enum is not None:
        return code_table(field).__getitem__
    if field.kind == "N" and field.shared:
        return sys.intern
    if field.kind == "N":
        return str if field.digits else int  # str() of a str is the str itself
    if field.kind == "X":
        return methodcaller("rstrip", " ")
    return DATE_MEMOS[(field.kind, field.optional)].__getitem__


def unfrozen_twin(cls: type[Any]) -> type[Any] | None:
    """An unfrozen class with ``cls``'s slots, whose instances may become ``cls`` instances.

    A frozen dataclass ``__init__`` sets each field through ``object.__setattr__``, about ten
    times the cost of a plain attribute store. A decoder constructs the twin and then assigns
    ``record.__class__ = cls`` (Python allows it between classes of identical slot layout); the
    result is an ordinary frozen ``cls`` instance. Returns ``None`` (use ``cls`` itself) if this
    interpreter refuses the switch or the result differs from ``cls(...)``.
    """
    fields = dataclasses.fields(cls)
    twin = dataclasses.make_dataclass(
        f"_Unfrozen{cls.__name__}",
        [(f.name, f.type) for f in fields],
        slots=True,
        eq=False,
        repr=False,
        match_args=False,
    )
    probe = tuple(range(len(fields)))
    try:
        record = twin(*probe)
        record.__class__ = cls
    except TypeError:
        return None
    ordinary = cls(*probe)
    if type(record) is not cls or record != ordinary or hash(record) != hash(ordinary):
        return None
    return twin


def record_builder(cls: type[R]) -> Callable[..., R]:
    """``build(*values)``: a ``cls`` record from its attribute values, by the fastest safe way."""
    twin = unfrozen_twin(cls)
    if twin is None:
        return cls

    def build(*values: Any) -> R:
        record = twin(*values)
        record.__class__ = cls
        return record  # type: ignore[no-any-return]

    return build


class LineDecoder(Generic[R]):
    """Decode one padded line into a record; raise ``ValueError``/``KeyError`` if it does not fit.

    ``LineMismatch`` when the line does not match the layout's pattern; ``ValueError`` from a
    date memo for an impossible date (``31 02``). Either way the caller asks
    ``Layout.diagnose`` which field is at fault.
    """

    def __init__(self, record_type: type[R], fields: Sequence[Field], *, text_checked: bool):
        self.name = record_type.__name__
        self.pattern = "".join(
            f"({field_pattern(f, text_checked=text_checked)})"
            if f.is_attribute
            else field_pattern(f, text_checked=text_checked)
            for f in fields
        )
        self._fullmatch = re.compile(self.pattern).fullmatch
        self._attributes = tuple(f for f in fields if f.is_attribute)
        self._converters = tuple(field_converter(f) for f in self._attributes)
        self._build = record_builder(record_type)

    def __call__(self, line: str) -> R:
        match = self._fullmatch(line)
        if match is None:
            raise LineMismatch(self.name)
        return self._build(*map(call, self._converters, match.groups()))

    def describe(self) -> str:
        """How this decoder reads a line: its pattern and each attribute's conversion."""
        conversions = ", ".join(f"{f.name}: {_conversion_name(f)}" for f in self._attributes)
        return f"decode_{self.name}: fullmatch {self.pattern!r}; then {conversions}"


def _conversion_name(field: Field) -> str:
    if field.enum is not None:
        return f"code {field.enum.__name__}"
    if field.kind == "N":
        return "shared digits" if field.shared else "digits" if field.digits else "int"
    if field.kind == "X":
        return "text, trailing blanks dropped"
    return f"{field.kind}{' or None' if field.optional else ''}"
