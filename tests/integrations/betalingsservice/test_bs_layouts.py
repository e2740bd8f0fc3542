"""The layout machinery: definitions, dates, the fast decoder and its frozen records."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from integrations.betalingsservice import Mandate, MandateCode, records
from integrations.betalingsservice.fields import (
    Field,
    blanks,
    code,
    const,
    date6,
    ident,
    read_date,
    show_date,
    text,
    zeros,
)
from integrations.betalingsservice.layout import Layout, LayoutError
from integrations.betalingsservice.layouts import MANDATE
from integrations.betalingsservice.structure import BODY_LAYOUT, SECTION_CONTENT

GOLDEN_0603 = Path(__file__).parent / "golden" / "0603_mandates.txt"
MANDATE_LINE = GOLDEN_0603.read_bytes().decode("latin-1").splitlines()[7]  # 0232, line 8


def test_every_body_record_class_has_one_layout_in_some_section() -> None:
    body = {
        cls for name in dir(records) if isinstance(cls := getattr(records, name), type)
        and dataclasses.is_dataclass(cls) and hasattr(cls, "pbs_number")
        and name not in {"SectionStart", "CollectionSectionStart", "SectionEnd"}
    }  # fmt: skip
    assert body == set(BODY_LAYOUT)
    assert all(content for content in SECTION_CONTENT.values())


def _mandate_fields(end_filler_start: int = 62) -> list[Field]:
    return [
        const("record_type", 1, "BS042"), ident("pbs_number", 6, 8),
        code("transaction_code", 14, MandateCode), zeros(18, 20), ident("debtor_group", 21, 5),
        text("customer_number", 26, 15), ident("agreement_number", 41, 9),
        date6("effective_date", 50), date6("end_date", 56, optional=True),
        blanks(end_filler_start, 128),
    ]  # fmt: skip


def test_a_layout_must_tile_positions_1_to_128() -> None:
    assert Layout(Mandate, _mandate_fields()).decode(MANDATE_LINE) == MANDATE.decode(MANDATE_LINE)
    with pytest.raises(LayoutError, match="filler_63_128 at 63, expected 62"):
        Layout(Mandate, _mandate_fields(63))
    short = [*_mandate_fields()[:-1], blanks(62, 127)]
    with pytest.raises(LayoutError, match="fields end at 127"):
        Layout(Mandate, short)


def test_a_layout_must_name_the_record_class_fields_in_order() -> None:
    fields = _mandate_fields()
    fields[7], fields[8] = date6("end_date", 50, optional=True), date6("effective_date", 56)
    with pytest.raises(LayoutError, match="layout fields"):
        Layout(Mandate, fields)


def test_decoded_records_are_ordinary_frozen_instances() -> None:
    record = MANDATE.decode(MANDATE_LINE)
    assert type(record) is Mandate
    expected = Mandate(
        "01234567", MandateCode.CANCELLED_BY_BANK, "00001", "000000011050107", "000000000",
        date(2021, 1, 1), date(2024, 1, 31),
    )  # fmt: skip
    assert record == expected and hash(record) == hash(expected)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.customer_number = "x"  # type: ignore[misc]
    assert not hasattr(record, "__dict__")
    assert "decode_Mandate" in MANDATE.decoder_source


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("010170", "date6", date(1970, 1, 1)),
        ("311269", "date6", date(2069, 12, 31)),
        ("150398", "date6", date(1998, 3, 15)),
        ("29022024", "date8", date(2024, 2, 29)),
        ("01010001", "date8", date(1, 1, 1)),
    ],
)
def test_dates_read_and_write_back(raw: str, kind: str, expected: date) -> None:
    assert read_date(raw, kind) == expected  # type: ignore[arg-type]
    assert show_date(expected, kind) == raw  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["290223", "000000", "311324", "01.124", "０10124"])
def test_invalid_dates_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        read_date(raw, "date6")


def test_date6_cannot_hold_years_outside_the_window() -> None:
    for year in (1969, 2070):
        with pytest.raises(ValueError, match="year outside 1970-2069"):
            show_date(date(year, 1, 1), "date6")


def test_unicode_digits_are_not_numeric() -> None:
    line = MANDATE_LINE[:20] + "0000²" + MANDATE_LINE[25:]
    record, issues = MANDATE.read_fields(line, 3)
    assert record is None
    assert [str(issue) for issue in issues] == ["line 3, field debtor_group: not numeric '0000²'"]
    with pytest.raises(ValueError):
        MANDATE.decode(line)
    with pytest.raises(ValueError):
        MANDATE.decode_checked_text(line)
