"""``almen report``: the accountants' reports as CSV, Excel or PDF (``reports``)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from app.cli import args as types
from app.cli.context import CliContext, CliError
from ledger.models import Organisation
from ledger.registry import require_organisation
from reports import FORMATS, REPORTS, Format, build_report, render_report, report_filename

LIST = "list"


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "report",
        help="write a report (CSV, Excel or PDF); `almen report list` names them",
        description="Write report NAME to --out. The reports: "
        + ", ".join(sorted(REPORTS))
        + ". `almen report list` describes them.",
    )
    parser.add_argument("name", metavar="NAME", help="a report name, or `list`")
    parser.add_argument(
        "--format", choices=FORMATS, help="csv, xlsx or pdf (default: from the --out suffix)"
    )
    parser.add_argument("--out", type=Path, help="the file to write")
    parser.add_argument(
        "--organisation", type=types.cvr, help="CVR (may be left out when there is only one)"
    )
    parser.add_argument("--as-of", type=types.iso_date, help="default: today")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CliContext) -> int:
    if args.name == LIST:
        return list_reports(args, context)
    if args.name not in REPORTS:
        raise CliError(f"no report called {args.name!r}; the reports are: {', '.join(REPORTS)}")
    if args.out is None:
        raise CliError("--out FILE is required")
    fmt = output_format(args.format, args.out)
    if not args.out.parent.is_dir():
        raise CliError(f"no folder {args.out.parent} to write {args.out.name} in")
    as_of = args.as_of or context.today()
    with context.unit_of_work() as session:
        organisation = choose_organisation(session, args.organisation)
        assert organisation.id is not None
        report = build_report(session, organisation.id, args.name, as_of)
    data = render_report(report, fmt)
    write_file(args.out, data)
    if args.json:
        context.print_json(
            {
                "report": report.name,
                "title": report.title,
                "organisation_cvr": report.organisation_cvr,
                "as_of": as_of.isoformat(),
                "format": fmt,
                "file": str(args.out),
                "bytes": len(data),
                "rows": len(report.frame),
                "totals": report.totals,
            }
        )
    else:
        context.print(
            f"{report.title} ({report.organisation_name}, pr. {as_of.isoformat()}): "
            f"{len(report.frame)} rækker -> {args.out} ({len(data)} bytes, {fmt}; "
            f"suggested name {report_filename(report, fmt)})"
        )
    return 0


def list_reports(args: argparse.Namespace, context: CliContext) -> int:
    if args.json:
        context.print_json(
            [
                {"name": s.name, "title": s.title, "description": s.description}
                for s in REPORTS.values()
            ]
        )
        return 0
    width = max(len(name) for name in REPORTS)
    for spec in REPORTS.values():
        context.print(f"{spec.name:<{width}}  {spec.title}: {spec.description}")
    return 0


def output_format(given: Format | None, out: Path) -> Format:
    if given is not None:
        return given
    suffix = out.suffix.lower().lstrip(".")
    for fmt in FORMATS:
        if suffix == fmt:
            return fmt
    raise CliError(f"say --format ({', '.join(FORMATS)}): {out.name} has no known suffix")


def choose_organisation(session: Session, cvr: str | None) -> Organisation:
    if cvr is not None:
        return require_organisation(session, cvr)
    found = list(session.exec(select(Organisation).order_by(col(Organisation.cvr)).limit(2)))
    if len(found) != 1:
        raise CliError(
            "no organisation in the database"
            if not found
            else "more than one organisation: say which with --organisation CVR"
        )
    return found[0]


def write_file(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temporary file beside it, then a rename."""
    temporary = path.with_name(f".{path.name}.part")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
