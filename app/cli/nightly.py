"""``almen nightly``: the nightly run (charges, payment files, arrears, påkrav, notifications)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import args as types
from app.cli.context import CliContext, CliError
from app.nightly import failed, nightly_deps, run_nightly
from app.notify import nightly_dispatch
from ledger.money import format_kr


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "nightly", help="the nightly run: charges, arrears cases, påkrav, notifications"
    )
    parser.add_argument(
        "--as-of", type=types.iso_date, help="the day to run for (default: today in Denmark)"
    )
    parser.add_argument("--organisation", type=types.cvr, help="only this CVR")
    parser.add_argument(
        "--wait",
        type=float,
        default=300.0,
        help="seconds to wait for another run of the same organisation (default 300)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CliContext) -> int:
    today = context.today()
    as_of = args.as_of or today
    if as_of > today:
        raise CliError(
            f"--as-of {as_of.isoformat()} is in the future: letters are never dated ahead"
        )
    if not 0 <= args.wait <= 3600:
        raise CliError("--wait is 0-3600 seconds")
    deps = nightly_deps(lock_wait_seconds=args.wait)
    summaries = run_nightly(
        context.unit_of_work,
        as_of,
        deps,
        cvr=args.organisation,
        payment_files=context.settings.bs_folders,
        after_commit=nightly_dispatch(context.settings),
    )
    if args.json:
        context.print_json(summaries)
    else:
        for summary in summaries:
            print_summary(context, summary)
    return 1 if any(failed(summary) for summary in summaries) else 0


def print_summary(context: CliContext, summary: dict[str, Any]) -> None:
    head = f"{summary['cvr']} {summary['as_of']}"
    if summary.get("status") != "done":
        context.print(f"{head}: {summary.get('status')}")
        return
    context.print(
        f"{head}: {summary['charges_posted']} charges posted, {summary['cases_opened']} cases "
        f"opened, {summary['pakrav_issued']} påkrav issued "
        f"(fees {format_kr(summary['fees_oere'], suffix=True)}), "
        f"{summary['notifications_created']} municipality notifications, "
        f"{summary['cases_closed']} cases closed, {summary['awaiting_approval']} sent for "
        f"approval ({summary['approval_queue']} waiting), "
        f"{summary['letters_printed']} letters in the print file"
    )
    sent = summary.get("dispatch")
    if sent:
        if "error" in sent:
            context.warn(f"notifications not sent tonight: {sent['error']}")
        else:
            context.print(
                f"  notifications: {sent['delivered']} delivered, {sent['retrying']} to be tried "
                f"again, {sent['dead_letter']} dead letters"
            )
    for warning in summary.get("warnings", []):
        context.warn(warning)
