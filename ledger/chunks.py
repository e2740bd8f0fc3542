"""Bounded batches for bulk database work."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """``items`` in tuples of at most ``size`` (``itertools.batched`` arrives in Python 3.12)."""
    assert size > 0, "chunk size must be positive"
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk
