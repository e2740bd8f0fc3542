"""Parse a Betalingsservice delivery file (0601, 0602, 0603) into a :class:`~.delivery.Delivery`.

Pure: bytes in, a delivery or a :class:`~.errors.BsFormatError` out. The parser reads the whole
file and reports every problem it finds (up to :data:`~.errors.MAX_ISSUES`), each with its line
number, field and value; it never returns a partly read delivery.

Input: ISO-8859-1, lines ended by CRLF or LF, trailing blanks of a line possibly stripped (the
line is padded back to 128), blank lines after the last record ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from .codes import DeliveryType, SectionCode
from .decoding import LineMismatch
from .delivery import Delivery, Section
from .errors import MAX_ISSUES, BsFormatError, Issue
from .fields import RECORD_LENGTH
from .layout import Layout
from .layouts import DELIVERY_END, DELIVERY_START
from .lines import is_blank, is_printable, line_chunks, text_chunks
from .records import BodyRecord, DeliveryEnd, DeliveryStart, SectionEnd, SectionStartRecord
from .runs import RunDecoder
from .structure import (
    BODY_RECORD_KINDS,
    DELIVERY_SECTIONS,
    DISPATCH,
    SECTION_END_LAYOUT,
    SECTION_START_LAYOUT,
    ZERO_TOTALS,
    Totals,
    section_problems,
    section_totals,
)

MAX_LINES = 10_000_000
MAX_FILE_BYTES = MAX_LINES * (RECORD_LENGTH + 2)


def parse(data: bytes) -> Delivery:
    """Read a delivery file; raise :class:`BsFormatError` listing every problem found."""
    if not isinstance(data, bytes):
        raise TypeError(f"parse() needs bytes, got {type(data).__name__}")
    if len(data) > MAX_FILE_BYTES:
        raise BsFormatError([Issue(None, "file", None, f"larger than {MAX_FILE_BYTES} bytes")])
    if len(data) > MAX_LINES and data.count(b"\n") + (not data.endswith(b"\n")) > MAX_LINES:
        raise BsFormatError([Issue(None, "file", None, f"more than {MAX_LINES} lines")])
    if not data.lstrip(b" \r\n"):  # (lstrip returns the same object if nothing leads)
        raise BsFormatError([Issue(None, "file", None, "empty: no records")])
    return _Parser(text_checked=is_printable(data)).run(data)


# A control record (delivery or section start or end) at the start of a line.
_CONTROL_LINE = re.compile("\nBS(?:002|012|092|992)").search


class _TooManyIssues(Exception):
    """Raised internally when the issue list is full."""


class _Parser:
    """The state of one parse: the open section, the finished sections, the issues."""

    def __init__(self, *, text_checked: bool) -> None:
        self.text_checked = text_checked
        self.line_count = 0
        self.blank_lines: list[int] = []
        self.issues: list[Issue] = []
        self.start: DeliveryStart | None = None
        self.delivery_type = DeliveryType.COLLECTION
        self.sections: list[Section] = []
        self.sections_started = 0
        self.complete = True  # every section so far was read without error
        self.totals = ZERO_TOTALS
        self.ended_at: int | None = None
        # The open section (between BS012 and BS092).
        self.open_line: int | None = None
        self.open_start: SectionStartRecord | None = None
        self.open_code: SectionCode | None = None
        self.records: list[BodyRecord] = []
        self.decode: Callable[[str], BodyRecord] = _outside_section
        self.run_decoder: RunDecoder[Any] | None = None

    def run(self, data: bytes) -> Delivery:
        """Parse all lines; raise :class:`BsFormatError` if anything is wrong."""
        try:
            if self.text_checked:
                self._read_texts(text_chunks(data))
            else:
                self._read_lines(line_chunks(data, printable=False))
            self._check_ending()
        except _TooManyIssues:
            raise BsFormatError(self._in_line_order(), truncated=True) from None
        if self.issues:
            raise BsFormatError(self._in_line_order())
        assert self.start is not None and self.ended_at is not None
        return Delivery(
            delivery_type=self.start.delivery_type,
            data_supplier_cvr=self.start.data_supplier_cvr,
            delivery_serial=self.start.delivery_serial,
            created=self.start.created,
            sections=tuple(self.sections),
        )

    # --- helpers -----------------------------------------------------------------------------

    def _in_line_order(self) -> list[Issue]:
        return sorted(self.issues, key=lambda issue: issue.line or 0)

    def _add(self, line: int | None, field: str, value: str | None, problem: str) -> None:
        self.issues.append(Issue(line, field, value, problem))
        if len(self.issues) >= MAX_ISSUES:
            raise _TooManyIssues

    def _extend(self, issues: list[Issue]) -> None:
        for issue in issues:
            self._add(issue.line, issue.field, issue.value, issue.problem)

    def _padded(self, line: str, number: int) -> str | None:
        """The line right-padded to 128; ``None`` for a blank line (noted) or a longer one."""
        if len(line) > RECORD_LENGTH:
            self._add(number, "record_length", None, f"{len(line)} characters, more than 128")
            return None
        if is_blank(line):
            self.blank_lines.append(number)
            return None
        return line.ljust(RECORD_LENGTH)

    def _decode(self, layout: Layout[Any], line: str, number: int) -> Any:
        """Decode a control record, or record its issues and return ``None``."""
        try:
            return layout.decode(line)
        except (ValueError, KeyError):
            self._extend(layout.diagnose(line, number))
            return None

    # --- BS002 -------------------------------------------------------------------------------

    def _read_delivery_start(self, first_line: str) -> None:
        line = self._padded(first_line, 1)
        if line is None:
            if not self.issues:  # a blank first line
                problem = "the first record must be BS002 (delivery start), found"
                self.issues.append(Issue(1, "record_type", first_line[:5], problem))
            raise BsFormatError(self.issues)
        if line[:5] != "BS002":
            problem = "the first record must be BS002 (delivery start), found"
            raise BsFormatError([Issue(1, "record_type", line[:5], problem)])
        self.start = self._decode(DELIVERY_START, line, 1)
        if self.start is not None:
            self.delivery_type = self.start.delivery_type
        elif line[16:20] in set(DeliveryType):
            self.delivery_type = DeliveryType(line[16:20])
        else:
            raise BsFormatError(self.issues)

    # --- the hot loop ------------------------------------------------------------------------

    def _read_texts(self, texts: Iterable[str]) -> None:
        """Every line of a printable file (pieces from ``text_chunks``).

        Inside a section of one bulk layout, the rest of the piece is first tried as one run;
        else control records are read one by one and the lines between them as runs.
        """
        number = 0
        for text in texts:
            pos, end = 1, len(text)
            if number == 0:
                line_end = text.index("\n", 1)
                self._read_delivery_start(_line(text, 1, line_end))
                number, pos = 1, line_end + 1
            while pos < end:
                read = (
                    0
                    if _ends_in_control_line(text, pos, end)
                    else self._run_of_records(text, pos, end)
                )
                if read:
                    number += read
                    break
                control = _CONTROL_LINE(text, pos - 1)
                stop = end if control is None else control.start() + 1
                if stop > pos:
                    number = self._read_run(text, pos, stop, number)
                if control is None:
                    break
                line_end = text.index("\n", stop)
                number += 1
                self._read_line(_line(text, stop, line_end), number)
                pos = line_end + 1
        self.line_count = number

    def _run_of_records(self, text: str, pos: int, stop: int) -> int:
        """Read ``text[pos:stop]`` in one call if every line is a body record the open section's
        run decoder takes; return the number of lines read (0: nothing read)."""
        if self.run_decoder is None:
            return 0
        records = self.run_decoder.decode_run(text, pos - 1, stop)
        if records is None:
            return 0
        self.records.extend(records)
        return len(records)

    def _read_run(self, text: str, pos: int, stop: int, number: int) -> int:
        """The lines ``text[pos:stop]`` (no control record among them), after line ``number``,
        as one run if they are all records of the open section, else line by line (which names
        every fault). Returns the number of the last line read."""
        read = self._run_of_records(text, pos, stop)
        if read:
            return number + read
        for line in text[pos:stop].splitlines():
            number += 1
            self._read_line(line, number)
        return number

    def _read_lines(self, chunks: Iterable[list[str]]) -> None:
        """Every line of a file with control characters or stray CRs, one by one."""
        number = 0
        for lines in chunks:
            for line in lines:
                number += 1
                if number == 1:
                    self._read_delivery_start(line)
                else:
                    self._read_line(line, number)
        self.line_count = number

    def _read_line(self, line: str, number: int) -> None:
        """One line after BS002: a body record of the open section, or anything else aside."""
        if len(line) != RECORD_LENGTH:
            padded = self._padded(line, number)
            if padded is None:
                return
            line = padded
        try:
            self.records.append(self.decode(line))
        except (ValueError, KeyError):
            self._not_decoded(line, number)

    def _not_decoded(self, line: str, number: int) -> None:
        """A line the open section's decoder refused: a faulty body record or a control record."""
        if is_blank(line):
            self.blank_lines.append(number)
            return
        key = line[:5] + line[13:17]
        if self.open_code is not None and key in DISPATCH[self.open_code].diagnosers:
            self.complete = False
            self._extend(DISPATCH[self.open_code].diagnosers[key](line, number))
        else:
            self._control(line, number)

    # --- control records and strays ----------------------------------------------------------

    def _control(self, line: str, number: int) -> None:
        kind = line[:5]
        if self.ended_at is not None:
            self._add(number, "record_type", kind, f"record after BS992 at line {self.ended_at}:")
        elif kind == "BS012":
            self._section_start(line, number)
        elif kind == "BS092":
            self._section_end(line, number)
        elif kind == "BS992":
            self._delivery_end(line, number)
        elif kind in BODY_RECORD_KINDS:
            self._stray_body_record(line, number)
        elif kind == "BS002":
            self._add(number, "record_type", kind, "a second delivery start:")
        else:
            self._add(number, "record_type", kind, "unknown record type")

    def _stray_body_record(self, line: str, number: int) -> None:
        """A body record no decoder of the open section takes."""
        if self.open_line is None:
            self._add(number, "record_type", line[:5], "record outside a section (no BS012):")
            return
        if self.open_code is None:
            return  # the section start was refused already; skip its records quietly
        self.complete = False
        code = line[13:17]
        known = {
            key[5:]
            for section in DELIVERY_SECTIONS[self.delivery_type]
            for key in DISPATCH[section].diagnosers
            if key[:5] == line[:5]
        }
        if code in known:
            problem = f"code not allowed in section {self.open_code.value}:"
            self._add(number, "transaction_code", code, problem)
        else:
            self._add(number, "transaction_code", code, "unknown code")

    # --- sections ----------------------------------------------------------------------------

    def _section_start(self, line: str, number: int) -> None:
        if self.open_line is not None:
            problem = f"section of line {self.open_line} has no BS092 before this BS012:"
            self._add(number, "record_type", line[:5], problem)
            self.complete = False
        self.sections_started += 1
        self.open_line, self.records = number, []
        self.open_start = self._decode(SECTION_START_LAYOUT[self.delivery_type], line, number)
        raw = line[13:17]
        allowed = {section.value for section in DELIVERY_SECTIONS[self.delivery_type]}
        if raw in allowed:
            self.open_code = SectionCode(raw)
            dispatch = DISPATCH[self.open_code]
            self.decode = dispatch.decode_checked_text if self.text_checked else dispatch.decode
            self.run_decoder = dispatch.run if self.text_checked else None
            return
        if raw in set(SectionCode):
            problem = f"section not allowed in delivery {self.delivery_type.value}:"
            self._add(number, "section", raw, problem)
        self.open_code, self.decode, self.run_decoder = None, _outside_section, None
        self.complete = False

    def _close_section(self) -> None:
        self.open_line, self.open_start, self.open_code = None, None, None
        self.records, self.decode, self.run_decoder = [], _outside_section, None

    def _section_end(self, line: str, number: int) -> None:
        if self.open_line is None:
            self._add(number, "record_type", line[:5], "section end without a BS012 before it:")
            return
        layout = SECTION_END_LAYOUT[self.delivery_type]
        end: SectionEnd | None = self._decode(layout, line, number)
        start, records, start_line = self.open_start, self.records, self.open_line
        self._close_section()
        if end is None or start is None or not self.complete:
            self.complete = False
            return
        for name in ("pbs_number", "section", "debtor_group"):
            if getattr(end, name) != getattr(start, name):
                problem = f"differs from BS012 at line {start_line}:"
                self._add(number, name, _raw(layout, line, name), problem)
        for index, field, value, problem in section_problems(start, records, MAX_ISSUES):
            self._add(start_line + 1 + index, field, value, problem)
        computed = section_totals(records)
        gross = self.delivery_type is DeliveryType.PAYMENT_INFORMATION
        self._compare_totals(end, layout, line, number, computed, skip_amount=gross)
        self.sections.append(Section(start, tuple(records), end.amount if gross else None))
        self.totals = self.totals.plus(computed._replace(amount=end.amount) if gross else computed)

    def _compare_totals(
        self,
        declared: SectionEnd | DeliveryEnd,
        layout: Layout[Any],
        line: str,
        number: int,
        computed: Totals,
        *,
        skip_amount: bool = False,
    ) -> None:
        """BS092/BS992 counts and amount against what the records add up to."""
        scope = "section" if isinstance(declared, SectionEnd) else "delivery"
        for name in Totals._fields:
            if skip_amount and name == "amount":
                continue
            if getattr(declared, name) != getattr(computed, name):
                problem = f"the {scope} adds up to {getattr(computed, name)}, but the record says"
                self._add(number, name, _raw(layout, line, name), problem)

    # --- BS992 and the end of the file -------------------------------------------------------

    def _delivery_end(self, line: str, number: int) -> None:
        if self.open_line is not None:
            problem = f"section of line {self.open_line} has no BS092 before BS992:"
            self._add(number, "record_type", line[:5], problem)
            self._close_section()
            self.complete = False
        self.ended_at = number
        end: DeliveryEnd | None = self._decode(DELIVERY_END, line, number)
        if end is None or self.start is None:
            return
        for name in ("data_supplier_cvr", "delivery_type"):
            if getattr(end, name) != getattr(self.start, name):
                self._add(number, name, _raw(DELIVERY_END, line, name), "differs from BS002:")
        if self.sections_started == 0:
            problem = "a delivery needs at least one section; found"
            self._add(number, "section_count", _raw(DELIVERY_END, line, "section_count"), problem)
        if self.complete and end.section_count != self.sections_started:
            problem = f"the delivery has {self.sections_started} sections, but the record says"
            self._add(number, "section_count", _raw(DELIVERY_END, line, "section_count"), problem)
        if self.complete:
            self._compare_totals(end, DELIVERY_END, line, number, self.totals)

    def _check_ending(self) -> None:
        """Blank lines inside the delivery, and a file that ends too early."""
        last = self.line_count
        while self.blank_lines and self.blank_lines[-1] == last:
            self.blank_lines.pop()  # blank lines after the last record are allowed
            last -= 1
        for number in self.blank_lines:
            self._add(number, "record_type", None, "blank line inside the delivery")
        if self.open_line is not None:
            problem = f"the section of line {self.open_line} has no BS092 (section end)"
            self._add(last, "record_type", None, problem)
        if self.ended_at is None:
            problem = "the file ends without BS992 (delivery end): truncated?"
            self._add(last, "record_type", None, problem)


def _outside_section(line: str) -> BodyRecord:
    """The decoder outside a section: reads nothing."""
    raise LineMismatch("no section is open")


def _ends_in_control_line(text: str, pos: int, end: int) -> bool:
    """Whether the last line of ``text[pos:end]`` is a control record (as at the end of a file,
    where trying the whole piece as one run would be wasted work)."""
    last = text.rfind("\n", pos - 1, end - 1) + 1
    return text.startswith(_CONTROL_KINDS, last)


_CONTROL_KINDS = ("BS002", "BS012", "BS092", "BS992")


def _line(text: str, start: int, end: int) -> str:
    """The line ``text[start:end]`` without the CR of its CRLF."""
    return text[start : end - 1] if text[end - 1 : end] == "\r" else text[start:end]


def _raw(layout: Layout[Any], line: str, name: str) -> str:
    """The text of a named field in a line."""
    field = next(f for f in layout.fields if f.name == name)
    return line[field.start - 1 : field.end]
