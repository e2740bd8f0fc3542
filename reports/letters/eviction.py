"""Anmodning om udsættelse to the fogedret (retsplejeloven kap. 55; ALL § 90, stk. 1, nr. 1;
§ 92, stk. 2): the text of the request.

Rekvirent (the organisation) and rekvisitus (the tenant) blocks, the lejemål, the basis
(påkrav, deadline, termination, the arrears), the request for eviction, the sentence that the
municipality was told in writing no later than at filing (ALL § 92, stk. 2, validated), the
children in the household when known (the municipality's duty to act at once, RSL § 5 a,
turns on children under 18), and the list of Bilag the filing must carry.
"""

from __future__ import annotations

from reports.letters.common import case_meta, claim_table, full_address, postal_line, signature
from reports.letters.danish import (
    date_long,
    date_with_weekday,
    join_names,
    kr,
    municipality_display_name,
)
from reports.letters.document import (
    Block,
    Columns,
    Heading,
    LetterDoc,
    Lines,
    ParagraphStyle,
    bold,
    para,
)
from reports.letters.validation import check_eviction_request
from workflows.arrears.letter_data import EvictionRequest, Sender

TITLE = "Anmodning om udsættelse af lejer"


def municipality_sentence(request: EvictionRequest) -> str:
    """ALL § 92, stk. 2: written notice to the municipality no later than the filing."""
    return (
        f"{request.sender.name.strip()} har den {date_long(request.municipality_notified_on)} "
        f"skriftligt underrettet {municipality_display_name(request.municipality_name)} om, at "
        "en sag om lejerestance er indgivet til fogedretten, jf. almenlejelovens § 92, stk. 2."
    )


def children_sentence(children: int | None, tenant_word: str) -> str:
    if children is None:
        return f"Det er ikke oplyst, om der bor børn under 18 år i {tenant_word}s husstand."
    if children == 0:
        return f"Efter vores oplysninger bor der ikke børn under 18 år i {tenant_word}s husstand."
    noun = "barn" if children == 1 else "børn"
    return (
        f"Efter vores oplysninger bor der {children} {noun} under 18 år i {tenant_word}s husstand."
    )


def bilag(request: EvictionRequest) -> Lines:
    return Lines(
        (
            "Bilag 1: Kopi af lejekontrakt",
            f"Bilag 2: Kopi af påkrav af {date_long(request.pakrav_date)}",
            f"Bilag 3: Kopi af ophævelse af {date_long(request.termination_date)}",
        )
    )


def creditor_lines(sender: Sender) -> tuple[str, ...]:
    lines = [
        sender.name.strip(),
        sender.address.strip(),
        postal_line(sender.postcode, sender.city),
        f"CVR-nr. {sender.cvr.strip()}",
    ]
    if sender.phone.strip():
        lines.append(f"Telefon {sender.phone.strip()}")
    if sender.email.strip():
        lines.append(f"E-mail {sender.email.strip()}")
    return tuple(lines)


def build_eviction_request(request: EvictionRequest) -> LetterDoc:
    """The text of a request for eviction, validated (:func:`check_eviction_request`)."""
    check_eviction_request(request)
    tenant = request.tenant
    several = len(tenant.names) > 1
    tenant_word = "lejerne" if several else "lejeren"
    address = full_address(tenant)
    unit = request.unit_number.strip()
    blocks: list[Block] = [
        Columns(
            (
                ("Rekvirent (udlejer)", creditor_lines(request.sender)),
                (
                    "Rekvisitus (lejere)" if several else "Rekvisitus (lejer)",
                    (
                        *tenant.names,
                        tenant.address.strip(),
                        postal_line(tenant.postcode, tenant.city),
                    ),
                ),
            )
        ),
        Heading("Lejemålet"),
        para(f"{address}, lejemål nr. {unit}."),
        Heading("Anmodning"),
        para(
            bold(
                f"Vi anmoder fogedretten om, at {join_names(tenant.names)} udsættes af "
                f"lejemålet på {address}, jf. retsplejelovens kapitel 55."
            ),
            style=ParagraphStyle.NOTICE,
        ),
        Heading("Grundlag"),
        para(
            f"Vi sendte den {date_long(request.pakrav_date)} påkrav til {tenant_word} om "
            f"betaling af restance med frist til {date_with_weekday(request.deadline)}, "
            "jf. almenlejelovens § 90, stk. 2. Påkravet oplyste, at lejeforholdet kunne ophæves, "
            "hvis restancen ikke blev betalt inden fristens udløb."
        ),
        para(
            "Restancen blev ikke betalt inden fristens udløb. Vi ophævede derfor lejeaftalen ved "
            f"brev af {date_long(request.termination_date)}, jf. almenlejelovens § 90, stk. 1, "
            f"nr. 1. {tenant_word.capitalize()} er ikke fraflyttet lejemålet."
        ),
        para(
            f"Restancen udgør pr. {date_long(request.request_date)} i alt "
            f"{kr(request.total_oere)} og består af:",
            keep_with_next=True,
        ),
        claim_table(request.lines, total_label="I alt", total_oere=request.total_oere),
        Heading("Underretning af kommunen"),
        para(municipality_sentence(request)),
        Heading("Husstanden"),
        para(children_sentence(request.children_in_household, tenant_word)),
        Heading("Bilag"),
        bilag(request),
        signature(request.sender),
    ]
    return LetterDoc(
        sender=request.sender,
        letter_date=request.request_date,
        title=TITLE,
        address=(request.court.strip(),),
        meta=case_meta(date_long(request.request_date), unit, request.case_reference),
        blocks=tuple(blocks),
        running_head=f"{TITLE} · lejemål nr. {unit} · sagsnr. {request.case_reference.strip()}",
        physical=True,
    )
