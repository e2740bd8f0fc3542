"""Import errors as values: each names its row, its column and what is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_ERRORS_SHOWN = 200


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # spreadsheet row (header = 1); 0 for the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


class ImportRejected(ValueError):
    """The file was not imported; nothing was written."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        assert errors, "a rejection names at least one error"
        self.errors = sorted(errors, key=lambda error: (error.row, error.column))
        shown = [str(error) for error in self.errors[:MAX_ERRORS_SHOWN]]
        more = len(self.errors) - len(shown)
        if more:
            shown.append(f"... and {more} more")
        super().__init__(
            f"file rejected, nothing imported ({len(self.errors)} problem(s)):\n  "
            + "\n  ".join(shown)
        )


class FieldError(ValueError):
    """One value that cannot be read; the caller adds the row number."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
