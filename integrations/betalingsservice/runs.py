"""Runs of body records of one layout, read with one regular-expression call per run.

A 0602 of a million payments is a million lines of one layout between one BS012 and its BS092.
The parser hands such a run (whole lines of the file text, each ending in a line feed) to a
:class:`RunDecoder`. One ``findall`` checks every line against the layout (constants, codes,
digits, exact length) and returns the lines; one ``itemgetter`` call per line cuts out its
fields in groups: fields whose values repeat from record to record (PBS number, transaction
code and debtor group; a date and its sign) form one group, read once by the field-by-field
reader and remembered (:class:`GroupMemo`). A builder written for the record class then stores
the values in the record's slots. No tuple outlives its line, so a run adds one object per
record for the cyclic garbage collector to track: the record.

If the run holds anything else (a faulty line, a blank line, a line too long) the rows are
fewer than the lines, or a remembered group fails to read (an impossible date): the parser then
reads the run line by line, which names the line and field at fault. So this path only ever
accepts what the line decoder accepts; the tests check that it returns the same records.

Only layouts that come in bulk have a run decoder: 0602 payments (automatic and slip) and 0603
mandates. Every attribute is assigned by name below, once per field, in a builder per class.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any, Generic, TypeVar

from .decoding import MEMO_LIMIT, field_pattern, unfrozen_twin
from .fields import Field
from .layout import Layout, field_problem, read_field
from .layouts import AUTOMATIC_PAYMENT, MANDATE, SLIP_PAYMENT
from .records import AutomaticPayment, Mandate, SlipPayment

R = TypeVar("R")
Row = tuple[str, ...]
Cutter = Callable[[str], Row]
Builder = Callable[[list[str], Cutter, tuple["GroupMemo", ...], type[Any], type[Any]], list[Any]]


class GroupMemo(dict[str, tuple[Any, ...]]):
    """The text of a group of adjacent fields -> their attribute values, read once.

    The text is checked here, not in the run's regular expression: every field as the
    field-by-field reader checks it (constants, digits, known codes, valid dates), and the
    transaction code against the codes the section allows. A fault raises ``ValueError``, which
    sends the run to the line-by-line path.
    """

    def __init__(self, fields: Sequence[Field], codes: Sequence[str]) -> None:
        super().__init__()
        offset = fields[0].start
        self.slices = tuple((f, f.start - offset, f.end - offset + 1) for f in fields)
        self.codes = frozenset(codes)

    def __missing__(self, raw: str) -> tuple[Any, ...]:
        for field, begin, end in self.slices:
            piece = raw[begin:end]
            if field_problem(field, piece) is not None:
                raise ValueError(f"{field.name}: {piece!r}")
            if field.name == "transaction_code" and piece not in self.codes:
                raise ValueError(f"{field.name}: {piece!r} not allowed here")
        values = tuple(
            read_field(field, raw[begin:end])
            for field, begin, end in self.slices
            if field.is_attribute
        )
        if len(self) >= MEMO_LIMIT:
            self.clear()
        self[raw] = values
        return values


class RunLayout(Generic[R]):
    """How runs of one layout are read: the groups of fields, which of them are remembered, and
    the builder that turns rows of group texts into records."""

    def __init__(
        self,
        layout: Layout[R],
        groups: Sequence[Sequence[str]],
        remembered: Sequence[int],
        build: Builder,
    ) -> None:
        self.layout = layout
        self.groups = tuple(tuple(group) for group in groups)
        self.remembered = tuple(remembered)
        self.build = build
        self.spans = self._spans()
        self.twin = unfrozen_twin(layout.record_type)

    def _spans(self) -> tuple[tuple[int, int], ...]:
        """Per group, the indexes of its first and last field in ``layout.fields``.

        Refuses groups that do not cover every attribute once, in order, each group adjacent
        fields (constants between them included).
        """
        names = [f.name for f in self.layout.fields]
        attributes = [f.name for f in self.layout.attributes]
        if [name for group in self.groups for name in group] != attributes:
            raise TypeError(f"{self.layout.name}: run groups must list {attributes} in order")
        spans = []
        for group in self.groups:
            first, last = names.index(group[0]), names.index(group[-1])
            inside = [f.name for f in self.layout.fields[first : last + 1] if f.is_attribute]
            if inside != list(group):
                raise TypeError(f"{self.layout.name}: run group {group} is not adjacent fields")
            spans.append((first, last))
        return tuple(spans)

    def pattern(self, codes: Sequence[str]) -> str:
        """The run pattern: a line feed, then one line of the layout (codes narrowed to
        ``codes``, trailing blanks optional), then an optional CR before the next line feed."""
        fields = self.layout.fields
        remembered = {self.spans[i][0]: self.spans[i][1] for i in self.remembered}
        parts = ["\n"]
        skip_to = 0
        for index, field in enumerate(fields):
            if index < skip_to:
                continue
            if index in remembered:  # checked by its memo, once per distinct text
                group_end = fields[remembered[index]].end
                parts.append(f".{{{group_end - field.start + 1}}}")
                skip_to = remembered[index] + 1
                continue
            narrowed = codes if field.name == "transaction_code" else None
            last = index == len(fields) - 1
            if last and field.constant is not None and not field.constant.strip():
                parts.append(f" {{0,{field.length}}}")  # trailing blanks may be stripped
            else:
                parts.append(field_pattern(field, text_checked=True, codes=narrowed))
        parts.append("\r?(?=\n)")
        return "".join(parts)

    def cutter(self) -> Cutter:
        """``cut(match)``: the texts of the groups of a matched line (which starts with its
        line feed, hence one position further right than the 1-based field positions)."""
        fields = self.layout.fields
        return itemgetter(
            *(slice(fields[first].start, fields[last].end + 1) for first, last in self.spans)
        )

    def memos(self, codes: Sequence[str]) -> tuple[GroupMemo, ...]:
        """Fresh memos for the remembered groups, in group order (``codes``: those allowed)."""
        return tuple(
            GroupMemo(self.layout.fields[self.spans[i][0] : self.spans[i][1] + 1], codes)
            for i in self.remembered
        )


class RunDecoder(Generic[R]):
    """Read a run of lines of one layout in one call; ``None`` where the run does not apply.

    Thread-safe: the memos only ever gain correct entries (or are cleared when full).
    """

    def __init__(self, run_layout: RunLayout[R], codes: Sequence[str]) -> None:
        assert run_layout.twin is not None, "a run decoder needs the unfrozen twin"
        self.run_layout = run_layout
        self._findall = re.compile(run_layout.pattern(codes)).findall
        self._cut = run_layout.cutter()
        self._memos = run_layout.memos(codes)
        self._build = run_layout.build
        self._twin = run_layout.twin
        self._cls = run_layout.layout.record_type

    def decode_run(self, text: str, start: int, stop: int) -> list[R] | None:
        """The records of the lines in ``text[start:stop]``, one per line; ``start`` is the
        index of the line feed before the first line, ``stop`` the index after the last line's
        line feed. ``None`` if any line is not a valid record of the layout.

        Each match is a line feed and one line, with no other line feed in it; the matches
        cover the text exactly (their lengths add up) only if every line matched.
        """
        assert 0 <= start < stop <= len(text) and text[start] == text[stop - 1] == "\n"
        lines: list[str] = self._findall(text, start, stop)
        if sum(map(len, lines)) != stop - 1 - start:
            return None
        try:
            return self._build(lines, self._cut, self._memos, self._twin, self._cls)
        except ValueError:  # a group its memo refused: an invalid date, a code not allowed
            return None


def run_decoder(layout: Layout[Any], codes: Sequence[str]) -> RunDecoder[Any] | None:
    """The run decoder of a layout narrowed to ``codes``, if the layout has one."""
    run_layout = RUN_LAYOUTS.get(layout.record_type)
    if run_layout is None or run_layout.twin is None:
        return None
    return RunDecoder(run_layout, codes)


# --- builders: one per record class, every attribute stored by name --------------------------

_new = object.__new__


def _automatic_payments(
    lines: list[str], cut: Cutter, memos: tuple[GroupMemo, ...], twin: type[Any], cls: type[Any]
) -> list[AutomaticPayment]:
    heads, dues, settled = memos
    records: list[AutomaticPayment] = []
    append = records.append
    for line in lines:
        head, customer, agreement, due, amount, reference, dates, paid = cut(line)
        record = _new(twin)
        record.pbs_number, record.transaction_code, record.debtor_group = heads[head]
        record.customer_number = customer.rstrip(" ")
        record.agreement_number = agreement
        record.payment_date, record.sign = dues[due]
        record.amount = value = int(amount)
        record.creditor_reference = reference.rstrip(" ")
        record.actual_payment_date, record.bookkeeping_date = settled[dates]
        record.amount_paid = value if paid == amount else int(paid)
        record.__class__ = cls
        append(record)
    return records


def _slip_payments(
    lines: list[str], cut: Cutter, memos: tuple[GroupMemo, ...], twin: type[Any], cls: type[Any]
) -> list[SlipPayment]:
    heads, slips, settled = memos
    records: list[SlipPayment] = []
    append = records.append
    for line in lines:
        head, customer, slip, amount, reference, archive, dates, paid = cut(line)
        record = _new(twin)
        record.pbs_number, record.transaction_code, record.debtor_group = heads[head]
        record.customer_number = customer.rstrip(" ")
        (record.slip_type, record.fee_code, record.fee, record.payment_date, record.sign) = slips[
            slip
        ]
        record.amount = value = int(amount)
        record.reference = reference.rstrip(" ")
        record.archive_reference = archive.rstrip(" ")
        record.actual_date, record.bookkeeping_date = settled[dates]
        record.amount_paid = value if paid == amount else int(paid)
        record.__class__ = cls
        append(record)
    return records


def _mandates(
    lines: list[str], cut: Cutter, memos: tuple[GroupMemo, ...], twin: type[Any], cls: type[Any]
) -> list[Mandate]:
    heads, periods = memos
    records: list[Mandate] = []
    append = records.append
    for line in lines:
        head, customer, agreement, period = cut(line)
        record = _new(twin)
        record.pbs_number, record.transaction_code, record.debtor_group = heads[head]
        record.customer_number = customer.rstrip(" ")
        record.agreement_number = agreement
        record.effective_date, record.end_date = periods[period]
        record.__class__ = cls
        append(record)
    return records


_HEAD = ("pbs_number", "transaction_code", "debtor_group")
RUN_LAYOUTS: dict[type[Any], RunLayout[Any]] = {
    AutomaticPayment: RunLayout(
        AUTOMATIC_PAYMENT,
        (
            _HEAD,
            ("customer_number",),
            ("agreement_number",),
            ("payment_date", "sign"),
            ("amount",),
            ("creditor_reference",),
            ("actual_payment_date", "bookkeeping_date"),
            ("amount_paid",),
        ),
        remembered=(0, 3, 6),
        build=_automatic_payments,
    ),
    SlipPayment: RunLayout(
        SLIP_PAYMENT,
        (
            _HEAD,
            ("customer_number",),
            ("slip_type", "fee_code", "fee", "payment_date", "sign"),
            ("amount",),
            ("reference",),
            ("archive_reference",),
            ("actual_date", "bookkeeping_date"),
            ("amount_paid",),
        ),
        remembered=(0, 2, 6),
        build=_slip_payments,
    ),
    Mandate: RunLayout(
        MANDATE,
        (_HEAD, ("customer_number",), ("agreement_number",), ("effective_date", "end_date")),
        remembered=(0, 3),
        build=_mandates,
    ),
}


def _probe(run_layout: RunLayout[Any]) -> None:
    """Refuse (at import) a builder that stores a value in the wrong attribute: decode a line
    whose every field holds a distinct value and compare with the field-by-field reader."""
    layout = run_layout.layout
    values = [_probe_value(field, index) for index, field in enumerate(layout.attributes)]
    record = layout.record_type(*values)
    line = layout.encode(record, "probe")
    decoder = run_decoder(layout, layout.codes)
    if decoder is None:
        return
    decoded = decoder.decode_run(f"\n{line}\n", 0, len(line) + 2)
    expected, issues = layout.read_fields(line, 1)
    if issues or decoded is None or decoded != [expected] or expected != record:
        raise TypeError(f"{layout.name}: the run builder disagrees with the layout")


def _probe_value(field: Field, index: int) -> Any:
    if field.enum is not None:
        members = list(field.enum)
        return members[index % len(members)]
    if field.kind == "X":
        return f"x{index}"[: field.length]
    if field.kind == "N" and field.digits:
        return str(index + 1).zfill(field.length)
    if field.kind == "N":
        return index + 1 if field.length > 1 else index % 10
    return date(2001, 1 + index % 12, 1 + index)


for _run_layout in RUN_LAYOUTS.values():
    _probe(_run_layout)
