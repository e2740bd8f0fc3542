"""Påkrav om betaling af restance (ALL § 90, stk. 2): the text of the letter.

What the law requires the letter to say, and where it says it:

- it demands only the unpaid pligtige items given (``letter.lines``) and the påkrav fee, each
  as a table row, with the total in bold (§ 90, stk. 2, 5.-8. pkt.: the fee is itself pligtig);
- it states expressly that the lease (lejeforholdet) can be terminated (ophæves) if the arrears
  are not paid by the deadline, and gives the deadline with its weekday (§ 90, stk. 2, 2. pkt.),
  in a framed paragraph that cannot be overlooked (:func:`termination_warning`).

Payment on the deadline day is in time (domain.md §2; timeliness is judged by the payment
date), so the letter says "betalt senest <deadline>" and does not ask that the money *reach*
the organisation by then, which would shorten the 14 days by the bank's clearing time.
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
from reports.letters.danish import (
    Voice,
    amount,
    date_long,
    date_with_weekday,
    join_names,
    kr,
    voice_for,
)
from reports.letters.document import (
    Block,
    Heading,
    LetterDoc,
    Paragraph,
    ParagraphStyle,
    TableRow,
    bold,
    para,
)
from reports.letters.validation import check_pakrav
from workflows.arrears.letter_data import Channel, PakravLetter

TITLE = "Påkrav om betaling af restance"


def termination_warning(letter: PakravLetter, voice: Voice) -> Paragraph:
    """The statement ALL § 90, stk. 2, 2. pkt. requires: the lease can be terminated
    (ophæves) if the arrears are not paid before the deadline expires, with the deadline."""
    return para(
        bold(
            f"Hvis {voice.subject} ikke betaler hele beløbet på {kr(letter.total_oere)} "
            f"senest {date_with_weekday(letter.deadline)}, kan lejeforholdet ophæves, "
            "jf. almenlejelovens § 90, stk. 1, nr. 1, og stk. 2."
        ),
        f" Det betyder, at {voice.subject} i så fald kan miste {voice.possessive} bolig.",
        style=ParagraphStyle.NOTICE,
    )


def payment_paragraphs(letter: PakravLetter, voice: Voice) -> list[Paragraph]:
    details = letter.sender.payment_details.strip()
    unit = letter.unit_number.strip()
    if details:
        how = para(
            f"Betal beløbet til {details}. Skriv lejemål nr. {unit} ved betalingen, så vi kan "
            f"se, hvem betalingen kommer fra."
        )
    else:
        how = para(
            f"Kontakt os, så fortæller vi, hvordan {voice.subject} kan betale. Skriv lejemål "
            f"nr. {unit} ved betalingen, så vi kan se, hvem betalingen kommer fra."
        )
    when = para(
        "Beløbet skal være betalt senest ",
        bold(date_with_weekday(letter.deadline)),
        f". Betaler {voice.subject} med bankoverførsel, så sørg for, at overførslen bliver "
        "gennemført senest den dag og ikke med en senere betalingsdato. Betal gerne så hurtigt "
        "som muligt.",
    )
    partial = para(
        f"Betaler {voice.subject} kun en del af beløbet, kan lejeforholdet stadig ophæves."
    )
    return [how, when, partial]


def build_pakrav(letter: PakravLetter) -> LetterDoc:
    """The text of a påkrav, validated (:func:`check_pakrav`)."""
    check_pakrav(letter)
    voice = voice_for(letter.recipient.names)
    fee_rows = (
        (TableRow(("", letter.fee_text.strip(), amount(letter.fee_oere))),)
        if letter.fee_oere > 0
        else ()
    )
    blocks: list[Block] = [
        para(f"Kære {join_names(letter.recipient.names)}"),
        para(
            f"Vi har ikke modtaget betaling af følgende beløb for {voice.possessive_neuter} "
            f"lejemål på {full_address(letter.recipient)} (lejemål nr. "
            f"{letter.unit_number.strip()}):",
            keep_with_next=True,
        ),
        claim_table(
            letter.lines,
            extra=fee_rows,
            total_label="I alt at betale",
            total_oere=letter.total_oere,
        ),
    ]
    if letter.fee_oere > 0:
        blocks.append(
            para(
                f"Gebyret på {kr(letter.fee_oere)} for dette påkrav følger af almenlejelovens "
                "§ 90, stk. 2.",
                style=ParagraphStyle.SMALL,
            )
        )
    blocks += [
        termination_warning(letter, voice),
        Heading(f"Sådan betaler {voice.subject}"),
        *payment_paragraphs(letter, voice),
        Heading(f"Har {voice.subject} spørgsmål?"),
        contact_paragraph(
            letter.sender,
            voice,
            letter.case_reference,
            lead=f"Mener {voice.subject}, at beløbet er forkert, eller har {voice.subject} "
            "allerede betalt, så",
        ),
        municipality_advice(voice),
        signature(letter.sender),
    ]
    return LetterDoc(
        sender=letter.sender,
        letter_date=letter.dispatch_date,
        title=TITLE,
        address=tenant_address_block(letter.recipient),
        meta=(
            *case_meta(date_long(letter.dispatch_date), letter.unit_number, letter.case_reference),
            ("Sendt som", CHANNEL_TEXT[letter.channel]),
        ),
        blocks=tuple(blocks),
        running_head=f"{TITLE} · lejemål nr. {letter.unit_number.strip()} · sagsnr. "
        f"{letter.case_reference.strip()}",
        physical=letter.channel is Channel.LETTER,
    )
