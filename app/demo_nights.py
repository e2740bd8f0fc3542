"""The demo's month of nights: payments arriving day by day (an injected nightly step, as the
Betalingsservice files will be), and a short Danish line per night that had events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlmodel import Session

from integrations.csvimport.payments import import_payments
from integrations.csvimport.reader import parse_csv
from ledger.models import Organisation
from ledger.money import format_kr

WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def split_payments(csv_text: str, cutoff: date) -> tuple[str, list[tuple[date, str]]]:
    """The payments CSV up to and including ``cutoff``, and the later rows with their dates."""
    lines = csv_text.splitlines()
    header, rows = lines[0], lines[1:]
    column = header.split(";").index("payment_date")
    early, later = [header], []
    for row in rows:
        paid = date.fromisoformat(row.split(";")[column])
        if paid <= cutoff:
            early.append(row)
        else:
            later.append((paid, row))
    return "\n".join(early) + "\n", later


class DemoPaymentFeed:
    """A nightly step: the payments made up to yesterday reach the ledger tonight."""

    def __init__(self, header: str, rows: list[tuple[date, str]]) -> None:
        self.header = header
        self.rows = sorted(rows)

    def __call__(
        self, session: Session, organisation: Organisation, day: date
    ) -> Mapping[str, Any]:
        arrived = [row for paid, row in self.rows if paid < day]
        if not arrived:
            return {"payments_imported": 0}
        text = "\n".join([self.header, *arrived]) + "\n"
        report = import_payments(
            session, parse_csv(text.encode(), f"demo-payments-{day}.csv"), today=day,
            imported_by="demo",
        )  # fmt: skip
        return {"payments_imported": report.posted}


def danish_night(summary: Mapping[str, Any]) -> str | None:
    """One line in Danish for a night with events, else None."""
    day = date.fromisoformat(str(summary["as_of"]))
    parts = []
    paid = summary.get("steps", {}).get("demo_payments", {}).get("payments_imported", 0)
    if summary.get("charges_posted"):
        parts.append(f"{summary['charges_posted']} opkrævninger bogført")
    if paid:
        parts.append(f"{paid} indbetalinger modtaget")
    if summary.get("cases_opened"):
        parts.append(f"{summary['cases_opened']} nye restancesager")
    if summary.get("pakrav_issued"):
        fees = format_kr(int(summary["fees_oere"]), suffix=True)
        parts.append(f"{summary['pakrav_issued']} påkrav sendt (gebyrer {fees})")
    if summary.get("letters_printed"):
        parts.append(f"{summary['letters_printed']} breve i printfilen")
    if summary.get("notifications_created"):
        parts.append(f"{summary['notifications_created']} underretninger til kommunen")
    sent = summary.get("dispatch", {})
    if sent.get("delivered"):
        parts.append(f"{sent['delivered']} underretninger afleveret")
    if sent.get("retrying") or sent.get("dead_letter"):
        parts.append(f"{sent.get('retrying', 0) + sent.get('dead_letter', 0)} ikke afleveret")
    if summary.get("cases_closed"):
        parts.append(f"{summary['cases_closed']} sager lukket")
    if summary.get("awaiting_approval"):
        parts.append(f"{summary['awaiting_approval']} sager venter på godkendelse af ophævelse")
    if not parts:
        return None
    return f"{day.isoformat()} ({WEEKDAYS_DA[day.weekday()]}): " + ", ".join(parts)
