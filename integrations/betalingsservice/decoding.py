"""Compile the fast decoder of a record layout.

A decoder matches a whole 128-character line against one regular expression built from the
fields (every N field digits, every constant in place, every code known) and builds the record
from the captured groups. The decoder's source is generated from the field list, the technique
``dataclasses`` uses for ``__init__``: no per-field Python call, no per-field loop. The source is
kept (``Layout.decoder_source``) for review, and the tests check the decoder against the plain
field-by-field reader (``Layout.read_fields``) on generated lines.

Two variants exist per layout: the strict one checks that text fields hold printable ISO-8859-1
only; the other leaves that to the caller, which has checked the whole file at once (much
faster than character classes in every line).
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from .fields import PRINTABLE_CLASS, Field, Kind, read_date, wire_code

R = TypeVar("R")

# Distinct dates remembered per date kind; dates repeat in a delivery, the memo need not grow.
_DATE_MEMO_LIMIT = 50_000


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
        if len(self) < _DATE_MEMO_LIMIT:
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


def field_pattern(field: Field, *, text_checked: bool) -> str:
    """The regular expression for one field; attribute fields are captured."""
    if field.constant is not None:
        return re.escape(field.constant)
    if field.enum is not None:
        return "(" + "|".join(re.escape(wire) for wire in code_table(field)) + ")"
    if field.kind == "X":
        return (
            f"(.{{{field.length}}})" if text_checked else f"([{PRINTABLE_CLASS}]{{{field.length}}})"
        )
    return f"([0-9]{{{field.length}}})"


def _conversion(index: int, field: Field, namespace: dict[str, Any]) -> str:
    """The expression converting captured group ``f<index>``; helpers go into ``namespace``."""
    group = f"f{index}"
    if field.enum is not None:
        namespace[f"codes{index}"] = code_table(field)
        return f"codes{index}[{group}]"
    if field.kind == "N" and field.shared:
        return f"intern({group})"
    if field.kind == "N":
        return group if field.digits else f"int({group})"
    if field.kind == "X":
        return f"{group}.rstrip(' ')"
    namespace[f"dates{index}"] = DATE_MEMOS[(field.kind, field.optional)]
    return f"dates{index}[{group}]"


def compile_decoder(
    record_type: type[R], fields: Sequence[Field], *, text_checked: bool
) -> tuple[Callable[[str], R], str]:
    """The decoder function of a layout and its source."""
    name = record_type.__name__
    assert name.isidentifier(), name
    pattern = "".join(field_pattern(f, text_checked=text_checked) for f in fields)
    namespace: dict[str, Any] = {
        "fullmatch": re.compile(pattern).fullmatch,
        "LineMismatch": LineMismatch,
        "cls": record_type,
        "intern": sys.intern,
    }
    attributes = [f for f in fields if f.constant is None]
    groups = ", ".join(f"f{index}" for index in range(len(attributes)))
    values = ", ".join(_conversion(index, f, namespace) for index, f in enumerate(attributes))
    twin = unfrozen_twin(record_type)
    if twin is None:
        build = f"    return cls({values})\n"
    else:
        namespace["twin"] = twin
        build = f"    record = twin({values})\n    record.__class__ = cls\n    return record\n"
    source = (
        f"def decode_{name}(line):\n"
        f"    match = fullmatch(line)\n"
        f"    if match is None:\n"
        f"        raise LineMismatch({name!r})\n"
        f"    {groups}, = match.groups()\n"
        f"{build}"
    )
    exec(compile(source, f"<decoder of {name}>", "exec"), namespace)
    decoder: Callable[[str], R] = namespace[f"decode_{name}"]
    return decoder, source


def unfrozen_twin(cls: type[Any]) -> type[Any] | None:
    """An unfrozen class with ``cls``'s slots, whose instances may become ``cls`` instances.

    A frozen dataclass ``__init__`` sets each field through ``object.__setattr__``, about ten
    times the cost of a plain attribute store. The decoder constructs the twin and then assigns
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
