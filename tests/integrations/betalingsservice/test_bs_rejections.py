"""Files that break the format are refused with the line, the field and the value."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from integrations.betalingsservice import BsFormatError, parse
from integrations.betalingsservice.errors import MAX_ISSUES

GOLDEN = Path(__file__).parent / "golden"


def _lines(name: str) -> list[str]:
    """A golden file as padded lines (1-based line n is ``lines[n - 1]``)."""
    text = (GOLDEN / name).read_bytes().decode("latin-1")
    return [line.ljust(128) for line in text.splitlines()]


def _file(lines: list[str]) -> bytes:
    return "".join(line + "\r\n" for line in lines).encode("latin-1")


def _put(lines: list[str], number: int, start: int, text: str) -> list[str]:
    """Overwrite ``text`` at 1-based ``start`` of 1-based line ``number``."""
    changed = list(lines)
    line = changed[number - 1]
    changed[number - 1] = line[: start - 1] + text + line[start - 1 + len(text) :]
    return changed


def _refused(data: bytes) -> BsFormatError:
    with pytest.raises(BsFormatError) as caught:
        parse(data)
    return caught.value


P0601, P0602, P0603 = "0601_collections.txt", "0602_payments.txt", "0603_mandates.txt"


def test_the_unchanged_bases_parse() -> None:
    for name in (P0601, P0602, P0603):
        assert parse(_file(_lines(name))).sections


def test_truncated_file_without_bs992() -> None:
    lines = _lines(P0602)[:-1]
    error = _refused(_file(lines))
    assert f"line {len(lines)}, field record_type" in str(error)
    assert "without BS992" in str(error)


def test_truncated_inside_a_section() -> None:
    lines = _lines(P0602)[:5]
    message = str(_refused(_file(lines)))
    assert "line 5, field record_type: the section of line 2 has no BS092" in message
    assert "line 5, field record_type: the file ends without BS992" in message


def test_wrong_count_in_bs092() -> None:
    lines = _put(_lines(P0601), 14, 32, "00000000004")  # section 0112 has 3 collections
    error = _refused(_file(lines))
    assert str(error) == (
        "line 14, field count_042: the section adds up to 3, but the record says '00000000004'"
    )


def test_wrong_count_of_text_lines_in_bs092() -> None:
    lines = _put(_lines(P0601), 14, 58, "00000000006")
    assert "line 14, field count_052: the section adds up to 5" in str(_refused(_file(lines)))


def test_wrong_sum_in_bs992() -> None:
    lines = _put(_lines(P0601), 19, 43, "000000002535376")  # one øre too much
    error = _refused(_file(lines))
    assert "line 19, field amount: the delivery adds up to 2535375" in str(error)
    assert "'000000002535376'" in str(error)


def test_wrong_sum_in_bs092_of_0601() -> None:
    lines = _put(_lines(P0601), 18, 43, "000000000623401")
    assert "line 18, field amount: the section adds up to 623400" in str(_refused(_file(lines)))


def test_0602_bs092_amount_is_gross_and_not_checked_against_the_records() -> None:
    lines = _lines(P0602)
    lines = _put(lines, 8, 43, "000000003000000")  # section 0211: gross 30.000,00 kr.
    lines = _put(lines, 13, 43, "000000004215000")  # BS992: the sum of the BS092 amounts
    delivery = parse(_file(lines))
    assert [section.gross_amount for section in delivery.sections] == [3000000, 1215000]


def test_0602_bs992_amount_must_be_the_sum_of_the_bs092_amounts() -> None:
    lines = _put(_lines(P0602), 13, 43, "000000002509975")  # only section 0211's amount
    error = _refused(_file(lines))
    assert "line 13, field amount: the delivery adds up to 3724975" in str(error)


def test_0602_counts_are_checked() -> None:
    lines = _put(_lines(P0602), 8, 32, "00000000004")
    assert "line 8, field count_042: the section adds up to 5" in str(_refused(_file(lines)))
    lines = _put(_lines(P0602), 13, 32, "00000000006")
    assert "line 13, field count_042: the delivery adds up to 7" in str(_refused(_file(lines)))


def test_unknown_transaction_code() -> None:
    lines = _put(_lines(P0602), 7, 14, "0250")
    error = _refused(_file(lines))
    assert "line 7, field transaction_code: unknown code '0250'" in str(error)


def test_code_of_another_section() -> None:
    lines = _put(_lines(P0602), 4, 14, "0297")  # a slip code inside section 0211
    message = str(_refused(_file(lines)))
    assert "line 4, field transaction_code: code not allowed in section 0211: '0297'" in message


def test_mandate_code_in_the_wrong_0603_section() -> None:
    lines = _put(_lines(P0603), 3, 14, "0231")  # a registration inside 0210 active mandates
    message = str(_refused(_file(lines)))
    assert "line 3, field transaction_code: code not allowed in section 0210: '0231'" in message


def test_non_numeric_amount() -> None:
    lines = _put(_lines(P0602), 3, 57, "00000006512O0")  # letter O for a zero
    error = _refused(_file(lines))
    assert "line 3, field amount: not numeric '00000006512O0'" in str(error)


def test_invalid_date() -> None:
    lines = _put(_lines(P0602), 4, 50, "300224")  # 30 February 2024
    error = _refused(_file(lines))
    assert "line 4, field payment_date: invalid date '300224'" in str(error)


def test_invalid_date8_in_0601() -> None:
    lines = _put(_lines(P0601), 3, 52, "29022023")  # 2023 is no leap year
    assert "line 3, field payment_date: invalid date '29022023'" in str(_refused(_file(lines)))


def test_zeros_are_no_date_where_a_date_is_required() -> None:
    lines = _put(_lines(P0603), 3, 50, "000000")
    assert "line 3, field effective_date: invalid date '000000'" in str(_refused(_file(lines)))


def test_line_of_129_characters() -> None:
    lines = _lines(P0603)
    lines[5] = lines[5] + "X"
    error = _refused(_file(lines))
    assert "line 6, field record_length: 129 characters, more than 128" in str(error)


def test_trailing_blank_beyond_128_is_still_too_long() -> None:
    lines = _lines(P0603)
    lines[2] = lines[2] + " "
    assert "line 3, field record_length" in str(_refused(_file(lines)))


def test_unknown_sign_code() -> None:
    lines = _put(_lines(P0601), 11, 60, "3")
    assert "line 11, field sign: unknown code '3'" in str(_refused(_file(lines)))


def test_control_character_in_text() -> None:
    lines = _put(_lines(P0601), 5, 60, "\x07")
    message = str(_refused(_file(lines)))
    assert "line 5, field text: contains a control or non-ISO-8859-1 character" in message


def test_stray_carriage_return_inside_a_line() -> None:
    lines = _put(_lines(P0601), 5, 60, "\r")
    assert "line 5, field text: contains a control" in str(_refused(_file(lines)))


def test_filler_must_hold_its_constant() -> None:
    lines = _put(_lines(P0602), 3, 18, "001")
    assert "line 3, field filler_18_20: expected '000', found '001'" in str(_refused(_file(lines)))


def test_all_errors_of_a_file_are_reported() -> None:
    lines = _put(_lines(P0602), 3, 57, "0000000X51200")
    lines = _put(lines, 6, 50, "320124")
    lines = _put(lines, 11, 45, "72")  # no slip type 72
    error = _refused(_file(lines))
    assert [(issue.line, issue.field) for issue in error.issues] == [
        (3, "amount"),
        (6, "payment_date"),
        (11, "slip_type"),
    ]
    assert error.issues[0].value == "0000000X51200"


def test_too_many_errors_stop_the_parse() -> None:
    lines = _lines(P0602)
    body = [_put(lines, 3, 57, "0000000X51200")[2]] * (MAX_ISSUES + 50)
    error = _refused(_file([*lines[:2], *body, *lines[7:]]))
    assert error.truncated and len(error.issues) == MAX_ISSUES


def test_first_record_must_be_bs002() -> None:
    error = _refused(_file(_lines(P0603)[1:]))
    assert str(error) == (
        "line 1, field record_type: the first record must be BS002 (delivery start), found 'BS012'"
    )


def test_unknown_delivery_type() -> None:
    lines = _put(_lines(P0603), 1, 17, "0604")
    assert "line 1, field delivery_type: unknown code '0604'" in str(_refused(_file(lines)))


def test_bs992_must_repeat_delivery_type_and_cvr() -> None:
    lines = _put(_lines(P0603), 15, 6, "12345678")
    assert "line 15, field data_supplier_cvr: differs from BS002" in str(_refused(_file(lines)))


def test_bs092_must_close_the_section_it_opened() -> None:
    lines = _put(_lines(P0603), 5, 21, "00002")
    assert "line 5, field debtor_group: differs from BS012 at line 2" in str(_refused(_file(lines)))


def test_records_must_carry_the_section_pbs_number() -> None:
    lines = _put(_lines(P0603), 4, 6, "07654321")
    message = str(_refused(_file(lines)))
    assert "line 4, field pbs_number: differs from the section's PBS number 01234567" in message


def test_section_of_another_delivery_type() -> None:
    lines = _put(_lines(P0603), 2, 14, "0211")
    lines = _put(lines, 5, 14, "0211")
    message = str(_refused(_file(lines)))
    assert "line 2, field section: section not allowed in delivery 0603: '0211'" in message


def test_unsupported_section_is_refused() -> None:
    lines = _put(_lines(P0601), 2, 14, "0117")
    assert "line 2, field section: unknown code '0117'" in str(_refused(_file(lines)))


def test_record_outside_a_section() -> None:
    lines = _lines(P0603)
    moved = [lines[0], lines[2], *lines[1:2], *lines[3:]]
    message = str(_refused(_file(moved)))
    assert "line 2, field record_type: record outside a section (no BS012): 'BS042'" in message


def test_data_after_bs992() -> None:
    lines = _lines(P0603)
    message = str(_refused(_file([*lines, lines[2]])))
    assert "line 16, field record_type: record after BS992 at line 15: 'BS042'" in message


def test_section_end_without_start() -> None:
    lines = _lines(P0603)
    message = str(_refused(_file([*lines[:5], lines[4], *lines[5:]])))
    assert "line 6, field record_type: section end without a BS012 before it: 'BS092'" in message


def test_text_line_must_follow_its_collection() -> None:
    lines = _lines(P0601)
    swapped = [*lines[:2], lines[3], lines[2], *lines[4:]]
    message = str(_refused(_file(swapped)))
    assert "line 3, field customer_number: text line (0241) does not follow a collection" in message


def test_text_lines_are_numbered_from_one_without_gaps() -> None:
    lines = _put(_lines(P0601), 5, 18, "00003")
    message = str(_refused(_file(lines)))
    assert "line 5, field record_number: expected 00002 (at most 05000), found '00003'" in message


def test_name_and_address_must_precede_the_debtors_collection() -> None:
    lines = _put(_lines(P0601), 11, 28, "11030311       ")
    message = str(_refused(_file(lines)))
    assert "line 11, field customer_number: name/address (0240) not followed by" in message


def test_empty_file() -> None:
    assert str(_refused(b"")) == "file, field file: empty: no records"
    assert str(_refused(b"\r\n   \r\n")) == "file, field file: empty: no records"


def test_bytes_only() -> None:
    with pytest.raises(TypeError):
        parse("BS002".ljust(128))  # type: ignore[arg-type]


@pytest.mark.parametrize("enabled", [True, False])
def test_parse_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    good, bad = _file(_lines(P0603)), _file(_lines(P0603)[:-1])
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        parse(good)
        assert gc.isenabled() is enabled
        with pytest.raises(BsFormatError):
            parse(bad)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
