"""Påkrav (ALL § 90, stk. 2): what the letter must say, checked in the text model and in the PDF."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.money import format_kr
from reports.letters import LetterError, render_pakrav
from reports.letters.document import ParagraphStyle
from reports.letters.pakrav import build_pakrav
from tests.reports.letters import pdftext, samples
from workflows.arrears.letter_data import ClaimLine

WARNING = (
    "Hvis du ikke betaler hele beløbet på 7.497,00 kr. senest torsdag den 23. april 2026, kan "
    "lejeforholdet ophæves, jf. almenlejelovens § 90, stk. 1, nr. 1, og stk. 2."
)


def test_all_90_stk_2_pakrav_says_the_lease_can_be_terminated_if_not_paid_by_the_deadline() -> None:
    doc = build_pakrav(samples.pakrav())
    notices = [b for b in doc.blocks if getattr(b, "style", None) is ParagraphStyle.NOTICE]
    assert len(notices) == 1
    assert notices[0].text.startswith(WARNING)  # type: ignore[union-attr]


def test_all_90_stk_2_warning_and_deadline_are_in_the_pdf() -> None:
    text = pdftext.all_text(render_pakrav(samples.pakrav()))
    assert WARNING in text
    assert "Beløbet skal være betalt senest torsdag den 23. april 2026." in text
    assert "Påkrav om betaling af restance" in text


def test_all_90_stk_2_pakrav_demands_exactly_the_given_lines_and_the_fee() -> None:
    doc = build_pakrav(samples.pakrav())
    (table,) = doc.tables()
    assert [row.cells for row in table.rows] == [
        ("01.04.2026", "Husleje april 2026", "6.512,00"),
        ("01.04.2026", "A conto varme april 2026", "650,00"),
        ("", "Påkravsgebyr 2026", "335,00"),
    ]
    assert table.total is not None and table.total.bold
    assert table.total.cells == ("", "I alt at betale", "7.497,00")
    assert [c.align.value for c in table.columns] == ["L", "L", "R"]


def test_all_90_stk_2_every_line_and_the_total_are_printed() -> None:
    lines = pdftext.page_lines(render_pakrav(samples.pakrav()))[0]
    assert "01.04.2026 Husleje april 2026 6.512,00" in lines
    assert "01.04.2026 A conto varme april 2026 650,00" in lines
    assert "Påkravsgebyr 2026 335,00" in lines
    assert "I alt at betale 7.497,00" in lines
    assert "Gebyret på 335,00 kr. for dette påkrav følger af almenlejelovens § 90, stk. 2." in lines


claim_lines = st.lists(
    st.builds(
        ClaimLine,
        due_date=st.dates(date(2025, 1, 1), date(2026, 4, 8)),
        text=st.text(
            st.characters(codec="latin-1", categories=("L", "N")), min_size=1, max_size=40
        ),
        amount_oere=st.integers(1, 5_000_000),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(lines=claim_lines, fee=st.integers(0, 50_000))
def test_all_90_stk_2_rows_are_the_lines_in_order_plus_fee_and_the_total_adds_up(
    lines: list[ClaimLine], fee: int
) -> None:
    letter = samples.pakrav(lines=tuple(lines), fee_oere=fee)
    (table,) = build_pakrav(letter).tables()
    expected = [(line.text, format_kr(line.amount_oere)) for line in lines]
    if fee:
        expected.append(("Påkravsgebyr 2026", format_kr(fee)))
    assert [(row.cells[1], row.cells[2]) for row in table.rows] == expected
    assert table.total is not None
    assert table.total.cells[2] == format_kr(sum(line.amount_oere for line in lines) + fee)


def test_no_fee_means_no_fee_row_and_no_fee_sentence() -> None:
    doc = build_pakrav(samples.pakrav(fee_oere=0))
    (table,) = doc.tables()
    assert len(table.rows) == 2
    assert "Gebyret" not in doc.plain_text()
    assert table.total is not None and table.total.cells[2] == "7.162,00"


def test_payment_details_deadline_contact_and_municipality_advice() -> None:
    text = build_pakrav(samples.pakrav()).plain_text()
    assert "Betal beløbet til reg.nr. 1234 konto 0001234567." in text
    assert "Skriv lejemål nr. 12-034 ved betalingen" in text
    assert "Betaler du kun en del af beløbet, kan lejeforholdet stadig ophæves." in text
    assert "telefon 70 12 34 56 eller på e-mail udlejning@boligostjylland.dk" in text
    assert "Oplys sagsnummer R-2026-0113" in text
    assert "kan du også kontakte din kommune" in text
    assert "Kære Anna Sørensen" in text
    assert "Sendt som: Digital Post" in text


def test_without_payment_details_the_tenant_is_told_to_ask() -> None:
    sender = replace(samples.SENDER, phone="", email="", payment_details="")
    text = build_pakrav(samples.pakrav(sender=sender)).plain_text()
    assert "Kontakt os, så fortæller vi, hvordan du kan betale." in text
    assert "ved at skrive til Søndergade 14, 8000 Aarhus C" in text


def test_several_tenants_are_named_and_addressed_as_i() -> None:
    doc = build_pakrav(samples.pakrav(recipient=samples.COUPLE))
    text = doc.plain_text()
    assert "Kære Anna Sørensen og Bo Ægidius Hansen" in text
    assert "Hvis I ikke betaler hele beløbet" in text
    assert "I i så fald kan miste jeres bolig" in text
    assert doc.address[:2] == ("Anna Sørensen", "Bo Ægidius Hansen")
    assert " du " not in text and " dig " not in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deadline": date(2026, 4, 22)}, "less than 14 days"),
        ({"deadline": date(2026, 4, 25)}, "Saturday"),  # a Saturday
        ({"deadline": date(2026, 6, 5)}, "Grundlovsdag"),  # Grundlovsdag
        ({"lines": ()}, "no claim lines"),
        ({"lines": (ClaimLine(date(2026, 4, 9), "Husleje", 100),)}, "not in arrears"),
        ({"lines": (ClaimLine(date(2026, 4, 1), "Husleje", 0),)}, "not a positive amount"),
        ({"lines": (ClaimLine(date(2026, 4, 1), "Husleje", -5),)}, "not a positive amount"),
        ({"fee_oere": -1}, "negative"),
        ({"unit_number": " "}, "unit_number is empty"),
    ],
)
def test_all_90_stk_2_void_pakrav_data_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(LetterError, match=message):
        build_pakrav(samples.pakrav(**changes))


def test_a_cpr_number_never_reaches_a_letter() -> None:
    tenant = replace(samples.TENANT, names=("Anna Sørensen 010190-1234",))
    with pytest.raises(LetterError, match=r"recipient.names\[0\] contains what looks like a CPR"):
        build_pakrav(samples.pakrav(recipient=tenant))
    text = ClaimLine(date(2026, 4, 1), "Husleje (lejer 3112851234)", 100)
    build_pakrav(samples.pakrav(lines=(text,)))  # ten digits without the dash: not matched
    with pytest.raises(LetterError, match="CPR"):
        build_pakrav(samples.pakrav(lines=(replace(text, text="Husleje 311285-1234"),)))


def test_an_account_number_is_not_mistaken_for_a_cpr_number() -> None:
    sender = replace(samples.SENDER, payment_details="reg.nr. 1234 konto 000000-1234")
    build_pakrav(samples.pakrav(sender=sender))  # day 00 is no date: not a CPR number
