"""``almen vacancy``: homes at the municipality's disposal for assignment (tomgangsleje, ABL
§ 59, stk. 1): start and end a period, post the rent due (idempotent), list periods.

::

    almen vacancy start  --organisation CVR --unit U --from D [--rent-oere N] --by NAME
    almen vacancy end    --organisation CVR --unit U --last-day D --by NAME
    almen vacancy charge [--organisation CVR] [--as-of D] [--json]
    almen vacancy list   --organisation CVR [--json]
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlmodel import col, select

from app.cli import args as types
from app.cli.context import CliContext
from ledger.models import Organisation, Unit
from ledger.money import format_kr
from ledger.registry import require_organisation
from workflows.moveout.models import VacancyPeriod
from workflows.moveout.vacancy import billed_until, end_vacancy, post_vacancy_rent, start_vacancy


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "vacancy", help="tomgangsleje: homes held for the municipality's assignment"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    start = actions.add_parser("start", help="put a home at the municipality's disposal")
    start.add_argument("--organisation", type=types.cvr, required=True, help="CVR")
    start.add_argument("--unit", required=True, help="unit number")
    start.add_argument("--from", dest="starts_on", type=types.iso_date, required=True)
    start.add_argument("--last-day", type=types.iso_date, help="if already known")
    start.add_argument("--rent-oere", type=int, help="monthly rent (default: the last rent)")
    start.add_argument("--by", required=True, help="who does this")
    start.add_argument("--json", action="store_true", help="print JSON")
    start.set_defaults(handler=start_period)
    end = actions.add_parser("end", help="the home is let: the last day the municipality pays")
    end.add_argument("--organisation", type=types.cvr, required=True, help="CVR")
    end.add_argument("--unit", required=True, help="unit number")
    end.add_argument("--last-day", type=types.iso_date, required=True)
    end.add_argument("--by", required=True, help="who does this")
    end.add_argument("--json", action="store_true", help="print JSON")
    end.set_defaults(handler=end_period)
    charge = actions.add_parser("charge", help="post the vacancy rent due (idempotent)")
    charge.add_argument("--organisation", type=types.cvr, help="only this CVR")
    charge.add_argument("--as-of", type=types.iso_date, help="default: today")
    charge.add_argument("--json", action="store_true", help="print JSON")
    charge.set_defaults(handler=charge_rent)
    listing = actions.add_parser("list", help="the organisation's vacancy periods")
    listing.add_argument("--organisation", type=types.cvr, required=True, help="CVR")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_periods)


def _json(period: VacancyPeriod, unit_number: str, billed: Any = None) -> dict[str, Any]:
    return {
        "id": period.id,
        "unit_number": unit_number,
        "municipality_code": period.municipality_code,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": None if period.ends_on is None else period.ends_on.isoformat(),
        "monthly_rent_oere": period.monthly_rent_oere,
        "billed_until": None if billed is None else billed.isoformat(),
    }


def _print(context: CliContext, args: argparse.Namespace, data: dict[str, Any], text: str) -> int:
    if args.json:
        context.print_json(data)
    else:
        context.print(text)
    return 0


def start_period(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        assert organisation.id is not None
        period = start_vacancy(
            session, organisation.id, args.unit, starts_on=args.starts_on, actor=f"cli:{args.by}",
            monthly_rent_oere=args.rent_oere, ends_on=args.last_day,
        )  # fmt: skip
        data = _json(period, args.unit)
    text = (
        f"unit {args.unit} at the municipality's disposal from {args.starts_on}, "
        f"{format_kr(period.monthly_rent_oere, suffix=True)} a month"
    )
    return _print(context, args, data, text)


def end_period(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        assert organisation.id is not None
        period = end_vacancy(
            session, organisation.id, args.unit, last_day=args.last_day, actor=f"cli:{args.by}"
        )
        data = _json(period, args.unit)
    return _print(context, args, data, f"vacancy of unit {args.unit} ends {args.last_day}")


def charge_rent(args: argparse.Namespace, context: CliContext) -> int:
    as_of = args.as_of or context.today()
    summary = []
    with context.unit_of_work() as session:
        if args.organisation:
            organisations = [require_organisation(session, args.organisation)]
        else:
            organisations = list(session.exec(select(Organisation).order_by(col(Organisation.id))))
        for organisation in organisations:
            assert organisation.id is not None
            result = post_vacancy_rent(
                session, organisation.id, as_of=as_of, created_by="cli:vacancy"
            )
            summary.append(
                {
                    "cvr": organisation.cvr,
                    "as_of": as_of.isoformat(),
                    "posted": len(result.posted),
                    "already_posted": result.already_posted,
                }
            )
    if args.json:
        context.print_json(summary)
        return 0
    for row in summary:
        context.print(
            f"{row['cvr']}: {row['posted']} vacancy months posted, "
            f"{row['already_posted']} were posted already"
        )
    return 0


def list_periods(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        rows = session.exec(
            select(VacancyPeriod, Unit.unit_number)
            .join(Unit, col(Unit.id) == col(VacancyPeriod.unit_id))
            .where(VacancyPeriod.organisation_id == organisation.id)
            .order_by(col(VacancyPeriod.starts_on), col(VacancyPeriod.id))
        ).all()
        periods = [_json(p, number, billed_until(session, p.id or 0)) for p, number in rows]
    if args.json:
        context.print_json(periods)
        return 0
    for p in periods:
        context.print(
            f"{p['unit_number']:<10} {p['starts_on']} - {p['ends_on'] or 'open':<10} "
            f"{format_kr(p['monthly_rent_oere'], suffix=True):>14}/month, billed until "
            f"{p['billed_until'] or '-'}"
        )
    return 0
