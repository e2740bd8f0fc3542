"""Golden files: hand-made deliveries, their parsed form in JSON beside them.

Set ``ALMEN_REGEN_GOLDEN=1`` to rewrite the JSON files from the parser (then review the diff by
hand). The spec-position test reads every golden field at the positions of the doc, so the JSON
cannot simply echo a wrong layout.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bs_support import SPEC_BS002, SPEC_POSITIONS, SPEC_TOTALS, ruler, spec_text, to_jsonable

from integrations.betalingsservice import parse, write
from integrations.betalingsservice.lines import lines_of

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = sorted(GOLDEN.glob("*.txt"))
REGENERATE = os.environ.get("ALMEN_REGEN_GOLDEN") == "1"


def test_there_is_a_golden_file_per_delivery_type() -> None:
    names = [path.name[:4] for path in GOLDEN_FILES]
    assert names == ["0601", "0602", "0603"]


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_golden_file_parses_to_expected_json(path: Path) -> None:
    parsed = to_jsonable(parse(path.read_bytes()))
    expected_path = path.with_suffix(".json")
    if REGENERATE:
        text = json.dumps(parsed, indent=2, ensure_ascii=False) + "\n"
        expected_path.write_text(text, encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert parsed == expected


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_golden_json_agrees_with_spec_positions(path: Path) -> None:
    """Every field of the JSON stands at the doc's positions in the golden file."""
    lines = [line.ljust(128) for line in lines_of(path.read_bytes())]
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    _check_fields(lines[0], expected, SPEC_BS002, 1, lines)
    number = 1
    checked = 0
    for section in expected["sections"]:
        number += 1
        start = section["start"]
        _check_fields(lines[number - 1], start, SPEC_POSITIONS[start["record"]], number, lines)
        for record in section["records"]:
            number += 1
            _check_fields(
                lines[number - 1], record, SPEC_POSITIONS[record["record"]], number, lines
            )
            checked += 1
        number += 1  # BS092
        end = lines[number - 1]
        assert end.startswith("BS092"), ruler(lines)
        if section["gross_amount"] is not None:
            assert int(end[42:57]) == section["gross_amount"]
    assert lines[number].startswith("BS992") and len(lines) == number + 1
    assert checked > 5


def _check_fields(
    line: str,
    values: dict[str, object],
    spec: dict[str, tuple[int, int]],
    number: int,
    lines: list[str],
) -> None:
    fields = {name: value for name, value in values.items() if name != "record"}
    assert set(spec) <= set(fields), f"spec names unknown fields: {set(spec) - set(fields)}"
    for name, (first, last) in spec.items():
        raw = line[first - 1 : last]
        assert raw == spec_text(fields[name], last - first + 1), (
            f"line {number}, {name} at {first}-{last}: {raw!r} vs {fields[name]!r}\n" + ruler(lines)
        )


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_golden_totals_match_the_doc_positions(path: Path) -> None:
    """BS092/BS992 counts at the doc's positions equal the records (amount: 0601/0603 only)."""
    lines = [line.ljust(128) for line in lines_of(path.read_bytes())]
    delivery = parse(path.read_bytes())
    ends = [line for line in lines if line.startswith("BS092")]
    for section, end in zip(delivery.sections, ends, strict=True):
        kinds = [type(record).__name__ for record in section.records]
        count_052 = kinds.count("TextLine")
        count_022 = kinds.count("NameAddressLine") + kinds.count("NameAddressPostcode")
        declared = {name: int(end[a - 1 : b]) for name, (a, b) in SPEC_TOTALS.items()}
        assert declared["count_042"] == len(kinds) - count_052 - count_022
        assert declared["count_052"] == count_052
        assert declared["count_022"] == count_022
        amounts = sum(getattr(record, "amount", 0) for record in section.records)
        if section.gross_amount is None:
            assert declared["amount"] == amounts
    final = {name: int(lines[-1][a - 1 : b]) for name, (a, b) in SPEC_TOTALS.items()}
    assert int(lines[-1][20:31]) == len(delivery.sections)
    assert final["count_042"] == sum(int(end[31:42]) for end in ends), (
        "BS992 count of 042 is the sum of the sections'"
    )


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.name)
def test_writing_a_golden_delivery_gives_the_file_back(path: Path) -> None:
    data = path.read_bytes()
    canonical = "".join(line.ljust(128) + "\r\n" for line in lines_of(data))
    assert write(parse(data)).decode("latin-1") == canonical


def test_golden_0601_has_danish_letters_and_0602_every_payment_code() -> None:
    text_0601 = (GOLDEN / "0601_collections.txt").read_bytes().decode("latin-1")
    assert all(letter in text_0601 for letter in "æøåÆØÅ")
    payments = parse((GOLDEN / "0602_payments.txt").read_bytes())
    codes = {record.transaction_code.value for record in payments.records()}  # type: ignore[union-attr]
    assert codes == {"0236", "0237", "0238", "0239", "0297", "0299"}
    mandates = parse((GOLDEN / "0603_mandates.txt").read_bytes())
    codes = {record.transaction_code.value for record in mandates.records()}  # type: ignore[union-attr]
    assert codes == {"0230", "0231", "0232", "0233", "0234"}
