"""Errors of the Betalingsservice record layer.

A file that breaks the format raises :class:`BsFormatError` carrying every :class:`Issue` found
(line number, field, value). A delivery or builder input that cannot be written raises
:class:`BsWriteError`. Both are ``ValueError``: bad input, not a bug.
"""

from __future__ import annotations

from dataclasses import dataclass

# More issues than this in one file are not worth listing: the parser stops collecting.
MAX_ISSUES = 100
_SHOWN_IN_MESSAGE = 20


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in an input file: where (line, field), what was there, and what is wrong."""

    line: int | None  # 1-based line number; None for the file as a whole
    field: str
    value: str | None  # the field's text as found, if there is one to show
    problem: str

    def __str__(self) -> str:
        where = "file" if self.line is None else f"line {self.line}"
        shown = "" if self.value is None else f" {self.value!r}"
        return f"{where}, field {self.field}: {self.problem}{shown}"


class BsError(ValueError):
    """Base of all Betalingsservice record-layer errors."""


class BsFormatError(BsError):
    """A file does not follow the Betalingsservice format; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue] | tuple[Issue, ...], *, truncated: bool = False) -> None:
        assert issues, "a format error needs at least one issue"
        self.issues: tuple[Issue, ...] = tuple(issues)
        self.truncated = truncated
        super().__init__(self._message())

    def _message(self) -> str:
        shown = [str(issue) for issue in self.issues[:_SHOWN_IN_MESSAGE]]
        hidden = len(self.issues) - len(shown)
        if hidden:
            shown.append(f"... and {hidden} more")
        if self.truncated:
            shown.append(f"(stopped after {MAX_ISSUES} issues)")
        return "\n".join(shown)


class BsWriteError(BsError):
    """A delivery, record or builder input that cannot be written in the Betalingsservice format."""


class BsImportError(BsError):
    """A delivery that parses but cannot be imported (a PBS number no organisation has, a sign
    this integration does not book, a serial imported before from another file, ...).

    ``issues`` lists every problem with its line and field; nothing was imported.
    """

    def __init__(self, issues: list[Issue] | tuple[Issue, ...]) -> None:
        assert issues, "an import error needs at least one issue"
        self.issues: tuple[Issue, ...] = tuple(issues)
        shown = [str(issue) for issue in self.issues[:_SHOWN_IN_MESSAGE]]
        if len(self.issues) > _SHOWN_IN_MESSAGE:
            shown.append(f"... and {len(self.issues) - _SHOWN_IN_MESSAGE} more")
        super().__init__("\n".join(shown))


class BsSetupError(BsError):
    """Betalingsservice settings, an export or a suspense resolution that cannot be done as
    asked (an invalid PBS number, a month exported before, an unknown suspense item, ...)."""
