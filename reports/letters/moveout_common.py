"""Pieces the move-out letters share: sender and recipient from the workflow's facts, checks,
Danish words for the repair categories and the maintenance scheme, and rendering to PDF.

The facts come from ``workflows.moveout.documents`` (plain dataclasses, no database).
"""

from __future__ import annotations

from collections.abc import Sequence

from reports.letters.danish import (
    PLURAL,
    Voice,
    amount,
    join_names,
    municipality_display_name,
    voice_for,
)
from reports.letters.document import Align, Column, LetterDoc, Table, TableRow
from reports.letters.layout import draw_letter
from reports.letters.typeset import needs_unicode_font, new_document
from reports.letters.validation import LetterError, check_case, check_recipient, check_sender
from workflows.arrears.letter_data import Recipient, Sender
from workflows.moveout.deadlines import LetterChannel
from workflows.moveout.documents import CaseFacts, OrganisationFacts, Party
from workflows.moveout.model import RepairCategory

CATEGORY_TEXT = {
    RepairCategory.NORMAL: "Normalistandsættelse",
    RepairCategory.DAMAGE: "Misligholdelse",
}
CHANNEL_TEXT = {
    LetterChannel.DIGITAL_POST: "Digital Post",
    LetterChannel.LETTER: "Brev med posten",
    LetterChannel.HAND: "Udleveret personligt",
}
MAX_ROWS = 60  # repairs or claim rows in one table


def sender_of(org: OrganisationFacts) -> Sender:
    return Sender(
        name=org.name,
        address=org.address,
        postcode=org.postcode,
        city=org.city,
        cvr=org.cvr,
        phone=org.phone,
        email=org.email,
        payment_details=org.payment_details,
    )


def recipient_of(party: Party) -> Recipient:
    return Recipient(
        names=party.names, address=party.address, postcode=party.postcode, city=party.city
    )


def check_case_facts(org: OrganisationFacts, case: CaseFacts) -> None:
    """Refuse letters with missing names or addresses, or anything that looks like a CPR
    number (letters carry none)."""
    check_sender(sender_of(org))
    check_recipient("case.recipient", recipient_of(case.recipient))
    check_recipient("case.home", recipient_of(case.home))
    check_case(case.unit_number, case.reference)


def check_rows(what: str, count: int) -> None:
    if count > MAX_ROWS:
        raise LetterError(f"{what} has more than {MAX_ROWS} rows")


def municipality(case: CaseFacts) -> str:
    """'Aarhus Kommune' (the municipality the home lies in)."""
    if not case.municipality_name:
        raise LetterError(f"no municipality with code {case.municipality_code}")
    return municipality_display_name(case.municipality_name)


def full_home_address(case: CaseFacts) -> str:
    home = case.home
    return f"{home.address.strip()}, {home.postcode.strip()} {home.city.strip()}"


def deposit_word(case: CaseFacts) -> str:
    """'indskud' (ALL § 45) or 'depositum' (§ 46), as the lease says."""
    return "depositum" if case.deposit_kind == "depositum" else "indskud"


def money_table(rows: Sequence[tuple[str, int]], total: tuple[str, int] | None) -> Table:
    """Two columns, text and amount (kr.)."""
    columns = (Column("Tekst", 0.75), Column("Beløb (kr.)", 0.25, Align.RIGHT))
    return Table(
        columns=columns,
        rows=tuple(TableRow((text, amount(value))) for text, value in rows),
        total=None if total is None else TableRow((total[0], amount(total[1])), bold=True),
    )


def voice_of(case: CaseFacts) -> Voice:
    """'du' to one tenant, 'I' to several, and 'I' to an estate (its representatives)."""
    return PLURAL if case.deceased else voice_for(case.recipient.names)


def salutation(case: CaseFacts) -> str:
    names = join_names(case.recipient.names)
    return f"Til {names[:1].lower()}{names[1:]}" if case.deceased else f"Kære {names}"


def render(doc: LetterDoc) -> bytes:
    """A LetterDoc as PDF bytes, dated by the letter (never the clock: same data, same bytes)."""
    pdf = new_document(
        created=doc.letter_date,
        title=f"{doc.title} – {doc.running_head.split(' · ', 1)[-1]}",
        author=doc.sender.name.strip(),
        unicode=needs_unicode_font(doc.printed_texts()),
    )
    draw_letter(pdf, doc)
    return bytes(pdf.output())
