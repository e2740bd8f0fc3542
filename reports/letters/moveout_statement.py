"""Flytteopgørelse: the text of the final statement of a move-out.

Itemised: what was unpaid on the account, other claims, each repair with the landlord's share
(ALL § 26, stk. 2, or the maintenance account, § 27), what lapsed (§ 94, stk. 2, 1. pkt.) or
exceeded the estimate by more than 10 % (2. pkt.) and the tenant's share; then the reckoning:
the deposit set off (§ 47, stk. 2), the municipal guarantee (ABL § 59, stk. 1), the
beboerindskudslån, udlæg, and what the tenant owes or gets back. It ends with the tenant's
right to bring the statement before the beboerklagenævn no later than 2 weeks after receiving
it (ALL § 29, 2. pkt.), framed so it cannot be missed.
"""

from __future__ import annotations

from reports.letters.common import case_meta, contact_paragraph, signature, tenant_address_block
from reports.letters.danish import Voice, amount, date_long, date_short, kr
from reports.letters.document import (
    Align,
    Block,
    Column,
    Heading,
    LetterDoc,
    Paragraph,
    ParagraphStyle,
    Table,
    TableRow,
    bold,
    para,
)
from reports.letters.moveout_common import (
    CHANNEL_TEXT,
    check_case_facts,
    check_rows,
    deposit_word,
    full_home_address,
    money_table,
    municipality,
    recipient_of,
    render,
    salutation,
    sender_of,
    voice_of,
)
from reports.letters.validation import LetterError
from workflows.moveout.deadlines import LetterChannel
from workflows.moveout.documents import StatementFacts
from workflows.moveout.model import Settlement

TITLE = "Flytteopgørelse"


def section_29(facts: StatementFacts, voice: Voice) -> Paragraph:
    """ALL § 29: disagreement about the statement goes to the beboerklagenævn, "senest 2 uger
    efter, at lejeren har modtaget opgørelsen"."""
    return para(
        bold(
            f"Er {voice.subject} uenig i opgørelsen, kan {voice.subject} indbringe den for "
            f"beboerklagenævnet i {municipality(facts.case)}. Det skal ske senest 2 uger efter, "
            f"at {voice.subject} har modtaget opgørelsen, jf. almenlejelovens § 29."
        ),
        " Beboerklagenævnet afgør også uenighed om tilbagebetaling af "
        f"{deposit_word(facts.case)} (almenlejelovens § 50).",
        style=ParagraphStyle.NOTICE,
    )


def check_statement(facts: StatementFacts) -> None:
    check_case_facts(facts.organisation, facts.case)
    if facts.document_date < facts.settled_on:
        raise LetterError("the statement is dated before its settlement")
    inp = facts.input
    check_rows("the statement", len(inp.open_items) + len(inp.other_claims) + len(facts.repairs))


def result_sentence(s: Settlement, voice: Voice) -> Paragraph:
    payout = s.refund_oere + s.credit_refund_oere
    if s.tenant_owes_oere:
        text = f"{voice.subject_capitalized} skal betale {kr(s.tenant_owes_oere)}"
    elif payout:
        text = f"{voice.subject_capitalized} får {kr(payout)} udbetalt."
    else:
        text = f"{voice.subject_capitalized} skylder ikke noget, og der er intet til udbetaling."
    return para(bold(text))


def repairs_table(facts: StatementFacts, your: str) -> Table:
    guarantee = facts.settlement.guarantee_claim_oere > 0
    amount_w = 0.17 if guarantee else 0.19
    columns = [
        Column("Arbejde", 1 - amount_w * (4 if guarantee else 3)),
        Column("Udgift", amount_w, Align.RIGHT),
        Column("Udlejer betaler", amount_w, Align.RIGHT),
        Column(f"{your.capitalize()} andel", amount_w, Align.RIGHT),
    ]
    if guarantee:
        columns.append(Column("Heraf kommunen", amount_w, Align.RIGHT))

    def row(*cells: str, guarantee_cell: str, bold_row: bool = False) -> TableRow:
        return TableRow((*cells, guarantee_cell) if guarantee else cells, bold=bold_row)

    rows = tuple(
        row(
            r.text,
            amount(r.amount_oere),
            amount(r.amount_oere - r.tenant_oere),
            amount(r.tenant_oere),
            guarantee_cell=amount(r.guarantee_oere),
        )
        for r in facts.repairs
    )
    reps = facts.repairs
    total = row(
        "I alt",
        amount(sum(r.amount_oere for r in reps)),
        amount(sum(r.amount_oere - r.tenant_oere for r in reps)),
        amount(sum(r.tenant_oere for r in reps)),
        guarantee_cell=amount(facts.settlement.guarantee_claim_oere),
        bold_row=True,
    )
    return Table(columns=tuple(columns), rows=rows, total=total)


def repair_explanations(facts: StatementFacts, voice: Voice) -> list[Paragraph]:
    s, you = facts.settlement, voice.subject
    notes = []
    if s.landlord_share is not None and s.landlord_share > 0:
        pct = f"{float(s.landlord_share * 100):.2f}".rstrip("0").rstrip(".").replace(".", ",")
        notes.append(
            f"Udlejer betaler {pct} % af normalistandsættelsen, fordi lejemålet har været "
            f"beboet i {s.full_months} hele måneder (almenlejelovens § 26, stk. 2)."
        )
    if s.landlord_share is None and any(r.landlord_oere for r in facts.repairs):
        notes.append(
            "Normalistandsættelse betales af vedligeholdelseskontoen (vedligeholdelsesordning "
            "B, almenlejelovens § 27)."
        )
    if any(r.category.value == "damage" for r in facts.repairs):
        notes.append(f"Misligholdelse betaler {you} fuldt ud (almenlejelovens § 25, stk. 4).")
    overrun = sum(r.overrun_oere for r in facts.repairs)
    if overrun:
        notes.append(
            f"Arbejderne blev dyrere end anslået. {voice.subject_capitalized} betaler højst 10 % "
            f"mere end {voice.possessive} andel af overslaget; {kr(overrun)} betaler udlejer "
            "(almenlejelovens § 94, stk. 2, 2. pkt.)."
        )
    lapsed = sum(r.lapsed_oere for r in facts.repairs)
    if lapsed:
        notes.append(
            f"Vi gav ikke skriftlig meddelelse om istandsættelsen inden 2 uger efter synet. "
            f"Derfor skal {you} ikke betale for istandsættelsen ({kr(lapsed)}), jf. "
            "almenlejelovens § 94, stk. 2."
        )
    return [para(text, style=ParagraphStyle.SMALL) for text in notes]


def reckoning(facts: StatementFacts, voice: Voice) -> Table:
    s, inp = facts.settlement, facts.input
    rows: list[tuple[str, int]] = []
    if inp.open_items:
        rows.append(("Ubetalte beløb på lejekontoen", s.open_items_net_oere))
    if inp.other_claims:
        rows.append(("Andre krav", s.other_claims_oere))
    if facts.repairs:
        rows.append(
            (f"{voice.possessive.capitalize()} andel af istandsættelse", s.repairs_tenant_oere)
        )
    rows.append(("Krav i alt", s.open_items_net_oere + s.other_claims_oere + s.repairs_tenant_oere))
    rows.append((f"Modregnet i {deposit_word(facts.case)}", -s.deposit_applied_oere))
    if s.guarantee_claim_oere:
        rows.append((f"Betales af {municipality(facts.case)} (garanti)", -s.guarantee_claim_oere))
    if s.credit_refund_oere:
        total = (f"{voice.possessive.capitalize()} tilgodehavende", s.credit_refund_oere)
    else:
        total = (f"{voice.subject_capitalized} skal betale", s.tenant_owes_oere)
    return money_table(rows, total)


def deposit_table(facts: StatementFacts, voice: Voice) -> Table:
    s, word = facts.settlement, deposit_word(facts.case)
    rows: list[tuple[str, int]] = [
        (word.capitalize(), s.deposit_oere),
        ("Brugt til dækning af krav", -s.deposit_applied_oere),
    ]
    if s.paid_to_indskudslaan_oere:
        rows.append(("Til kommunen (beboerindskudslån)", -s.paid_to_indskudslaan_oere))
    for p in s.paid_to_attachments:
        rows.append(
            (f"Udlæg: {p.creditor} (registreret {date_short(p.registered_on)})", -p.amount_oere)
        )
    if s.credit_refund_oere:
        rows.append((f"Udbetales til {voice.object}", s.refund_oere))
        rows.append((f"{voice.possessive.capitalize()} tilgodehavende", s.credit_refund_oere))
        return money_table(rows, ("I alt til udbetaling", s.refund_oere + s.credit_refund_oere))
    return money_table(rows, (f"Udbetales til {voice.object}", s.refund_oere))


def money_paragraphs(facts: StatementFacts, voice: Voice) -> list[Paragraph]:
    s, case = facts.settlement, facts.case
    out = []
    if s.tenant_owes_oere:
        details = facts.organisation.payment_details.strip()
        where = f"til {details}" if details else "til os"
        out.append(
            para(
                f"Betal beløbet på {kr(s.tenant_owes_oere)} {where}. Skriv lejemål nr. "
                f"{case.unit_number.strip()} og sagsnr. {case.reference} ved betalingen."
            )
        )
    payout = s.refund_oere + s.credit_refund_oere
    if payout:
        out.append(
            para(
                f"Vi udbetaler {kr(payout)} til {voice.object}. Har vi ikke "
                f"{voice.possessive} kontooplysninger, så kontakt os."
            )
        )
    if s.guarantee_claim_oere:
        out.append(
            para(
                f"{voice.subject_capitalized} blev anvist til boligen af {municipality(case)}, "
                "som garanterer for udgifter til istandsættelse ved fraflytning (lov om almene "
                f"boliger § 59, stk. 1). {voice.possessive_neuter.capitalize()} "
                f"{deposit_word(case)} dækkede ikke hele istandsættelsen, så vi beder kommunen "
                f"betale {kr(s.guarantee_claim_oere)} af den. Kommunen kan forlange, at vi "
                f"først forsøger at opkræve beløbet hos {voice.object}."
            )
        )
    if s.paid_to_indskudslaan_oere:
        out.append(
            para(
                f"Kommunen har lånt {voice.object} pengene til {voice.possessive_neuter} "
                f"{deposit_word(case)} (beboerindskudslån). Vi betaler "
                f"{kr(s.paid_to_indskudslaan_oere)} af lånet tilbage til kommunen."
            )
        )
    for p in s.paid_to_attachments:
        if p.amount_oere:
            out.append(
                para(
                    f"{p.creditor} har gennem fogedretten foretaget udlæg i "
                    f"{voice.possessive_neuter} {deposit_word(case)}. Vi betaler "
                    f"{kr(p.amount_oere)} til {p.creditor}."
                )
            )
    return out


def build_final_statement(facts: StatementFacts) -> LetterDoc:
    """The text of the flytteopgørelse, validated (:func:`check_statement`)."""
    check_statement(facts)
    case, inp, s = facts.case, facts.input, facts.settlement
    voice = voice_of(case)
    sender = sender_of(facts.organisation)
    blocks: list[Block] = [
        para(salutation(case)),
        para(
            f"Her er den endelige opgørelse for lejemålet på {full_home_address(case)} "
            f"(lejemål nr. {case.unit_number.strip()}). Lejeforholdet ophørte den "
            f"{date_long(case.end_date)}. Opgørelsen er gjort op pr. {date_long(facts.settled_on)}."
        ),
        result_sentence(s, voice),
    ]
    if inp.open_items:
        blocks += [
            Heading("Ubetalte beløb på lejekontoen"),
            money_table(
                [(i.text, i.amount_oere) for i in inp.open_items], ("I alt", s.open_items_net_oere)
            ),
        ]
    if inp.other_claims:
        blocks += [
            Heading("Andre krav"),
            money_table(
                [(c.text, c.amount_oere) for c in inp.other_claims], ("I alt", s.other_claims_oere)
            ),
        ]
    if facts.repairs:
        held = case.inspection_held_on
        blocks += [
            Heading("Istandsættelse"),
            para(
                f"Efter fraflytningssynet{f' den {date_long(held)}' if held else ''} er "
                "følgende arbejder udført (beløb i kr.):",
                keep_with_next=True,
            ),
            repairs_table(facts, voice.possessive),
            *repair_explanations(facts, voice),
        ]
    blocks += [
        Heading("Opgørelse"),
        reckoning(facts, voice),
        Heading(deposit_word(case).capitalize()),
        deposit_table(facts, voice),
        *money_paragraphs(facts, voice),
        Heading(f"Er {voice.subject} uenig?"),
        section_29(facts, voice),
        para(
            f"Vil {voice.subject} se fakturaerne for arbejderne, eller har {voice.subject} "
            "spørgsmål til opgørelsen, så kontakt os."
        ),
        contact_paragraph(sender, voice, case.reference),
        signature(sender),
    ]
    return LetterDoc(
        sender=sender,
        letter_date=facts.document_date,
        title=TITLE,
        address=tenant_address_block(recipient_of(case.recipient)),
        meta=(
            *case_meta(date_long(facts.document_date), case.unit_number, case.reference),
            ("Sendt som", CHANNEL_TEXT[case.channel]),
        ),
        blocks=tuple(blocks),
        running_head=f"{TITLE} · lejemål nr. {case.unit_number.strip()} · sagsnr. {case.reference}",
        physical=case.channel is LetterChannel.LETTER,
    )


def render_final_statement(facts: StatementFacts) -> bytes:
    """The flytteopgørelse as an A4 PDF."""
    return render(build_final_statement(facts))
