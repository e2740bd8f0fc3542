"""Pieces every letter shares: the address block, the claim table, contact and signature."""

from __future__ import annotations

from collections.abc import Sequence

from reports.letters.danish import Voice, amount, date_short
from reports.letters.document import Align, Column, Lines, Paragraph, Table, TableRow, para
from workflows.arrears.letter_data import Channel, ClaimLine, Recipient, Sender

CLAIM_COLUMNS = (
    Column("Forfaldsdato", 0.18),
    Column("Tekst", 0.57),
    Column("Beløb (kr.)", 0.25, Align.RIGHT),
)

CHANNEL_TEXT = {
    Channel.DIGITAL_POST: "Digital Post",
    Channel.LETTER: "Brev med posten",
}


def postal_line(postcode: str, city: str) -> str:
    return f"{postcode.strip()} {city.strip()}"


def full_address(recipient: Recipient) -> str:
    """Vestergade 12, 2. tv., 8000 Aarhus C."""
    return f"{recipient.address.strip()}, {postal_line(recipient.postcode, recipient.city)}"


def tenant_address_block(recipient: Recipient) -> tuple[str, ...]:
    return (
        *recipient.names,
        recipient.address.strip(),
        postal_line(recipient.postcode, recipient.city),
    )


def claim_row(line: ClaimLine) -> TableRow:
    return TableRow((date_short(line.due_date), line.text, amount(line.amount_oere)))


def claim_table(
    lines: Sequence[ClaimLine],
    *,
    extra: Sequence[TableRow] = (),
    total_label: str,
    total_oere: int,
) -> Table:
    """The claim lines as given, in the order given, then ``extra`` rows, then the total."""
    rows = (*(claim_row(line) for line in lines), *extra)
    total = TableRow(("", total_label, amount(total_oere)), bold=True)
    return Table(columns=CLAIM_COLUMNS, rows=rows, total=total)


def contact_phrase(sender: Sender) -> str:
    """'på telefon 70 12 34 56 eller e-mail leje@example.dk' (whatever the sender has)."""
    ways = []
    if sender.phone.strip():
        ways.append(f"på telefon {sender.phone.strip()}")
    if sender.email.strip():
        ways.append(f"på e-mail {sender.email.strip()}")
    if not ways:
        ways.append(
            f"ved at skrive til {sender.address.strip()}, "
            f"{postal_line(sender.postcode, sender.city)}"
        )
    return " eller ".join(ways)


def contact_paragraph(
    sender: Sender, voice: Voice, case_reference: str, lead: str = ""
) -> Paragraph:
    """ "Kontakt os ..." or, with ``lead`` (e.g. 'Har du betalt, så'), "<lead> kontakt os ..."."""
    start = f"{lead} kontakt os" if lead else "Kontakt os"
    return para(
        f"{start} {contact_phrase(sender)}. "
        f"Oplys sagsnummer {case_reference.strip()}, når {voice.subject} kontakter os."
    )


def municipality_advice(voice: Voice) -> Paragraph:
    """The municipality advises tenants at risk of eviction (seed 000, Afsnit II; RSL § 5)."""
    return para(
        f"Har {voice.subject} svært ved at betale, kan {voice.subject} også kontakte "
        f"{voice.possessive} kommune. Kommunen kan give {voice.object} råd og vejledning og "
        f"se på, om {voice.subject} kan få hjælp."
    )


def signature(sender: Sender) -> Lines:
    return Lines(("Med venlig hilsen", sender.name.strip()), keep_with_previous=True)


def case_meta(
    letter_date_text: str, unit_number: str, case_reference: str
) -> tuple[tuple[str, str], ...]:
    return (
        ("Dato", letter_date_text),
        ("Lejemål nr.", unit_number.strip()),
        ("Sagsnr.", case_reference.strip()),
    )
