from datetime import date, timedelta

import pytest

from ledger.municipalities import municipality_names
from reports.letters.danish import (
    PLURAL,
    SINGULAR,
    amount,
    date_long,
    date_short,
    date_with_weekday,
    join_names,
    kr,
    municipality_display_name,
    voice_for,
)


def test_deadline_written_out_with_weekday() -> None:
    assert date_with_weekday(date(2026, 4, 23)) == "torsdag den 23. april 2026"


def test_every_weekday_and_month_in_danish() -> None:
    week = [date_with_weekday(date(2026, 1, 5) + timedelta(days=i)) for i in range(7)]
    assert [text.split()[0] for text in week] == [
        "mandag",
        "tirsdag",
        "onsdag",
        "torsdag",
        "fredag",
        "lørdag",
        "søndag",
    ]
    months = [date_long(date(2026, m, 1)).split()[1] for m in range(1, 13)]
    assert months[0] == "januar" and months[2] == "marts" and months[4] == "maj"
    assert months[11] == "december" and len(set(months)) == 12


def test_date_formats() -> None:
    assert date_long(date(2026, 11, 21)) == "21. november 2026"
    assert date_short(date(2026, 4, 1)) == "01.04.2026"
    assert date_short(date(2026, 12, 31)) == "31.12.2026"


def test_amounts_the_danish_way() -> None:
    assert amount(123_456) == "1.234,56"
    assert kr(749_700) == "7.497,00 kr."
    assert amount(5) == "0,05"
    assert kr(1_000_000_000) == "10.000.000,00 kr."


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Anna Sørensen",), "Anna Sørensen"),
        (("Anna Sørensen", "Bo Hansen"), "Anna Sørensen og Bo Hansen"),
        (("A", "B", "C"), "A, B og C"),
    ],
)
def test_join_names(names: tuple[str, ...], expected: str) -> None:
    assert join_names(names) == expected


def test_one_tenant_is_du_several_are_i() -> None:
    assert voice_for(("Anna",)) is SINGULAR
    assert voice_for(("Anna", "Bo")) is PLURAL
    assert (SINGULAR.subject, SINGULAR.object, SINGULAR.possessive) == ("du", "dig", "din")
    assert (PLURAL.subject, PLURAL.object, PLURAL.possessive) == ("I", "jer", "jeres")
    assert SINGULAR.subject_capitalized == "Du" and PLURAL.subject_capitalized == "I"


def test_municipality_names_as_addressed() -> None:
    assert municipality_display_name("Aarhus") == "Aarhus Kommune"
    assert municipality_display_name("København") == "Københavns Kommune"
    assert municipality_display_name("Bornholm") == "Bornholms Regionskommune"
    assert municipality_display_name("Aarhus Kommune") == "Aarhus Kommune"
    assert municipality_display_name("  Høje-Taastrup ") == "Høje-Taastrup Kommune"


def test_every_municipality_gets_an_official_looking_name() -> None:
    for name in municipality_names().values():
        shown = municipality_display_name(name)
        assert shown.endswith(("Kommune", "Regionskommune")), shown
        assert shown.split()[0].rstrip("s") in name
