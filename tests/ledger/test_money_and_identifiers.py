"""Money in øre, Danish formatting; CVR and CPR via python-stdnum."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.identifiers import IdentifierError, check_cpr, check_cvr, mask_cpr
from ledger.models import Tenant
from ledger.money import MAX_AMOUNT_OERE, MoneyError, format_kr, parse_kroner, parse_oere


@pytest.mark.parametrize(
    ("oere", "text"), [(651_200, "6.512,00"), (5, "0,05"), (-123_456_789, "-1.234.567,89")]
)
def test_format_kr_is_danish(oere: int, text: str) -> None:
    assert format_kr(oere) == text
    assert format_kr(oere, suffix=True) == f"{text} kr."


@given(st.integers(min_value=-MAX_AMOUNT_OERE, max_value=MAX_AMOUNT_OERE))
def test_format_then_parse_is_identity(oere: int) -> None:
    assert parse_kroner(format_kr(oere)) == oere


@pytest.mark.parametrize("bad", ["12.5", "1,234.00", "abc", "", "1.23,00"])
def test_parse_kroner_refuses_non_danish_amounts(bad: str) -> None:
    with pytest.raises(MoneyError):
        parse_kroner(bad)


def test_parse_oere_refuses_decimals_and_absurd_amounts() -> None:
    assert parse_oere(" 651200 ") == 651_200
    with pytest.raises(MoneyError):
        parse_oere("6512.00")
    with pytest.raises(MoneyError, match="exceeds"):
        parse_oere(str(MAX_AMOUNT_OERE + 1))


def test_cvr_is_checked_with_modulus_11() -> None:
    assert check_cvr("13 58 56 28") == "13585628"
    with pytest.raises(IdentifierError, match="invalid CVR"):
        check_cvr("13585629")


def test_cpr_without_modulus_11_is_accepted_since_2007() -> None:
    # 010190-1234 fails the old modulus-11 check but is a valid CPR number today.
    assert check_cpr("010190-1234") == "0101901234"


def test_cpr_with_impossible_birth_date_is_refused_without_showing_it() -> None:
    with pytest.raises(IdentifierError) as raised:
        check_cpr("310290-1234")
    assert "310290-****" in str(raised.value) and "1234" not in str(raised.value)


def test_tenant_repr_never_shows_the_full_cpr() -> None:
    tenant = Tenant(organisation_id=1, name="Jens Hansen", cpr="0101901234")
    assert "0101901234" not in repr(tenant) and "1234" not in repr(tenant)
    assert mask_cpr("0101901234") in repr(tenant)
