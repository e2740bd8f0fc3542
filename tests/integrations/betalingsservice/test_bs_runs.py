"""Run decoders (many lines of one layout in one call) agree with the field-by-field reader and
refuse exactly what the line decoder refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs_strategies import automatic_payments, mandate_sections, slip_payments
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.betalingsservice import (
    AutomaticPayment,
    BsFormatError,
    MandateCode,
    SlipPayment,
    parse,
)
from integrations.betalingsservice.layouts import MANDATE
from integrations.betalingsservice.records import BodyRecord
from integrations.betalingsservice.runs import RUN_LAYOUTS, RunDecoder, run_decoder
from integrations.betalingsservice.structure import BODY_LAYOUT, DISPATCH, SectionCode

GOLDEN = Path(__file__).parent / "golden"


def _run_text(lines: list[str], ends: list[str]) -> str:
    """A run as the parser hands it over: a line feed, then every line with its line end."""
    return "\n" + "".join(line + end for line, end in zip(lines, ends, strict=True))


def _decode(decoder: RunDecoder[Any], lines: list[str], end: str = "\n") -> list[Any] | None:
    text = _run_text(lines, [end] * len(lines))
    return decoder.decode_run(text, 0, len(text))


@st.composite
def bulk_records(draw: st.DrawFn) -> list[BodyRecord]:
    """Records of one bulk layout, as one section would hold them."""
    kind = draw(st.sampled_from(["automatic", "slip", "mandate"]))
    if kind == "mandate":
        return list(draw(mandate_sections()).records)
    records = automatic_payments if kind == "automatic" else slip_payments
    pbs, group = "01234567", "00001"
    return draw(st.lists(records(pbs, group), min_size=1, max_size=8))


@settings(max_examples=150, deadline=None)
@given(records=bulk_records(), data=st.data())
def test_run_decoders_agree_with_the_field_by_field_reader(
    records: list[BodyRecord], data: st.DataObject
) -> None:
    if not records:
        return
    layout = BODY_LAYOUT[type(records[0])]
    lines = [layout.encode(record, "test") for record in records]
    ends = data.draw(st.lists(st.sampled_from(["\r\n", "\n"]), min_size=len(lines)))[: len(lines)]
    ends += ["\n"] * (len(lines) - len(ends))
    strip = data.draw(st.booleans())
    shown = [line.rstrip(" ") if strip else line for line in lines]
    text = _run_text(shown, ends)
    decoder = run_decoder(layout, layout.codes)
    assert decoder is not None
    decoded = decoder.decode_run(text, 0, len(text))
    expected = [layout.read_fields(line, 1)[0] for line in lines]
    assert decoded == expected == records
    assert decoded is not None and all(type(r) is type(records[0]) for r in decoded)


def _mandate_lines() -> list[str]:
    text = (GOLDEN / "0603_mandates.txt").read_bytes().decode("latin-1")
    return [line.ljust(128) for line in text.splitlines() if line.startswith("BS0420")]


@pytest.mark.parametrize(
    ("position", "text", "why"),
    [
        (50, "310224", "impossible date, read by the memo"),
        (14, "0250", "unknown code"),
        (41, "00000001O", "letter O in a digit field"),
        (21, "0000²", "superscript digit in the debtor group"),
        (62, "x", "text in the blank filler"),
        (128, " x", "129 characters"),
    ],
)
def test_a_run_with_one_bad_line_is_not_read(position: int, text: str, why: str) -> None:
    lines = _mandate_lines()
    section = SectionCode.MANDATE_CHANGES
    decoder = DISPATCH[section].run
    assert decoder is not None
    good = [line for line in lines if line[13:17] != MandateCode.ACTIVE]
    assert _decode(decoder, good) is not None
    bad = list(good)
    bad[1] = bad[1][: position - 1] + text + bad[1][position - 1 + len(text) :]
    assert _decode(decoder, bad, "\r\n") is None, why


def test_a_code_the_section_does_not_allow_is_not_read() -> None:
    active = [line for line in _mandate_lines() if line[13:17] == MandateCode.ACTIVE]
    decoder = DISPATCH[SectionCode.MANDATE_CHANGES].run
    assert decoder is not None and active
    assert _decode(decoder, active) is None
    other = DISPATCH[SectionCode.ACTIVE_MANDATES].run
    assert other is not None
    assert _decode(other, active) is not None


def test_only_sections_of_one_bulk_layout_have_run_decoders() -> None:
    with_runs = {code for code, dispatch in DISPATCH.items() if dispatch.run is not None}
    assert with_runs == {
        SectionCode.AUTOMATIC_PAYMENTS,
        SectionCode.SLIP_PAYMENTS,
        SectionCode.ACTIVE_MANDATES,
        SectionCode.MANDATE_CHANGES,
        SectionCode.ACTIVE_SLIP_AGREEMENTS,
    }
    assert set(RUN_LAYOUTS) == {AutomaticPayment, SlipPayment, MANDATE.record_type}


@pytest.mark.parametrize("chunk_bytes", [1, 129, 300, 4096])
def test_a_long_section_split_into_pieces_parses_like_one(
    monkeypatch: pytest.MonkeyPatch, chunk_bytes: int
) -> None:
    """Pieces end inside runs, right before a control record and right after one."""
    from integrations.betalingsservice import lines as lines_module

    data = (GOLDEN / "0602_payments.txt").read_bytes()
    expected = parse(data)
    monkeypatch.setattr(lines_module, "CHUNK_BYTES", chunk_bytes)
    assert parse(data) == expected
    broken = data.replace(b"BS0420123456702360", b"BS0420123456702350", 1)
    with pytest.raises(BsFormatError, match="field transaction_code: unknown code '0235'"):
        parse(broken)
