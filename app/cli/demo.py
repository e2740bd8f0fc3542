"""``almen demo``: build a believable organisation in the database and say what it made."""

from __future__ import annotations

import argparse
from datetime import date as date_type
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from app import demo, demo_bs
from app.auth.roles import Role
from app.auth.service import create_user, find_user, grant
from app.cli import args as types
from app.cli.context import CliContext, CliError
from app.database import unit_of_work
from app.demo_nights import DemoPaymentFeed, danish_night, split_payments
from app.migrate import upgrade_to_head
from app.nightly import EXTRA_STEPS, failed, nightly_deps, run_nightly
from app.notify import nightly_dispatch
from integrations.csvimport.ledger_history import import_ledger
from integrations.csvimport.payments import import_payments
from integrations.csvimport.reader import parse_csv
from integrations.csvimport.tenancies import import_tenancies
from ledger.accounts import debtor_lines
from ledger.balances import statement
from ledger.charging import post_month_charges
from ledger.fee_table import sync_shipped_fees
from ledger.models import Tenancy, Unit
from ledger.money import format_kr
from ledger.months import Month
from ledger.municipalities import municipality_names
from ledger.registry import organisation_by_cvr, require_organisation
from workflows.arrears.config import update_settings
from workflows.notifications.models import MunicipalityDelivery
from workflows.notifications.registry import DeliveryChoice, set_delivery

MAX_NIGHTS = 92


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "demo", help="build a demo organisation with a year of history in the database"
    )
    parser.add_argument("--as-of", type=types.iso_date, help="the demo's today (default: today)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--files", type=Path, default=Path("demo-files"), help="where to write the CSV files"
    )
    parser.add_argument(
        "--nights",
        type=int,
        default=0,
        help="build the demo as of N days ago, then run the nightly run for each day up to "
        "--as-of, printing what happened (default 0)",
    )
    parser.add_argument(
        "--mail-dir",
        type=Path,
        help="where the notification e-mails go as .eml files (default: SMTP if ALMEN_SMTP_HOST "
        "is set, else ALMEN_MAIL_DIR, else FILES/mail)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CliContext) -> int:
    end = args.as_of or context.today()
    if not 0 <= args.nights <= MAX_NIGHTS:
        raise CliError(f"--nights is 0-{MAX_NIGHTS}")
    start = end - timedelta(days=args.nights)
    if context.transaction is None:
        upgrade_to_head(context.engine())
        with unit_of_work(context.engine()) as session:
            sync_shipped_fees(session)
    files = demo.generate(end, args.seed)
    args.files.mkdir(parents=True, exist_ok=True)
    for name in ("tenancies", "ledger", "payments"):
        (args.files / f"{name}.csv").write_text(getattr(files, name), encoding="utf-8")
    early_payments, later_payments = split_payments(files.payments, start)
    with context.unit_of_work() as session:
        if organisation_by_cvr(session, demo.DEMO_CVR) is not None:
            raise CliError(
                f"the database already holds the demo organisation (CVR {demo.DEMO_CVR}); "
                "use an empty database"
            )
        _load(session, files, early_payments, args.files, start)
        _settings(session, start)
        summary = _summary(session, start)
        summary["users"] = _users(session)
        summary["municipalities"] = _municipalities(session)
    if not args.json:
        _print_summary(context, summary, args.files)
    nights = _nights(context, files.payments.splitlines()[0], later_payments, start, end, args)
    if args.json:
        context.print_json({**summary, "nights": nights})
        return 0
    if args.nights:
        _print_nights(context, nights, end)
        folder = mail_folder(args, context) or context.settings.mail_dir
        if folder is not None:
            context.print(f"  e-mails til kommunen ligger i {folder}/")
    return 0


def _settings(session: Session, start: date_type) -> None:
    """The demo organisation's arrears settings: cases from the first demo night (older arrears
    were "the old system's"), a contact, a bailiff court and payment details for the letters."""
    organisation = require_organisation(session, demo.DEMO_CVR)
    organisation.address, organisation.postcode, organisation.city = "Engtoften 1", "8260", "Viby J"
    session.add(organisation)
    update_settings(
        session,
        organisation,
        {
            "cases_from": start,
            "contact_name": "Mette Kristensen, huslejeafdelingen",
            "contact_phone": "86 12 34 56",
            "contact_email": "husleje@engtoften.dk",
            "payment_details": "Reg.nr. 1234 konto 0001234567",
            "bailiff_court": "Fogedretten i Aarhus",
        },
        by="demo",
    )


DEMO_PASSWORD = "demo-adgangskode"
DEMO_USERS = (
    ("bogholder", "Mette Kristensen", (Role.ACCOUNTANT, Role.APPROVER)),
    ("revisor", "Jens Revisor", (Role.AUDITOR,)),
    ("admin", "Anne Administrator", (Role.ADMIN,)),
)


def _users(session: Session) -> list[dict[str, Any]]:
    """People to log in as on the web page (``almen serve``), all with ``DEMO_PASSWORD``."""
    organisation = require_organisation(session, demo.DEMO_CVR)
    made = []
    for username, name, roles in DEMO_USERS:
        user = find_user(session, username) or create_user(
            session, username, name, DEMO_PASSWORD, created_by="demo"
        )
        for role in roles:
            grant(session, user, organisation, role, granted_by="demo")
        made.append({"username": username, "roles": [str(role) for role in roles]})
    return made


def _municipalities(session: Session) -> dict[str, str]:
    """The demo's two municipalities take notifications without a network: Aarhus by e-mail
    (into the mail folder unless SMTP is set up), Skanderborg through the pull API. A setting
    made before the demo (e.g. a webhook) is kept."""
    chosen = {
        751: DeliveryChoice(emails=["underretning@aarhus.example"]),
        746: DeliveryChoice(pull_only=True),
    }
    for code, choice in chosen.items():
        if session.get(MunicipalityDelivery, code) is None:
            set_delivery(session, code, choice, by="demo")
    rows = session.exec(
        select(MunicipalityDelivery).where(col(MunicipalityDelivery.municipality_code).in_(chosen))
    )
    return {str(row.municipality_code): str(row.method) for row in rows}


def mail_folder(args: argparse.Namespace, context: CliContext) -> Path | None:
    """Where the demo's e-mails go: ``--mail-dir``, else the configured SMTP server or
    ``ALMEN_MAIL_DIR`` (None: ``app.notify`` picks them), else FILES/mail."""
    if args.mail_dir is not None:
        return Path(args.mail_dir)
    if context.settings.smtp is not None or context.settings.mail_dir:
        return None
    return Path(args.files) / "mail"


def _nights(
    context: CliContext,
    header: str,
    later_payments: list[tuple[date_type, str]],
    start: date_type,
    end: date_type,
    args: argparse.Namespace,
) -> list[dict[str, Any]]:
    feed = DemoPaymentFeed(header, later_payments)
    deps = nightly_deps(steps=[("demo_payments", feed), *EXTRA_STEPS])
    send = nightly_dispatch(context.settings, mail_dir=mail_folder(args, context))
    summaries = []
    day = start + timedelta(days=1)
    while day <= end:
        for summary in run_nightly(
            context.unit_of_work, day, deps, cvr=demo.DEMO_CVR, after_commit=send
        ):
            if failed(summary):
                raise CliError(f"the nightly run of {day.isoformat()} failed: {summary['status']}")
            summaries.append(summary)
            line = danish_night(summary)
            if line and not args.json:
                context.print(line)
        day += timedelta(days=1)
    return summaries


def _print_nights(context: CliContext, nights: list[dict[str, Any]], end: date_type) -> None:
    pakrav = sum(n["pakrav_issued"] for n in nights)
    notified = sum(n["notifications_created"] for n in nights)
    closed = sum(n["cases_closed"] for n in nights)
    queue = nights[-1]["approval_queue"] if nights else 0
    sent = {
        name: sum(int(n.get("dispatch", {}).get(name, 0)) for n in nights)
        for name in ("delivered", "retrying", "dead_letter")
    }
    fates = [
        f"{sent['delivered']} afleveret samme nat",
        f"{max(0, notified - sum(sent.values()))} til afhentning via API'et",
        f"{sent['retrying'] + sent['dead_letter']} ikke afleveret",
    ]
    shown = ", ".join(fate for fate in fates if not fate.startswith("0 "))
    context.print(
        f"{len(nights)} nætter kørt til {end.isoformat()}: {pakrav} påkrav, {notified} "
        f"underretninger til kommunen ({shown or 'ingen'}), {closed} sager lukket, {queue} "
        "venter på godkendelse"
    )


def _load(
    session: Session, files: demo.DemoFiles, payments: str, folder: Path, today: date_type
) -> None:
    by = "demo"
    import_tenancies(
        session,
        parse_csv(files.tenancies.encode(), str(folder / "tenancies.csv")),
        ledger_start=files.ledger_start,
        today=today,
        imported_by=by,
    )
    import_ledger(
        session, parse_csv(files.ledger.encode(), "ledger.csv"), today=today, imported_by=by
    )
    organisation = require_organisation(session, demo.DEMO_CVR)
    for month in (month for month in files.months if month <= Month.of(today)):
        post_month_charges(
            session, organisation, month, booking_date=month.first_day, created_by=by
        )
    import_payments(
        session, parse_csv(payments.encode(), "payments.csv"), today=today, imported_by=by
    )
    demo_bs.set_up_betalingsservice(session, files, today)


def _summary(session: Session, today: date_type) -> dict[str, Any]:
    organisation = require_organisation(session, demo.DEMO_CVR)
    assert organisation.id is not None
    tenancies = list(
        session.exec(select(Tenancy).where(Tenancy.organisation_id == organisation.id))
    )
    lines = debtor_lines(session, organisation.id, [t.id for t in tenancies if t.id])
    in_arrears = []
    for tenancy in tenancies:
        overdue = statement(lines.get(tenancy.id or 0, []), today).overdue_pligtig_oere
        if overdue > 0:
            in_arrears.append(overdue)
    units = session.exec(
        select(Unit.kind, func.count())
        .where(Unit.organisation_id == organisation.id)
        .group_by(col(Unit.kind))
    ).all()
    return {
        "organisation": {
            "cvr": organisation.cvr,
            "name": organisation.name,
            "ledger_start": organisation.ledger_start.isoformat(),
        },
        "as_of": today.isoformat(),
        "tenancies": len(tenancies),
        "units_by_kind": {str(kind): count for kind, count in units},
        "municipally_assigned": sum(1 for t in tenancies if t.municipally_assigned),
        "by_letter": sum(1 for t in tenancies if str(t.delivery_channel) == "letter"),
        "tenancies_in_arrears": len(in_arrears),
        "arrears_oere": sum(in_arrears),
    }


def _print_summary(context: CliContext, summary: dict[str, Any], folder: Path) -> None:
    org = summary["organisation"]
    context.print(f"Demo: {org['name']} (CVR {org['cvr']}), regnskab fra {org['ledger_start']}")
    context.print(
        f"  {summary['tenancies']} lejemål: "
        + ", ".join(f"{count} {kind}" for kind, count in sorted(summary["units_by_kind"].items()))
    )
    context.print(
        f"  {summary['municipally_assigned']} anvist af kommunen, "
        f"{summary['by_letter']} får breve med posten"
    )
    context.print(
        f"  pr. {summary['as_of']}: {summary['tenancies_in_arrears']} lejemål i "
        f"restance, i alt {format_kr(summary['arrears_oere'], suffix=True)}"
    )
    context.print(f"  importfilerne ligger i {folder}/")
    context.print(
        "  log ind på websiden (almen serve) som "
        + ", ".join(user["username"] for user in summary.get("users", []))
        + f" med adgangskoden {DEMO_PASSWORD}"
    )
    methods = {"email": "pr. e-mail", "webhook": "pr. webhook", "pull": "via API'et"}
    context.print(
        "  underretninger: "
        + ", ".join(
            f"{municipality_names()[int(code)]} ({code}) {methods[method]}"
            for code, method in sorted(summary.get("municipalities", {}).items())
        )
    )
