"""Round trips: parse(write(d)) == d, and write(parse(f)) == f up to line ends and padding."""

from __future__ import annotations

import pytest
from bs_strategies import deliveries
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.betalingsservice import Delivery, DeliveryType, parse, write
from integrations.betalingsservice.structure import BODY_LAYOUT

TYPES = list(DeliveryType)


@pytest.mark.parametrize("delivery_type", TYPES, ids=lambda t: t.value)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_parse_of_write_gives_the_delivery_back(
    delivery_type: DeliveryType, data: st.DataObject
) -> None:
    delivery = data.draw(deliveries(delivery_type))
    written = write(delivery)
    assert parse(written) == delivery
    lines = written.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) == 128 for line in lines[:-1])


@pytest.mark.parametrize("delivery_type", TYPES, ids=lambda t: t.value)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_write_of_parse_gives_the_file_back_up_to_line_ends_and_padding(
    delivery_type: DeliveryType, data: st.DataObject
) -> None:
    canonical = write(data.draw(deliveries(delivery_type)))
    lines = canonical.decode("latin-1").split("\r\n")[:-1]
    ends = data.draw(
        st.lists(st.sampled_from(["\r\n", "\n"]), min_size=len(lines), max_size=len(lines))
    )
    strip = data.draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
    variant = "".join(
        (line.rstrip(" ") if stripped else line) + end
        for line, end, stripped in zip(lines, ends, strip, strict=True)
    )
    if data.draw(st.booleans()):
        variant = variant.rstrip("\r\n")  # no line end after BS992
    assert write(parse(variant.encode("latin-1"))) == canonical


@pytest.mark.parametrize("delivery_type", TYPES, ids=lambda t: t.value)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_fast_decoders_agree_with_the_field_by_field_reader(
    delivery_type: DeliveryType, data: st.DataObject
) -> None:
    delivery: Delivery = data.draw(deliveries(delivery_type))
    for record in delivery.records():
        layout = BODY_LAYOUT[type(record)]
        line = layout.encode(record, "test")
        reference, issues = layout.read_fields(line, 1)
        assert issues == []
        assert layout.decode(line) == reference == record
        assert layout.decode_checked_text(line) == reference
        assert type(layout.decode(line)) is type(record)
