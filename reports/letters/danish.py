"""Danish words for the letters: dates, amounts, lists of names, "du" or "I", municipality names.

Pure functions, no locale: the output must not depend on the machine that prints the letter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ledger.money import format_kr

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def date_long(day: date) -> str:
    """23. april 2026."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def date_with_weekday(day: date) -> str:
    """torsdag den 23. april 2026 (the way a deadline is written out)."""
    return f"{WEEKDAYS[day.weekday()]} den {date_long(day)}"


def date_short(day: date) -> str:
    """23.04.2026 (table cells)."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def kr(oere: int) -> str:
    """6.847,00 kr. (amounts in running text)."""
    return format_kr(oere, suffix=True)


def amount(oere: int) -> str:
    """6.847,00 (amounts in a column headed "Beløb (kr.)")."""
    return format_kr(oere)


def join_names(names: Sequence[str]) -> str:
    """Anna Jensen / Anna Jensen og Bo Hansen / A, B og C."""
    assert names, "at least one name"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} og {names[-1]}"


@dataclass(frozen=True, slots=True)
class Voice:
    """How the letter speaks to its reader: "du" to one tenant, "I" to several.

    Danish verbs do not change with the person, so the pronouns are all that differ.
    """

    subject: str  # du / I
    object: str  # dig / jer
    possessive: str  # din (common gender) / jeres
    possessive_neuter: str  # dit / jeres

    @property
    def subject_capitalized(self) -> str:
        return self.subject[:1].upper() + self.subject[1:]


SINGULAR = Voice(subject="du", object="dig", possessive="din", possessive_neuter="dit")
PLURAL = Voice(subject="I", object="jer", possessive="jeres", possessive_neuter="jeres")


def voice_for(names: Sequence[str]) -> Voice:
    """One tenant is "du"; a lease with several tenants is answered by all of them: "I"."""
    return SINGULAR if len(names) == 1 else PLURAL


# Two of the 98 official names are not "<name> Kommune" (Danmarks Statistik, kommunekoder).
_MUNICIPALITY_OFFICIAL = {
    "København": "Københavns Kommune",
    "Bornholm": "Bornholms Regionskommune",
}


def municipality_display_name(name: str) -> str:
    """The municipality as it is addressed: "Aarhus" -> "Aarhus Kommune".

    Accepts the short names of ``ledger.municipalities`` as well as names that already say
    "Kommune" or "Regionskommune" (kept as given).
    """
    cleaned = " ".join(name.split())
    assert cleaned, "municipality name must not be empty"
    if cleaned.lower().endswith("kommune"):
        return cleaned
    return _MUNICIPALITY_OFFICIAL.get(cleaned, f"{cleaned} Kommune")
