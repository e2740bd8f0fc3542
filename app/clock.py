""" "Today" for the composition root: the date in Denmark. Domain code takes it as a parameter."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def today_in_denmark() -> date:
    return datetime.now(DANISH_TIME).date()
