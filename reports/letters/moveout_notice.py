"""Meddelelse om istandsættelse (ALL § 94, stk. 2): the text of the repair notice.

The law requires the notice to state, in writing and no later than 2 weeks after the
inspection, the scope of the repairs, their estimated cost and the tenant's share; a final
cost that raises the tenant's total share by more than 10 % is not the tenant's concern.
The letter gives each item with its estimate and the tenant's share, explains the share (the
landlord's takeover under scheme A, § 26, stk. 2; the maintenance account under scheme B,
§ 27; damage in full, § 25, stk. 4) and states the 10 % ceiling in kroner.
"""

from __future__ import annotations

from dataclasses import replace

from reports.letters.common import case_meta, contact_paragraph, signature, tenant_address_block
from reports.letters.danish import amount, date_long, kr
from reports.letters.document import (
    Align,
    Block,
    Column,
    Heading,
    LetterDoc,
    Paragraph,
    Table,
    TableRow,
    bold,
    para,
)
from reports.letters.moveout_common import (
    CATEGORY_TEXT,
    CHANNEL_TEXT,
    check_case_facts,
    check_rows,
    deposit_word,
    full_home_address,
    recipient_of,
    render,
    salutation,
    sender_of,
    voice_of,
)
from reports.letters.validation import LetterError
from workflows.moveout.deadlines import LetterChannel
from workflows.moveout.documents import RepairNoticeFacts
from workflows.moveout.model import RepairCategory
from workflows.moveout.rules import overrun_cap

TITLE = "Meddelelse om istandsættelse efter fraflytning"
COLUMNS = (
    Column("Nr.", 0.06),
    Column("Arbejde", 0.35),
    Column("Art", 0.23),
    Column("Anslået (kr.)", 0.18, Align.RIGHT),
    Column("Jeres andel (kr.)", 0.18, Align.RIGHT),
)


def check_notice(facts: RepairNoticeFacts) -> None:
    check_case_facts(facts.organisation, facts.case)
    held = facts.case.inspection_held_on
    if held is None or facts.notice_date < held:
        raise LetterError("the repair notice must be dated on or after the inspection")
    if not facts.items:
        raise LetterError("the repair notice has no items")
    check_rows("the repair notice", len(facts.items))


def items_table(facts: RepairNoticeFacts, your: str) -> Table:
    columns = tuple(
        Column(f"{your.capitalize()} andel (kr.)", c.width, c.align) if i == 4 else c
        for i, c in enumerate(COLUMNS)
    )
    rows = tuple(
        TableRow(
            (
                str(item.position),
                item.text,
                CATEGORY_TEXT[item.category],
                amount(item.estimate_oere),
                amount(item.tenant_share_oere),
            )
        )
        for item in facts.items
    )
    total = TableRow(
        ("", "I alt", "", amount(facts.estimate_total_oere), amount(facts.tenant_total_oere)),
        bold=True,
    )
    return Table(columns=columns, rows=rows, total=total)


def share_paragraphs(facts: RepairNoticeFacts, you: str) -> list[Paragraph]:
    """How the tenant's share follows from the maintenance scheme (ALL §§ 25-27)."""
    has_normal = any(item.category is RepairCategory.NORMAL for item in facts.items)
    has_damage = any(item.category is RepairCategory.DAMAGE for item in facts.items)
    paragraphs = []
    if has_normal and facts.landlord_share is not None:
        pct = facts.landlord_share * 100
        pct_text = f"{float(pct):.2f}".rstrip("0").rstrip(".").replace(".", ",")
        rest = f"{float(100 - pct):.2f}".rstrip("0").rstrip(".").replace(".", ",")
        paragraphs.append(
            para(
                "Afdelingen har vedligeholdelsesordning A (almenlejelovens § 26). Normal"
                "istandsættelse, dvs. nødvendig hvidtning, maling og tapetsering af vægge og "
                f"lofter samt rengøring, betaler {you}, men udlejer overtager gradvis udgiften. "
                f"Lejemålet har været beboet i {facts.full_months} hele måneder, så udlejer "
                f"betaler {pct_text} % og {you} {rest} % af normalistandsættelsen "
                "(almenlejelovens § 26, stk. 2)."
            )
        )
    if has_normal and facts.landlord_share is None:
        paragraphs.append(
            para(
                "Afdelingen har vedligeholdelsesordning B (almenlejelovens § 27): den almindelige "
                "vedligeholdelse betales af lejemålets vedligeholdelseskonto, og "
                f"{you} betaler ikke for normalistandsættelse."
            )
        )
    if has_damage:
        paragraphs.append(
            para(
                "Misligholdelse, dvs. skader og forringelser ud over almindeligt slid, betaler "
                f"{you} fuldt ud (almenlejelovens § 25, stk. 4)."
            )
        )
    return paragraphs


def build_repair_notice(facts: RepairNoticeFacts) -> LetterDoc:
    """The text of the repair notice, validated (:func:`check_notice`)."""
    check_notice(facts)
    case = facts.case
    voice = voice_of(case)
    you, your = voice.subject, voice.possessive
    held = case.inspection_held_on
    assert held is not None
    cap = overrun_cap(facts.tenant_total_oere)
    blocks: list[Block] = [
        para(salutation(case)),
        para(
            f"Vi holdt fraflytningssyn den {date_long(held)} af lejemålet på "
            f"{full_home_address(case)} (lejemål nr. {case.unit_number.strip()}). Ved synet "
            "fastlagde vi, hvilke istandsættelsesarbejder der skal udføres for lejers regning. "
            f"Her får {voice.object} besked om arbejdernes omfang, den anslåede udgift og "
            f"{your} andel af udgiften, jf. almenlejelovens § 94, stk. 2.",
            keep_with_next=True,
        ),
        items_table(facts, your),
        Heading(f"Sådan er {your} andel beregnet"),
        *share_paragraphs(facts, you),
        Heading("Den endelige udgift"),
        para(
            "Udgifterne er anslåede. Den endelige udgift kender vi, når arbejderne er udført. "
            f"Bliver arbejderne dyrere end anslået, skal {you} højst betale 10 % mere end "
            f"{your} samlede andel af den anslåede udgift, dvs. ",
            bold(f"højst {kr(cap)}"),
            " (almenlejelovens § 94, stk. 2).",
        ),
        para(
            f"Når arbejderne er udført, sender vi {voice.object} en endelig flytteopgørelse. I "
            "den modregner vi udgiften og eventuelle andre krav i "
            f"{voice.possessive_neuter} {deposit_word(case)}."
        ),
        replace(
            contact_paragraph(
                sender_of(facts.organisation),
                voice,
                case.reference,
                lead=f"Har {you} spørgsmål, så",
            ),
            keep_with_next=True,
        ),
        signature(sender_of(facts.organisation)),
    ]
    return LetterDoc(
        sender=sender_of(facts.organisation),
        letter_date=facts.notice_date,
        title=TITLE,
        address=tenant_address_block(recipient_of(case.recipient)),
        meta=(
            *case_meta(date_long(facts.notice_date), case.unit_number, case.reference),
            ("Sendt som", CHANNEL_TEXT[case.channel]),
        ),
        blocks=tuple(blocks),
        running_head=f"{TITLE} · lejemål nr. {case.unit_number.strip()} · sagsnr. {case.reference}",
        physical=case.channel is LetterChannel.LETTER,
    )


def render_repair_notice(facts: RepairNoticeFacts) -> bytes:
    """The repair notice as an A4 PDF."""
    return render(build_repair_notice(facts))
