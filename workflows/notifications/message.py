"""The Danish text of a notification e-mail: subject and body from the payload (pure).

Each text says which rule applies and what the municipality must do: ABL § 59, stk. 11 (a
meeting with the tenant before the påkrav deadline, § 59, stk. 12), ALL § 92, stk. 2 (RSL
§ 5 a: act at once, decide within 14 days), ABL § 59, stk. 1 (the guarantee claim). Name and
address are what the law requires; no CPR number is ever in the payload or the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ledger.money import format_kr
from workflows.notifications.envelope import Outbound
from workflows.notifications.models import NotificationKind

MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
UNIT_KINDS = {
    "familie": "familiebolig",
    "ungdom": "ungdomsbolig",
    "aeldre": "ældrebolig",
    "pleje": "plejebolig",
}
CHANNELS = {"digital_post": "Digital Post", "letter": "brev med posten"}
CAUSES = {
    "notice": "opsigelse",
    "termination": "ophævelse",
    "eviction": "udsættelse ved fogedretten",
    "death": "dødsfald",
    "other": "andet",
}
NO_CPR = (
    "Underretningen indeholder lejerens navn og adresse, som loven kræver, men intet CPR-nummer."
)


@dataclass(frozen=True, slots=True)
class MessageText:
    subject: str
    body: str


def decision_deadline(notified_on: date) -> date:
    """RSL § 5 a, stk. 2: finding no basis for help, the municipality decides no later than 14
    days after the organisation's notification that an eviction request is filed."""
    return notified_on + timedelta(days=14)


def long_date(day: date) -> str:
    """ "23. april 2026"."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def weekday_date(day: date) -> str:
    """ "torsdag den 23. april 2026"."""
    return f"{WEEKDAYS[day.weekday()]} den {long_date(day)}"


def short_date(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def compose(item: Outbound) -> MessageText:
    """The e-mail's subject and plain-text body (Danish)."""
    if item.kind is NotificationKind.PAKRAV_FIRST_YEAR:
        return _pakrav_first_year(item)
    if item.kind is NotificationKind.EVICTION_REQUEST:
        return _eviction_request(item)
    assert item.kind is NotificationKind.GUARANTEE_CLAIM, item.kind
    return _guarantee_claim(item)


def _day(value: object) -> date:
    return date.fromisoformat(str(value))


def _where(tenancy: Mapping[str, Any]) -> str:
    return f"{tenancy['address']}, {tenancy['postcode']} {tenancy['city']}"


def _names(tenancy: Mapping[str, Any]) -> str:
    names = [str(name) for name in tenancy.get("tenants", [])]
    return " og ".join(names) if names else "(intet navn registreret)"


def _children(value: object) -> str:
    if value is None:
        return "ikke oplyst"
    return "ingen" if value == 0 else str(value)


def _tenant_block(payload: Mapping[str, Any], *, ended: bool = False) -> list[str]:
    tenancy = payload["tenancy"]
    kind = UNIT_KINDS.get(str(tenancy.get("unit_kind")), str(tenancy.get("unit_kind")))
    period = f"lejeforholdet begyndte {long_date(_day(tenancy['tenancy_start']))}"
    if ended and tenancy.get("tenancy_end"):
        period += f" og sluttede {long_date(_day(tenancy['tenancy_end']))}"
    lines = [
        f"Lejer: {_names(tenancy)}",
        f"Adresse: {_where(tenancy)}",
        f"Lejemål: {tenancy['unit_number']} ({kind}), {period}",
    ]
    if not ended:
        lines.append(
            f"Børn under 18 år i husstanden: {_children(tenancy.get('children_under_18'))}"
        )
    return lines


def _amount_lines(
    lines: Sequence[Mapping[str, Any]], extra: Sequence[tuple[str, int]]
) -> list[str]:
    out = []
    for line in lines:
        text = str(line["text"])[:40]
        out.append(
            f"  {short_date(_day(line['due_date']))}  {text:<40} "
            f"{format_kr(int(line['amount_oere']), suffix=True):>16}"
        )
    for text, amount in extra:
        out.append(f"  {'':<10}  {text:<40} {format_kr(amount, suffix=True):>16}")
    return out


def _footer(item: Outbound, attached: str) -> list[str]:
    payload = item.payload
    organisation = payload["organisation"]
    contact = organisation.get("contact", {})
    parts = [contact.get("name"), contact.get("phone") and f"tlf. {contact['phone']}",
             contact.get("email")]  # fmt: skip
    lines = [""]
    if item.attachment is not None:
        lines.append(f"{attached} er vedhæftet som PDF ({item.attachment.filename}).")
    else:
        lines.append(f"{attached} er ikke vedhæftet; kontakt boligorganisationen for en kopi.")
    known = [str(part) for part in parts if part]
    lines += [
        "",
        f"Kontakt hos {organisation['name']} (CVR {organisation['cvr']}): "
        + (", ".join(known) if known else f"{organisation.get('address', '')}"),
        f"Sagsnummer: {payload['case']['reference']}",
        f"Underretningens id: {item.idempotency_key} (det samme, hvis den sendes igen)",
        "",
        NO_CPR,
    ]
    return lines


def _head(item: Outbound, title: str) -> list[str]:
    municipality = item.payload["municipality"]
    return [
        f"Til kommunen: {municipality['name']} (kommunekode {municipality['code']})",
        "",
        title,
        "",
    ]


def _pakrav_first_year(item: Outbound) -> MessageText:
    """ABL § 59, stk. 11-12."""
    p = item.payload
    pakrav = p["pakrav"]
    deadline = _day(pakrav["deadline"])
    sent = _day(pakrav["date"])
    organisation = p["organisation"]["name"]
    body = _head(item, "Underretning efter almenboliglovens § 59, stk. 11")
    body += [
        f"{organisation} har {long_date(sent)} sendt påkrav efter almenlejelovens § 90, stk. 2, "
        "til en lejer, som kommunen har anvist boligen. Påkravet er sendt inden for det første "
        "år af lejeforholdet, og kommunen underrettes derfor samtidig.",
        "",
        "Kommunen skal indkalde lejeren til et møde om restancen og den fremtidige betaling af "
        "husleje og andre pligtige pengeydelser. Mødet skal finde sted inden påkravsfristens "
        "udløb (almenboliglovens § 59, stk. 12):",
        "",
        f"    Påkravsfrist: {weekday_date(deadline)}",
        "",
        *_tenant_block(p),
        "",
        "Påkravet:",
        f"  Dato: {long_date(sent)}, sendt med "
        f"{CHANNELS.get(str(pakrav.get('channel')), str(pakrav.get('channel')))}",
        f"  Anses for kommet frem: {long_date(_day(pakrav['arrival_date']))}",
        f"  Betalingsfrist: {weekday_date(deadline)}",
        "  Restance:",
        *_amount_lines(
            pakrav["lines"],
            [("Påkravsgebyr", int(pakrav["fee_oere"])), ("I alt", int(pakrav["total_oere"]))],
        ),
        *_footer(item, "Påkravet"),
    ]
    subject = (
        f"Underretning om påkrav til anvist lejer (ABL § 59, stk. 11): {_where(p['tenancy'])} "
        f"– møde inden {short_date(deadline)}"
    )
    return MessageText(subject, "\n".join(body) + "\n")


def _eviction_request(item: Outbound) -> MessageText:
    """ALL § 92, stk. 2; RSL § 5 a, stk. 1-3 and 5."""
    p = item.payload
    request = p["eviction_request"]
    filed = _day(request["date"])
    children = p["tenancy"].get("children_under_18")
    organisation = p["organisation"]["name"]
    court = request.get("court") or "fogedretten"
    body = _head(item, "Underretning efter almenlejelovens § 92, stk. 2")
    body += [
        f"{organisation} har {long_date(filed)} indgivet anmodning til {court} om udsættelse af "
        "lejeren nedenfor på grund af betalingsmisligholdelse. Kommunen underrettes senest "
        "samtidig med anmodningen.",
        "",
        "Kommunen skal straks behandle spørgsmålet om hjælp, hvis der er børn eller unge under "
        "18 år i husstanden, eller hvis kommunen har oplysninger, der sandsynliggør, at lejeren "
        "har behov for hjælp; ellers skal kommunen straks rette henvendelse til lejeren "
        "(retssikkerhedslovens § 5 a, stk. 1 og 5). Finder kommunen ikke grundlag for hjælp, "
        "træffer den afgørelse senest 14 dage efter denne underretning, dvs. senest "
        f"{long_date(decision_deadline(item.created_on))} (§ 5 a, stk. 2).",
    ]
    if isinstance(children, int) and children > 0:
        body += ["", f"Der er oplyst {children} børn under 18 år i husstanden."]
    pakrav = p.get("pakrav", {})
    body += ["", *_tenant_block(p), ""]
    if pakrav:
        body.append(
            f"Påkrav: {long_date(_day(pakrav['date']))}, betalingsfrist "
            f"{long_date(_day(pakrav['deadline']))}"
        )
    body += [
        f"Ophævelse: {long_date(_day(p['termination']['date']))}",
        f"Anmodning om udsættelse: {long_date(filed)} til {court}",
        "Restance (forfaldne pligtige beløb):",
        *_amount_lines(p["arrears"]["lines"], [("I alt", int(p["arrears"]["total_oere"]))]),
        "",
        "Kommunen kan med lejerens forudgående samtykke orientere boligorganisationen om sin "
        "afgørelse (retssikkerhedslovens § 5 a, stk. 3).",
        *_footer(item, "Anmodningen til fogedretten"),
    ]
    urgent = " – børn i husstanden" if isinstance(children, int) and children > 0 else ""
    subject = (
        f"Underretning om anmodning om udsættelse (ALL § 92, stk. 2): {_where(p['tenancy'])}"
        f"{urgent}"
    )
    return MessageText(subject, "\n".join(body) + "\n")


def _guarantee_claim(item: Outbound) -> MessageText:
    """ABL § 59, stk. 1 (and § 63, stk. 3)."""
    p = item.payload
    s = p["settlement"]
    amount = format_kr(int(p["amount_oere"]), suffix=True)
    organisation = p["organisation"]
    moveout = p.get("moveout", {})
    body = _head(item, "Krav under kommunens garanti efter almenboliglovens § 59, stk. 1")
    body += [
        f"{organisation['name']} anmoder kommunen om at betale {amount} under kommunens garanti "
        "for istandsættelse ved fraflytning fra en bolig, som kommunen har anvist "
        "(almenboliglovens § 59, stk. 1, jf. § 63, stk. 3).",
        "",
        *_tenant_block(p, ended=True),
        f"Fraflytning: {CAUSES.get(str(moveout.get('cause')), str(moveout.get('cause')))}",
        "",
        f"Opgørelse pr. {long_date(_day(s['as_of']))}:",
        f"  Krav i alt: {format_kr(int(s['claims_total_oere']), suffix=True)}",
        f"  Depositum/indskud: {format_kr(int(s['deposit_oere']), suffix=True)}, heraf anvendt "
        f"{format_kr(int(s['deposit_applied_oere']), suffix=True)}",
        f"  Garantikrav: {format_kr(int(s['guarantee_claim_oere']), suffix=True)}",
        "Istandsættelse, heraf krævet under garantien:",
    ]
    for repair in p.get("repairs", []):
        body.append(
            f"  {str(repair['text'])[:40]:<40} "
            f"{format_kr(int(repair['claimed_oere']), suffix=True):>16}"
        )
    if organisation.get("payment_details"):
        body += ["", f"Betaling: {organisation['payment_details']}"]
    body += _footer(item, "Opgørelsen")
    subject = f"Krav under kommunens garanti (ABL § 59, stk. 1): {_where(p['tenancy'])} – {amount}"
    return MessageText(subject, "\n".join(body) + "\n")
