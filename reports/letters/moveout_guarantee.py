"""Krav efter kommunal garanti (ABL § 59, stk. 1; § 63, stk. 3): the claim to the municipality
for the repairs of a municipally assigned tenant that the deposit did not cover.

It shows the order the law sets and no agreement can change (seed 003, "Kommunens garanti"):
the deposit went first to the organisation's claims the guarantee does not cover (rent, heat,
antenna, fees, other claims), then to the repairs; only repairs left uncovered are claimed.
Each repair is listed with the tenant's share, what the deposit met and what is claimed. The
letter names the tenant and the home, never a CPR number.
"""

from __future__ import annotations

from reports.letters.common import case_meta, contact_paragraph, signature
from reports.letters.danish import SINGULAR, amount, date_long, kr
from reports.letters.document import (
    Align,
    Block,
    Column,
    Columns,
    Heading,
    LetterDoc,
    Lines,
    ParagraphStyle,
    Table,
    TableRow,
    bold,
    para,
)
from reports.letters.eviction import creditor_lines
from reports.letters.moveout_common import (
    CATEGORY_TEXT,
    check_case_facts,
    check_rows,
    deposit_word,
    full_home_address,
    money_table,
    municipality,
    render,
    sender_of,
)
from reports.letters.validation import LetterError
from workflows.moveout.documents import StatementFacts

TITLE = "Krav efter kommunal garanti – istandsættelse ved fraflytning"
COLUMNS = (
    Column("Arbejde", 0.29),
    Column("Art", 0.23),
    Column("Lejers andel", 0.16, Align.RIGHT),
    Column("Dækket af indskud", 0.16, Align.RIGHT),
    Column("Krav", 0.16, Align.RIGHT),
)


def check_claim(facts: StatementFacts) -> None:
    check_case_facts(facts.organisation, facts.case)
    if facts.settlement.guarantee_claim_oere <= 0:
        raise LetterError("the settlement has no guarantee claim")
    if not facts.case.municipally_assigned:
        raise LetterError("the tenant was not municipally assigned")
    check_rows("the guarantee claim", len(facts.repairs))


def repairs_table(facts: StatementFacts) -> Table:
    reps = [r for r in facts.repairs if r.tenant_oere]
    rows = tuple(
        TableRow(
            (
                r.text,
                CATEGORY_TEXT[r.category],
                amount(r.tenant_oere),
                amount(r.tenant_oere - r.guarantee_oere),
                amount(r.guarantee_oere),
            )
        )
        for r in reps
    )
    total = TableRow(
        (
            "I alt",
            "",
            amount(sum(r.tenant_oere for r in reps)),
            amount(sum(r.tenant_oere - r.guarantee_oere for r in reps)),
            amount(facts.settlement.guarantee_claim_oere),
        ),
        bold=True,
    )
    return Table(columns=COLUMNS, rows=rows, total=total)


def order_table(facts: StatementFacts) -> Table:
    """The claims, then the deposit in the legal order, then what is left: the guarantee claim
    (the rows add up to it)."""
    s, word = facts.settlement, deposit_word(facts.case)
    net = s.open_items_net_oere + s.other_claims_oere
    not_covered, credit = max(0, net), max(0, -net)
    credit_used = min(credit, s.repairs_tenant_oere)
    to_not_covered = min(s.deposit_oere, not_covered)
    to_repairs = s.deposit_applied_oere - to_not_covered
    rows = [
        ("Husleje, varme mv. og andre krav, som garantien ikke dækker", not_covered),
        ("Lejerens andel af istandsættelse", s.repairs_tenant_oere),
    ]
    if credit_used:
        rows.append(("Lejerens tilgodehavende (fx varmeregnskab) modregnet", -credit_used))
    rows += [
        (f"{word.capitalize()} brugt til krav, som garantien ikke dækker", -to_not_covered),
        (f"{word.capitalize()} brugt til istandsættelse", -to_repairs),
    ]
    if s.tenant_owes_oere:
        rows.append(
            ("Krav, som garantien ikke dækker, og som lejeren skylder", -s.tenant_owes_oere)
        )
    assert sum(amount for _, amount in rows) == s.guarantee_claim_oere
    return money_table(rows, ("Krav efter garantien", s.guarantee_claim_oere))


def build_guarantee_claim(facts: StatementFacts) -> LetterDoc:
    """The text of the guarantee claim, validated (:func:`check_claim`)."""
    check_claim(facts)
    case, s = facts.case, facts.settlement
    sender = sender_of(facts.organisation)
    kommune = municipality(case)
    tenant_word = "Lejere" if len(case.home.names) > 1 else "Lejer"
    moved = f"Lejeforholdet begyndte den {date_long(case.tenancy_start)} og ophørte den " + (
        f"{date_long(case.end_date)}."
    )
    inspection = []
    if case.inspection_held_on:
        inspection.append(f"Fraflytningssyn blev holdt den {date_long(case.inspection_held_on)}")
    if case.repair_notice_arrived_on:
        inspection.append(
            "lejeren fik skriftlig meddelelse om istandsættelsen den "
            f"{date_long(case.repair_notice_arrived_on)}"
        )
    blocks: list[Block] = [
        Columns(
            (
                ("Boligorganisation", creditor_lines(sender)),
                (
                    f"{tenant_word} (anvist af kommunen)",
                    (
                        *case.home.names,
                        case.home.address.strip(),
                        f"{case.home.postcode} {case.home.city}",
                    ),
                ),
            )
        ),
        Heading("Lejemålet"),
        para(
            f"{full_home_address(case)}, lejemål nr. {case.unit_number.strip()}. {moved} "
            f"Lejeren var anvist til boligen af {kommune}, jf. lov om almene boliger § 59, stk. 1."
        ),
    ]
    if inspection:
        blocks.append(para(" og ".join(inspection) + " (almenlejelovens § 94)."))
    blocks += [
        Heading("Krav"),
        para(
            bold(
                f"Vi anmoder {kommune} om at betale {kr(s.guarantee_claim_oere)} efter kommunens "
                "garanti for lejerens udgifter til istandsættelse ved fraflytning, jf. lov om "
                "almene boliger § 59, stk. 1, og § 63, stk. 3."
            ),
            style=ParagraphStyle.NOTICE,
        ),
        Heading("Opgørelse"),
        para(
            f"Lejerens {deposit_word(case)} på {kr(s.deposit_oere)} er først brugt til vores "
            "krav, som garantien ikke dækker (husleje, varme, antennebidrag mv.), og derefter "
            "til istandsættelsen. Kravet omfatter kun den del af istandsættelsen, som "
            f"{deposit_word(case)} ikke dækkede.",
            keep_with_next=True,
        ),
        order_table(facts),
        Heading("Istandsættelse"),
        para("Lejerens andel af hvert arbejde (beløb i kr.):", keep_with_next=True),
        repairs_table(facts),
        Heading("Betaling"),
        para(
            f"Beløbet bedes betalt til {sender.payment_details.strip() or 'os'} med angivelse af "
            f"sagsnr. {case.reference}. Ønsker kommunen, at vi først forsøger at opkræve beløbet "
            "hos lejeren, så giv os besked."
        ),
        para(
            f"Flytteopgørelsen er gjort op pr. {date_long(facts.settled_on)}. Lejeren kan "
            "indbringe den for beboerklagenævnet (almenlejelovens § 29).",
            style=ParagraphStyle.SMALL,
        ),
        Heading("Bilag"),
        Lines(
            (
                "Bilag 1: Flytteopgørelse",
                "Bilag 2: Synsrapport",
                "Bilag 3: Meddelelse om istandsættelse",
                "Bilag 4: Fakturaer for arbejderne",
            )
        ),
        contact_paragraph(sender, SINGULAR, case.reference),
        signature(sender),
    ]
    return LetterDoc(
        sender=sender,
        letter_date=facts.document_date,
        title=TITLE,
        address=(kommune,),
        meta=case_meta(date_long(facts.document_date), case.unit_number, case.reference),
        blocks=tuple(blocks),
        running_head=f"Krav efter kommunal garanti · lejemål nr. {case.unit_number.strip()} · "
        f"sagsnr. {case.reference}",
        physical=False,
    )


def render_guarantee_claim(facts: StatementFacts) -> bytes:
    """The guarantee claim as an A4 PDF."""
    return render(build_guarantee_claim(facts))
