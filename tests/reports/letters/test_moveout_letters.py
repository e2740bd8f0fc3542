"""The move-out letters: what they say (the law's sentences and the figures), that the PDFs
say the same, stay on the page, and are the same bytes for the same facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings

from ledger.money import format_kr, parse_kroner
from reports.letters import LetterError, checksum
from reports.letters.moveout import (
    build_final_statement,
    build_guarantee_claim,
    build_repair_notice,
    render_final_statement,
    render_guarantee_claim,
    render_repair_notice,
)
from tests.reports.letters import moveout_samples as ms
from tests.reports.letters import pdftext
from tests.reports.letters.test_render import assert_stays_on_the_page
from tests.workflows.moveout.test_moveout_properties import settlement_inputs
from workflows.moveout import SettlementInput
from workflows.moveout.deadlines import LetterChannel, MoveoutCause
from workflows.moveout.documents import Party

SECTION_29 = (
    "Det skal ske senest 2 uger efter, at du har modtaget opgørelsen, jf. almenlejelovens § 29."
)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_all_94_stk_2_repair_notice_gives_scope_estimate_and_the_tenants_share() -> None:
    text = build_repair_notice(ms.NOTICE).plain_text()
    assert "1 | Maling af vægge og lofter | Normalistandsættelse | 20.000,00 | 12.600,00" in text
    assert "2 | Ødelagt køkkenlåge | Misligholdelse | 3.000,00 | 3.000,00" in text
    assert "| I alt |  | 23.000,00 | 15.600,00" in text
    assert "jf. almenlejelovens § 94, stk. 2" in text
    assert "udlejer betaler 37 % og du 63 %" in text  # 37 full months, 1 % a month
    assert "dvs. højst 17.160,00 kr. (almenlejelovens § 94, stk. 2)" in text  # 15.600 x 1,1
    assert "Nørregade 3, 1. th." in text  # the new address (ALL § 93, stk. 2)


def test_the_final_statement_carries_the_all_29_right_and_the_figures() -> None:
    text = build_final_statement(ms.statement()).plain_text()
    assert "beboerklagenævnet i Aarhus Kommune" in text
    assert SECTION_29 in text
    assert "Husleje marts 2026 | 6.500,00" in text
    assert "Maling af vægge og lofter | 21.000,00 | 7.770,00 | 13.230,00 | 0,00" in text
    assert "Ødelagt køkkenlåge | 3.000,00 | 0,00 | 3.000,00 | 2.730,00" in text
    assert "Krav i alt | 22.730,00" in text
    assert "Modregnet i indskud | -20.000,00" in text
    assert "Betales af Aarhus Kommune (garanti) | -2.730,00" in text
    assert "Du skal betale | 0,00" in text
    assert "Udlejer betaler 37 % af normalistandsættelsen" in text
    pdf = render_final_statement(ms.statement())
    assert_stays_on_the_page(pdf)
    printed = squeeze(pdftext.all_text(pdf))
    assert squeeze(SECTION_29) in printed
    for figure in ("6.500,00", "13.230,00", "2.730,00", "20.000,00", "22.730,00"):
        assert figure in printed


def test_final_statement_with_a_refund_udlaeg_and_beboerindskudslaan() -> None:
    case = replace(ms.CASE, municipally_assigned=False, channel=LetterChannel.LETTER)
    text = build_final_statement(ms.statement(ms.REFUND_INPUT, case=case)).plain_text()
    assert "Du får 12.470,00 kr. udbetalt." in text
    assert "Til kommunen (beboerindskudslån) | -2.000,00" in text
    assert "Udlæg: Gældsstyrelsen (registreret 01.04.2026) | -1.000,00" in text
    assert "Udlæg: Bank A/S (registreret 15.04.2026) | -9.000,00" in text
    assert "Udbetales til dig | 12.470,00" in text
    assert "garanti" not in text.lower()


def test_abl_59_stk_1_guarantee_claim_names_the_amount_the_order_and_no_cpr() -> None:
    text = build_guarantee_claim(ms.statement()).plain_text()
    assert "Vi anmoder Aarhus Kommune om at betale 2.730,00 kr." in text
    assert "lov om almene boliger § 59, stk. 1, og § 63, stk. 3" in text
    assert "Indskud brugt til krav, som garantien ikke dækker | -6.500,00" in text
    assert "Indskud brugt til istandsættelse | -13.500,00" in text
    assert "Krav efter garantien | 2.730,00" in text
    assert "Ødelagt køkkenlåge | Misligholdelse | 3.000,00 | 270,00 | 2.730,00" in text
    assert "Anna Sørensen" in text and "Vestergade 12, 2. tv." in text
    pdf = render_guarantee_claim(ms.statement())
    assert_stays_on_the_page(pdf)
    assert "2.730,00" in pdftext.all_text(pdf)


def test_no_guarantee_claim_without_an_assigned_tenant_or_a_claim() -> None:
    with pytest.raises(LetterError, match="not municipally assigned"):
        build_guarantee_claim(ms.statement(case=replace(ms.CASE, municipally_assigned=False)))
    with pytest.raises(LetterError, match="no guarantee claim"):
        build_guarantee_claim(ms.statement(ms.REFUND_INPUT))


def test_same_facts_same_bytes() -> None:
    for render, facts in (
        (render_repair_notice, ms.NOTICE),
        (render_final_statement, ms.statement()),
        (render_guarantee_claim, ms.statement()),
    ):
        first, second = render(facts), render(facts)  # type: ignore[operator]
        assert first == second and checksum(first) == checksum(second)
    later = ms.statement(document_date=date(2026, 5, 12))
    assert render_final_statement(later) != render_final_statement(ms.statement())


def test_repair_notice_fits_one_page_and_stays_on_it() -> None:
    pdf = render_repair_notice(ms.NOTICE)
    assert_stays_on_the_page(pdf)
    assert pdftext.page_count(pdf) == 1


def test_two_tenants_are_i_and_an_estate_is_addressed_as_the_estate() -> None:
    couple = replace(
        ms.CASE, recipient=replace(ms.NEW_ADDRESS, names=("Anna Sørensen", "Bo Hansen"))
    )
    text = build_final_statement(ms.statement(case=couple)).plain_text()
    assert "Kære Anna Sørensen og Bo Hansen" in text
    assert "at I har modtaget opgørelsen, jf. almenlejelovens § 29" in text
    estate = replace(
        ms.CASE,
        cause=MoveoutCause.DEATH,
        deceased=True,
        recipient=Party(("Dødsboet efter Anna Sørensen",), "Advokatvej 1", "8000", "Aarhus C"),
    )
    text = build_repair_notice(replace(ms.NOTICE, case=estate)).plain_text()
    assert "Til dødsboet efter Anna Sørensen" in text


def test_a_cpr_number_in_a_text_is_refused() -> None:
    home = replace(ms.HOME, names=("Anna Sørensen 010190-1234",))
    with pytest.raises(LetterError, match="CPR"):
        build_final_statement(ms.statement(case=replace(ms.CASE, home=home)))


@settings(max_examples=100, deadline=None)
@given(settlement_inputs())
def test_every_statement_and_guarantee_claim_adds_up(inp: SettlementInput) -> None:
    facts = ms.statement(inp, settled_on=inp.tenancy_end, document_date=inp.tenancy_end)
    s = facts.settlement
    reckoning = build_final_statement(facts).tables()[-2]  # before the deposit table
    labels = [row.cells[0] for row in reckoning.rows]
    amounts = [parse_kroner(row.cells[1]) for row in reckoning.rows]
    cut = labels.index("Krav i alt")
    subtotal = amounts[cut]
    assert subtotal == sum(amounts[:cut])
    assert subtotal == s.open_items_net_oere + s.other_claims_oere + s.repairs_tenant_oere
    assert subtotal + sum(amounts[cut + 1 :]) == s.tenant_owes_oere - s.credit_refund_oere
    assert reckoning.total is not None
    assert reckoning.total.cells[1] == format_kr(s.credit_refund_oere or s.tenant_owes_oere)
    if s.guarantee_claim_oere:
        claim = build_guarantee_claim(facts)  # asserts that its rows add up to the claim
        assert f"Krav efter garantien | {format_kr(s.guarantee_claim_oere)}" in claim.plain_text()
