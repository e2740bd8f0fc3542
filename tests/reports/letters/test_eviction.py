"""Anmodning om udsættelse to the fogedret (ALL § 92, stk. 2; retsplejeloven kap. 55)."""

from datetime import date

import pytest

from reports.letters import LetterError, render_eviction_request
from reports.letters.eviction import build_eviction_request, children_sentence
from tests.reports.letters import pdftext, samples

MUNICIPALITY = (
    "Boligforeningen Østjylland har den 4. maj 2026 skriftligt underrettet Aarhus Kommune om, at "
    "en sag om lejerestance er indgivet til fogedretten, jf. almenlejelovens § 92, stk. 2."
)


def test_all_92_stk_2_request_states_the_municipality_was_notified() -> None:
    assert MUNICIPALITY in build_eviction_request(samples.eviction_request()).plain_text()


def test_all_92_stk_2_municipality_sentence_is_in_the_pdf() -> None:
    text = pdftext.all_text(render_eviction_request(samples.eviction_request()))
    assert MUNICIPALITY in text
    assert "Fogedretten i Aarhus" in text


def test_all_92_stk_2_notice_after_filing_is_refused() -> None:
    late = samples.eviction_request(municipality_notified_on=date(2026, 5, 5))
    with pytest.raises(LetterError, match="no later than at the same time"):
        build_eviction_request(late)
    earlier = samples.eviction_request(municipality_notified_on=date(2026, 4, 30))
    assert (
        "den 30. april 2026 skriftligt underrettet" in build_eviction_request(earlier).plain_text()
    )


def test_request_has_parties_unit_basis_request_and_bilag() -> None:
    doc = build_eviction_request(samples.eviction_request())
    text = doc.plain_text()
    assert doc.address == ("Fogedretten i Aarhus",)
    for expected in (
        "Anmodning om udsættelse af lejer",
        "Rekvirent (udlejer)",
        "CVR-nr. 12345678",
        "Rekvisitus (lejer)",
        "Vestergade 12, 2. tv., 8000 Aarhus C, lejemål nr. 12-034.",
        "Vi anmoder fogedretten om, at Anna Sørensen udsættes af lejemålet på Vestergade 12, "
        "2. tv., 8000 Aarhus C, jf. retsplejelovens kapitel 55.",
        "Vi sendte den 9. april 2026 påkrav til lejeren om betaling af restance med frist til "
        "torsdag den 23. april 2026",
        "Vi ophævede derfor lejeaftalen ved brev af 27. april 2026, jf. almenlejelovens § 90, "
        "stk. 1, nr. 1.",
        "Restancen udgør pr. 4. maj 2026 i alt 14.009,00 kr. og består af:",
        "Bilag 1: Kopi af lejekontrakt",
        "Bilag 2: Kopi af påkrav af 9. april 2026",
        "Bilag 3: Kopi af ophævelse af 27. april 2026",
    ):
        assert expected in text, expected
    (table,) = doc.tables()
    assert len(table.rows) == 4
    assert table.total is not None and table.total.cells[2] == "14.009,00"


def test_children_in_household() -> None:
    assert children_sentence(None, "lejeren") == (
        "Det er ikke oplyst, om der bor børn under 18 år i lejerens husstand."
    )
    assert children_sentence(0, "lejeren") == (
        "Efter vores oplysninger bor der ikke børn under 18 år i lejerens husstand."
    )
    assert "bor der 1 barn under 18 år" in children_sentence(1, "lejeren")
    assert "bor der 3 børn under 18 år i lejernes husstand" in children_sentence(3, "lejerne")
    text = build_eviction_request(samples.eviction_request()).plain_text()
    assert "Efter vores oplysninger bor der 2 børn under 18 år i lejerens husstand." in text


def test_several_tenants_are_rekvisiti_together() -> None:
    doc = build_eviction_request(samples.eviction_request(tenant=samples.COUPLE))
    text = doc.plain_text()
    assert "Rekvisitus (lejere)" in text
    assert "at Anna Sørensen og Bo Ægidius Hansen udsættes af lejemålet" in text
    assert "Lejerne er ikke fraflyttet lejemålet." in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"request_date": date(2026, 4, 26)}, "before the termination_date"),
        ({"termination_date": date(2026, 4, 23)}, "not after the påkrav deadline"),
        ({"children_in_household": -1}, "negative"),
        ({"court": ""}, "court is empty"),
        ({"municipality_name": ""}, "municipality_name is empty"),
    ],
)
def test_inconsistent_request_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(LetterError, match=message):
        build_eviction_request(samples.eviction_request(**changes))
