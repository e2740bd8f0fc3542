"""Ophævelse (ALL § 90, stk. 1, nr. 1; § 92, stk. 1 and 3)."""

from datetime import date

import pytest

from reports.letters import LetterError, render_termination
from reports.letters.termination import build_termination
from tests.reports.letters import pdftext, samples


def test_all_90_stk_1_nr_1_termination_refers_to_the_pakrav_and_terminates() -> None:
    text = build_termination(samples.termination()).plain_text()
    assert "Ophævelse af lejeaftale" in text
    assert "Den 9. april 2026 sendte vi dig et påkrav om betaling af restance" in text
    assert "hvis restancen ikke var betalt senest torsdag den 23. april 2026." in text
    assert "Vi har ikke modtaget betaling af restancen inden fristen." in text
    assert (
        "Vi ophæver derfor hermed din lejeaftale for lejemålet på Vestergade 12, 2. tv., "
        "8000 Aarhus C, jf. almenlejelovens § 90, stk. 1, nr. 1."
    ) in text


def test_all_90_stk_1_nr_1_termination_lists_what_is_owed() -> None:
    doc = build_termination(samples.termination())
    (table,) = doc.tables()
    assert [row.cells for row in table.rows] == [
        ("01.04.2026", "Husleje april 2026", "6.512,00"),
        ("01.04.2026", "A conto varme april 2026", "650,00"),
        ("09.04.2026", "Påkravsgebyr 2026", "335,00"),
    ]
    assert table.total is not None and table.total.cells == ("", "I alt", "7.497,00")


def test_all_92_stk_1_move_out_at_once_or_fogedret_and_liability_after() -> None:
    text = build_termination(samples.termination()).plain_text()
    assert "Du skal straks flytte fra lejemålet" in text
    assert "jf. almenlejelovens § 92, stk. 1." in text
    assert "vil vi bede fogedretten om at sætte dig ud af lejemålet (udsættelse)" in text
    assert "indtil du kunne være flyttet med almindeligt opsigelsesvarsel" in text
    assert "jf. almenlejelovens § 92, stk. 3." in text


def test_all_90_stk_1_nr_1_termination_pdf_carries_the_reference_and_the_amounts() -> None:
    pdf = render_termination(samples.termination())
    text = pdftext.all_text(pdf)
    assert "jf. almenlejelovens § 90, stk. 1, nr. 1." in text
    lines = [line for page in pdftext.page_lines(pdf) for line in page]
    assert "01.04.2026 Husleje april 2026 6.512,00" in lines
    assert "09.04.2026 Påkravsgebyr 2026 335,00" in lines
    assert "I alt 7.497,00" in lines
    # a physical letter shows the sender above the address, in the envelope window
    assert "Afsender: Boligforeningen Østjylland, Søndergade 14, 8000 Aarhus C" in lines


def test_termination_to_several_tenants() -> None:
    text = build_termination(samples.termination(recipient=samples.COUPLE)).plain_text()
    assert "Kære Anna Sørensen og Bo Ægidius Hansen" in text
    assert "I skal straks flytte" in text and "sætte jer ud" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"termination_date": date(2026, 4, 23)}, "not after the deadline"),
        ({"deadline": date(2026, 4, 20)}, "less than 14 days"),
        ({"lines": ()}, "no claim lines"),
        ({"lines": (samples.MAY_RENT,)}, "not in arrears"),
    ],
)
def test_all_90_stk_1_nr_1_termination_before_the_deadline_has_passed_is_refused(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(LetterError, match=message):
        build_termination(samples.termination(**changes))
