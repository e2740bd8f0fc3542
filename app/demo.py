"""A believable demo organisation, written as the CSV files an accountant would import.

Deterministic for a given seed and day: two departments (scheme A in Aarhus, scheme B in
Skanderborg), about 300 tenancies, a year of history, most paying by Betalingsservice, some by
payment slip, some with boligstøtte, a few municipally assigned, and some in arrears.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ledger.calendar import earliest_pakrav, last_timely_payment_day
from ledger.fees import fee_for_year, shipped_fee_rows
from ledger.months import Month

DEMO_CVR = "29403473"
DEMO_NAME = "Boligforeningen Engtoften"
FIRST_NAMES = (
    "Anne", "Mette", "Hanne", "Susanne", "Lene", "Marianne", "Camilla", "Louise", "Sofie",
    "Fatima", "Aisha", "Jens", "Peter", "Lars", "Michael", "Henrik", "Søren", "Thomas", "Rasmus",
    "Mads", "Ahmed", "Ali", "Jørgen", "Birthe", "Kirsten", "Ole", "Niels", "Emma", "Freja", "Åse",
)  # fmt: skip
LAST_NAMES = (
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Møller",
    "Hassan", "Yilmaz", "Nguyen", "Kowalski", "Østergaard", "Bækgaard",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Department:
    name: str
    prefix: str
    scheme: str
    street: str
    postcode: str
    city: str
    municipality: int
    units: int


DEPARTMENTS = (
    Department("Afd. 1 Engtoften", "1", "A", "Engtoften", "8260", "Viby J", 751, 180),
    Department("Afd. 2 Skovbrynet", "2", "B", "Skovbrynet", "8660", "Skanderborg", 746, 120),
)


@dataclass(slots=True)
class DemoTenancy:
    unit_number: str
    department: Department
    kind: str
    address: str
    tenants: list[str]
    cpr: list[str | None]
    start: date
    rent_oere: int
    heat_oere: int
    water_oere: int
    assigned: bool
    channel: str
    exempt: bool
    deposit_kind: str
    deposit_oere: int
    children: int | None
    habit: str  # betalingsservice | slip | late | chronic | missed_last
    boligstoette_oere: int = 0


@dataclass(slots=True)
class DemoFiles:
    tenancies: str
    ledger: str
    payments: str
    ledger_start: date
    months: list[Month] = field(default_factory=list)


def generate(today: date, seed: int = 2026) -> DemoFiles:
    """The demo's CSV files (tenancies, opening balances, payments) as of ``today``."""
    rnd = random.Random(seed)
    ledger_start = Month.of(today).first_day.replace(year=today.year - 1)
    tenancies = [_tenancy(rnd, dept, n, today) for dept in DEPARTMENTS
                 for n in range(1, dept.units + 1)]  # fmt: skip
    months = []
    month = Month.of(ledger_start)
    while month <= Month.of(today):
        months.append(month)
        month = month.next()
    return DemoFiles(
        tenancies=_tenancies_csv(tenancies),
        ledger=_opening_balances_csv(rnd, tenancies, ledger_start),
        payments=_payments_csv(rnd, tenancies, months, today),
        ledger_start=ledger_start,
        months=months,
    )


def _tenancy(rnd: random.Random, dept: Department, number: int, today: date) -> DemoTenancy:
    recent = rnd.random() < 0.12
    start = (
        today - timedelta(days=rnd.randint(40, 330))
        if recent
        else date(rnd.randint(2004, 2024), rnd.randint(1, 12), 1)
    ).replace(day=1)
    kind = "familie"
    if dept.prefix == "2" and number > 90:
        kind = "ungdom"
    elif dept.prefix == "1" and number > 160:
        kind = "aeldre"
    rooms = rnd.choice((1, 2, 2, 3, 3, 3, 4, 4, 5)) if kind == "familie" else 1
    rent = (2_400 + rooms * 1_150 + rnd.randint(-300, 300)) * 100
    couple = rnd.random() < 0.35 and kind == "familie"
    names = [_name(rnd)] + ([_name(rnd)] if couple else [])
    channel, exempt = ("digital_post", False)
    if rnd.random() < 0.1:
        channel, exempt = "letter", rnd.random() < 0.7
    return DemoTenancy(
        unit_number=f"{dept.prefix}-{number:03d}",
        department=dept,
        kind=kind,
        address=f"{dept.street} {number // 10 + 1}, {number % 10 + 1}. sal",
        tenants=names,
        cpr=[_cpr(rnd) if rnd.random() < 0.5 else None for _ in names],
        start=start,
        rent_oere=rent,
        heat_oere=rnd.randint(4, 9) * 10_000,
        water_oere=rnd.randint(15, 30) * 1_000,
        assigned=kind != "aeldre" and rnd.random() < (0.35 if recent else 0.06),
        channel=channel,
        exempt=exempt,
        deposit_kind="indskud" if dept.scheme == "A" else "depositum",
        deposit_oere=rent * 3 if dept.scheme == "B" else rnd.randint(8, 25) * 100_000,
        children=rnd.choice((None, 0, 0, 1, 2, 3)) if kind == "familie" else None,
        habit=rnd.choices(
            ("betalingsservice", "slip", "late", "chronic", "missed_last"), (75, 13, 6, 2, 4)
        )[0],
        boligstoette_oere=rnd.randint(8, 25) * 10_000 if rnd.random() < 0.15 else 0,
    )


def _name(rnd: random.Random) -> str:
    return f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"


def _cpr(rnd: random.Random) -> str:
    born = date(1940, 1, 1) + timedelta(days=rnd.randint(0, 365 * 62))
    return f"{born:%d%m%y}{rnd.randint(1000, 3999)}"


def _tenancies_csv(tenancies: list[DemoTenancy]) -> str:
    columns = (
        "organisation_cvr", "organisation_name", "department", "unit_number", "unit_kind",
        "maintenance_scheme", "address", "postcode", "city", "municipality_code",
        "tenant_name", "tenant_cpr", "tenancy_start", "monthly_rent_oere",
        "monthly_aconto_heat_oere", "monthly_aconto_water_oere", "municipally_assigned",
        "delivery_channel", "digital_post_exempt", "deposit_kind", "deposit_oere",
        "children_in_household",
    )  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(columns)
    for t in tenancies:
        dept = t.department
        for name, cpr in zip(t.tenants, t.cpr, strict=True):
            writer.writerow((
                DEMO_CVR, DEMO_NAME, dept.name, t.unit_number, t.kind, dept.scheme, t.address,
                dept.postcode, dept.city, dept.municipality, name, cpr or "",
                t.start.isoformat(), t.rent_oere, t.heat_oere, t.water_oere,
                "ja" if t.assigned else "nej", t.channel, "ja" if t.exempt else "nej",
                t.deposit_kind, t.deposit_oere, "" if t.children is None else t.children,
            ))  # fmt: skip
    return out.getvalue()


def _opening_balances_csv(
    rnd: random.Random, tenancies: list[DemoTenancy], ledger_start: date
) -> str:
    """Arrears carried over from the old system for the chronic payers."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(("organisation_cvr", "unit_number", "entry_type", "date", "amount_oere",
                     "reference", "charge_type", "text"))  # fmt: skip
    previous = ledger_start - timedelta(days=1)
    for t in tenancies:
        if t.habit == "chronic" and t.start < previous:
            amount = t.rent_oere * rnd.randint(1, 2)
            writer.writerow((DEMO_CVR, t.unit_number, "charge", previous.replace(day=1).isoformat(),
                             amount, f"opening-{t.unit_number}", "HUSLEJE",
                             "Restance overført fra tidligere system"))  # fmt: skip
    return out.getvalue()


def _payments_csv(
    rnd: random.Random, tenancies: list[DemoTenancy], months: list[Month], today: date
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(("organisation_cvr", "unit_number", "payment_date", "amount_oere", "method",
                     "reference"))  # fmt: skip
    for t in tenancies:
        for month in months:
            for paid, amount, method in _month_payments(rnd, t, month, months[-1]):
                if paid <= today and paid >= t.start:
                    ref = f"{method[:2].upper()}-{t.unit_number}-{month}-{paid:%d}"
                    writer.writerow((DEMO_CVR, t.unit_number, paid.isoformat(), amount, method,
                                     ref))  # fmt: skip
    return out.getvalue()


def _month_payments(
    rnd: random.Random, t: DemoTenancy, month: Month, last: Month
) -> list[tuple[date, int, str]]:
    due = last_timely_payment_day(month.first_day)
    total = t.rent_oere + t.heat_oere + t.water_oere
    payments = []
    if t.boligstoette_oere:
        payments.append((due - timedelta(days=1), t.boligstoette_oere, "boligstoette"))
        total -= t.boligstoette_oere
    if t.habit == "missed_last" and month == last:
        return payments
    if t.habit == "chronic" and rnd.random() < 0.3:
        return payments
    if t.habit == "betalingsservice":
        payments.append((due, total, "betalingsservice"))
    elif t.habit == "slip":
        payments.append((due - timedelta(days=rnd.randint(0, 3)), total, "slip"))
    else:
        paid = due + timedelta(days=rnd.randint(2, 12))
        if paid >= earliest_pakrav(month.first_day):  # a påkrav came: pay what it demands
            total += fee_for_year(shipped_fee_rows(), paid.year).amount_oere
        payments.append((paid, total, "transfer"))
    return payments
