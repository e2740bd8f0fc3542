"""Ophævelse af lejeaftale (ALL § 90, stk. 1, nr. 1; § 92): the text of the letter.

It refers to the påkrav and its deadline, says the arrears were not paid, terminates the lease
citing § 90, stk. 1, nr. 1, lists what is owed, tells the tenant to move out at once (§ 92,
stk. 1) or the organisation will ask the fogedret for an eviction, and explains what the tenant
still owes afterwards.

On that last point the law is more precise than "rent until the home is re-let": § 92, stk. 1
makes the tenant pay rent for the time until they could have moved with the ordinary notice
(§ 88) and compensate any other loss, including the costs of an eviction; § 92, stk. 3 deducts
what re-letting in that period brings in (or should have). The letter says exactly that.
"""

from __future__ import annotations

from reports.letters.common import (
    CHANNEL_TEXT,
    case_meta,
    claim_table,
    contact_paragraph,
    full_address,
    municipality_advice,
    signature,
    tenant_address_block,
)
from reports.letters.danish import date_long, date_with_weekday, join_names, voice_for
from reports.letters.document import Block, Heading, LetterDoc, ParagraphStyle, bold, para
from reports.letters.validation import check_termination
from workflows.arrears.letter_data import Channel, TerminationLetter

TITLE = "Ophævelse af lejeaftale"


def build_termination(letter: TerminationLetter) -> LetterDoc:
    """The text of an ophævelse, validated (:func:`check_termination`)."""
    check_termination(letter)
    voice = voice_for(letter.recipient.names)
    you, your = voice.subject, voice.possessive
    address = full_address(letter.recipient)
    blocks: list[Block] = [
        para(f"Kære {join_names(letter.recipient.names)}"),
        para(
            f"Den {date_long(letter.pakrav_date)} sendte vi {voice.object} et påkrav om betaling "
            f"af restance for {voice.possessive_neuter} lejemål på {address} (lejemål nr. "
            f"{letter.unit_number.strip()}). I påkravet skrev vi, at lejeforholdet kunne "
            f"ophæves, hvis restancen ikke var betalt senest "
            f"{date_with_weekday(letter.deadline)}."
        ),
        para("Vi har ikke modtaget betaling af restancen inden fristen."),
        para(
            bold(
                f"Vi ophæver derfor hermed {your} lejeaftale for lejemålet på {address}, "
                "jf. almenlejelovens § 90, stk. 1, nr. 1."
            ),
            style=ParagraphStyle.NOTICE,
        ),
        Heading(f"Det skylder {you}"),
        para(f"{voice.subject_capitalized} skylder fortsat følgende:", keep_with_next=True),
        claim_table(letter.lines, total_label="I alt", total_oere=letter.total_oere),
        Heading(f"{voice.subject_capitalized} skal flytte"),
        para(
            f"{voice.subject_capitalized} skal straks flytte fra lejemålet og aflevere nøglerne "
            f"til os, jf. almenlejelovens § 92, stk. 1. Kontakt os for at aftale, hvordan "
            f"{you} afleverer nøglerne."
        ),
        para(
            f"Flytter {you} ikke, vil vi bede fogedretten om at sætte {voice.object} ud af "
            "lejemålet (udsættelse). Udgifterne til en udsættelse skal "
            f"{you} betale, jf. almenlejelovens § 92, stk. 1."
        ),
        Heading(f"Det skal {you} betale, efter at lejeaftalen er ophævet"),
        para(
            f"Selv om lejeaftalen er ophævet, skal {you} betale husleje mv. for perioden, indtil "
            f"{you} kunne være flyttet med almindeligt opsigelsesvarsel, og {you} skal dække "
            "vores øvrige tab, jf. almenlejelovens § 92, stk. 1."
        ),
        para(
            "Vi vil forsøge at leje boligen ud igen. Det, vi får ind eller burde have fået ind "
            f"ved at leje boligen ud i den periode, trækker vi fra det, {you} skal betale, "
            "jf. almenlejelovens § 92, stk. 3."
        ),
        Heading(f"Har {you} spørgsmål?"),
        contact_paragraph(letter.sender, voice, letter.case_reference),
        municipality_advice(voice),
        signature(letter.sender),
    ]
    return LetterDoc(
        sender=letter.sender,
        letter_date=letter.termination_date,
        title=TITLE,
        address=tenant_address_block(letter.recipient),
        meta=(
            *case_meta(
                date_long(letter.termination_date), letter.unit_number, letter.case_reference
            ),
            ("Sendt som", CHANNEL_TEXT[letter.channel]),
        ),
        blocks=tuple(blocks),
        running_head=f"{TITLE} · lejemål nr. {letter.unit_number.strip()} · sagsnr. "
        f"{letter.case_reference.strip()}",
        physical=letter.channel is Channel.LETTER,
    )
