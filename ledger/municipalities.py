"""The 98 Danish municipalities (kommuner) and their kommunekoder, shipped as data."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def municipality_names() -> dict[int, str]:
    """kommunekode -> name, from ``ledger/data/kommuner.csv``."""
    text = resources.files("ledger").joinpath("data/kommuner.csv").read_text("utf-8")
    table = {int(row["kommunekode"]): row["name"] for row in csv.DictReader(text.splitlines())}
    assert len(table) == 98, "Denmark has 98 municipalities"
    return table


def is_municipality(code: int) -> bool:
    """Is ``code`` the kommunekode of one of the 98 municipalities?"""
    return code in municipality_names()
