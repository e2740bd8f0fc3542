"""``almen bs ...``: Betalingsservice settings, import, inbox, export and the suspense list."""

from __future__ import annotations

import argparse
import getpass
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from app.cli import args as types
from app.cli.context import CliContext, CliError
from integrations.betalingsservice.agreement import save_settings, settings_of
from integrations.betalingsservice.errors import BsSetupError
from integrations.betalingsservice.export import export_month
from integrations.betalingsservice.importer import ImportReport, import_file
from integrations.betalingsservice.inbox import InboxResult, Outcome, file_away, take_in
from integrations.betalingsservice.models import BsDelivery, BsSettings, BsSuspenseItem
from integrations.betalingsservice.parser import MAX_FILE_BYTES
from integrations.betalingsservice.suspense import open_items, resolve
from ledger.models import Organisation
from ledger.money import format_kr
from ledger.registry import require_organisation


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "bs", help="Betalingsservice: settings, import 0602/0603, export 0601, suspense list"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    _register_settings(actions)
    _register_import(actions)
    _register_inbox(actions)
    _register_export(actions)
    _register_suspense(actions)


def _by(args: argparse.Namespace) -> str:
    return str(args.by or f"cli:{getpass.getuser()}")[:100]


# --- settings --------------------------------------------------------------------------------


def _register_settings(actions: Any) -> None:
    sub: argparse.ArgumentParser = actions.add_parser(
        "settings", help="show or set an organisation's PBS number and debtor group"
    )
    sub.add_argument("--organisation", type=types.cvr, required=True, help="CVR")
    sub.add_argument("--pbs-number", help="8 digits (kreditornummer)")
    sub.add_argument("--debtor-group", help="5 digits (debitorgruppe)")
    sub.add_argument("--data-supplier-cvr", help="the data supplier (default: the organisation)")
    sub.add_argument("--by", default=None, help="who changes it")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=run_settings)


def run_settings(args: argparse.Namespace, context: CliContext) -> int:
    changing = args.pbs_number is not None or args.debtor_group is not None
    if changing and (args.pbs_number is None or args.debtor_group is None):
        raise CliError("give both --pbs-number and --debtor-group")
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        assert organisation.id is not None
        if changing:
            settings = save_settings(
                session,
                organisation,
                pbs_number=args.pbs_number,
                debtor_group=args.debtor_group,
                data_supplier_cvr=args.data_supplier_cvr,
                updated_by=_by(args),
            )
        else:
            found = settings_of(session, organisation.id)
            if found is None:
                raise CliError(f"organisation {organisation.cvr} has no Betalingsservice settings")
            settings = found
        shown = _settings_view(organisation, settings)
    if args.json:
        context.print_json(shown)
        return 0
    context.print(
        f"{shown['organisation']}: PBS number {shown['pbs_number']}, debtor group "
        f"{shown['debtor_group']}, data supplier {shown['data_supplier_cvr']}, last 0601 serial "
        f"{shown['last_delivery_serial']}"
    )
    return 0


def _settings_view(organisation: Organisation, settings: BsSettings) -> dict[str, Any]:
    return {
        "organisation": organisation.cvr,
        "pbs_number": settings.pbs_number,
        "debtor_group": settings.debtor_group,
        "data_supplier_cvr": settings.data_supplier_cvr,
        "last_delivery_serial": settings.last_delivery_serial,
    }


# --- import and inbox ------------------------------------------------------------------------


def _register_import(actions: Any) -> None:
    sub: argparse.ArgumentParser = actions.add_parser(
        "import", help="import a 0602 (payments) or 0603 (mandates) delivery file"
    )
    sub.add_argument("file", type=Path, help="the delivery file")
    sub.add_argument("--by", default=None, help="who imports (kept with the import)")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace, context: CliContext) -> int:
    path: Path = args.file
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CliError(f"{path}: larger than {MAX_FILE_BYTES} bytes")
    data = path.read_bytes()
    with context.unit_of_work() as session:
        report = import_file(session, data, path.name, today=context.today(), imported_by=_by(args))
    if args.json:
        context.print_json(asdict(report))
        return 0
    _print_report(context, report)
    return 0


def _print_report(context: CliContext, report: ImportReport) -> None:
    head = (
        f"{report.file_name}: delivery {report.delivery_type} serial {report.delivery_serial} "
        f"of {report.created} from {report.data_supplier_cvr}"
    )
    if report.already_imported:
        context.print(f"{head}: imported before, nothing changed")
        for earlier in report.imported_before:
            context.print(f"  imported from {earlier}")
        return
    context.print(head)
    for org in report.organisations:
        if report.delivery_type == "0603":
            context.print(
                f"  {org.organisation_cvr}: {org.mandates} mandates "
                f"({org.mandates_unmatched} without a tenancy)"
            )
        else:
            context.print(
                f"  {org.organisation_cvr}: {org.payments} payments "
                f"({format_kr(org.paid_oere, suffix=True)}), {org.rejected} rejected, "
                f"{org.cancelled} cancelled, {org.charged_back} charged back "
                f"({format_kr(org.charged_back_oere, suffix=True)}), {org.suspense} on the "
                f"suspense list ({format_kr(org.suspense_oere, suffix=True)})"
            )
        for notice in org.notices:
            context.print(f"    {notice}")


def _register_inbox(actions: Any) -> None:
    sub: argparse.ArgumentParser = actions.add_parser(
        "inbox", help="import every file waiting in the inbox folder (ALMEN_BS_INBOX)"
    )
    sub.add_argument("--organisation", type=types.cvr, help="only this organisation's files")
    sub.add_argument("--by", default=None, help="who imports (kept with the import)")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=run_inbox)


def run_inbox(args: argparse.Namespace, context: CliContext) -> int:
    folders = context.settings.bs_folders
    with context.unit_of_work() as session:
        organisation_id = None
        if args.organisation:
            organisation_id = require_organisation(session, args.organisation).id
        result = take_in(
            session,
            folders.inbox,
            today=context.today(),
            imported_by=_by(args),
            organisation_id=organisation_id,
        )
    moved = file_away(result, folders.archive, folders.errors)  # after the commit
    targets = {m.source: m.target for m in moved}
    summary = _inbox_view(result, targets)
    if args.json:
        context.print_json(summary)
    else:
        _print_inbox(context, summary)
    return 1 if result.count(Outcome.REJECTED) else 0


def _inbox_view(result: InboxResult, targets: dict[Path, Path]) -> dict[str, Any]:
    return {
        "inbox": str(result.inbox),
        "files": [
            {
                "file": file.path.name,
                "outcome": file.outcome.value,
                "moved_to": str(targets[file.path]) if file.path in targets else None,
                "note": file.note,
                "issues": [str(issue) for issue in file.issues],
                "report": asdict(file.report) if file.report is not None else None,
            }
            for file in result.files
        ],
    }


def _print_inbox(context: CliContext, summary: dict[str, Any]) -> None:
    if not summary["files"]:
        context.print(f"{summary['inbox']}: no files waiting")
    for file in summary["files"]:
        where = f" -> {file['moved_to']}" if file["moved_to"] else ""
        note = f" ({file['note']})" if file["note"] else ""
        context.print(f"{file['file']}: {file['outcome']}{note}{where}")
        for issue in file["issues"][:20]:
            context.print(f"  {issue}")


# --- export ----------------------------------------------------------------------------------


def _register_export(actions: Any) -> None:
    sub: argparse.ArgumentParser = actions.add_parser(
        "export", help="write a month's collections as a 0601 delivery"
    )
    sub.add_argument("--month", type=types.month, required=True, help="YYYY-MM")
    sub.add_argument("--out", type=Path, required=True, help="the file to write")
    sub.add_argument("--organisation", type=types.cvr, help="CVR (needed if several have BS)")
    sub.add_argument("--again", action="store_true", help="replace the month's earlier 0601")
    sub.add_argument("--by", default=None, help="who exports (kept with the delivery)")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace, context: CliContext) -> int:
    out: Path = args.out
    if out.exists() and not args.again:
        raise CliError(f"{out} exists already; choose another --out")
    with context.unit_of_work() as session:
        organisation = _exporting_organisation(session, args.organisation)
        export = export_month(
            session,
            organisation,
            args.month,
            today=context.today(),
            exported_by=_by(args),
            file_name=out.name,
            again=args.again,
        )
        _write_atomically(out, export.data)  # before the commit: no record without a file
    shown = {
        "organisation": export.organisation_cvr,
        "month": export.month,
        "file": str(out),
        "delivery_serial": export.delivery_serial,
        "collections": export.collections,
        "amount_oere": export.amount_oere,
        "superseded_deliveries": export.superseded,
    }
    if args.json:
        context.print_json(shown)
        return 0
    context.print(
        f"{out}: 0601 serial {export.delivery_serial} for {export.organisation_cvr}, "
        f"{export.month}: {export.collections} collections, "
        f"{format_kr(export.amount_oere, suffix=True)}"
    )
    for serial in export.superseded:
        context.print(f"  replaces delivery {serial}: do not send that file")
    return 0


def _exporting_organisation(session: Session, cvr: str | None) -> Organisation:
    if cvr:
        return require_organisation(session, cvr)
    with_settings = list(
        session.exec(
            select(Organisation)
            .join(BsSettings, col(BsSettings.organisation_id) == col(Organisation.id))
            .order_by(col(Organisation.id))
        )
    )
    if len(with_settings) != 1:
        raise BsSetupError(
            f"{len(with_settings)} organisations have Betalingsservice settings: "
            "name one with --organisation"
        )
    return with_settings[0]


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


# --- suspense list ---------------------------------------------------------------------------


def _register_suspense(actions: Any) -> None:
    sub: argparse.ArgumentParser = actions.add_parser(
        "suspense", help="the suspense list (uafstemte indbetalinger)"
    )
    steps = sub.add_subparsers(dest="step", required=True, metavar="STEP")
    listing: argparse.ArgumentParser = steps.add_parser("list", help="open suspense items")
    listing.add_argument("--organisation", type=types.cvr, help="only this CVR")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=run_suspense_list)
    resolving: argparse.ArgumentParser = steps.add_parser(
        "resolve", help="move a suspense item to a tenancy"
    )
    resolving.add_argument("id", type=int, help="the suspense item")
    resolving.add_argument("--unit", required=True, help="the unit number (lejemål)")
    resolving.add_argument("--by", required=True, help="who resolves it")
    resolving.add_argument(
        "--payment", type=int, help="for a charge-back: the posting id of the payment it reverses"
    )
    resolving.add_argument("--json", action="store_true", help="print JSON")
    resolving.set_defaults(handler=run_suspense_resolve)


def run_suspense_list(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        organisation_id = None
        if args.organisation:
            organisation_id = require_organisation(session, args.organisation).id
        found = open_items(session, organisation_id)
        files = _file_names(session, {item.delivery_id for item in found})
        items = [_item_view(item, files) for item in found]
    if args.json:
        context.print_json(items)
        return 0
    if not items:
        context.print("no open suspense items")
    for item in items:
        context.print(
            f"#{item['id']} {item['direction']:>3} {format_kr(item['amount_oere']):>12} "
            f"{item['payment_date']} customer {item['customer_number']} "
            f"({item['file']} line {item['line']}): {item['reason']}"
        )
    return 0


def _item_view(item: BsSuspenseItem, files: dict[int, str]) -> dict[str, Any]:
    return {
        "id": item.id,
        "organisation_id": item.organisation_id,
        "direction": item.direction.value,
        "method": item.method.value,
        "amount_oere": item.amount_oere,
        "payment_date": item.payment_date.isoformat(),
        "actual_date": item.actual_date.isoformat() if item.actual_date else None,
        "transaction_code": item.transaction_code,
        "pbs_number": item.pbs_number,
        "debtor_group": item.debtor_group,
        "customer_number": item.customer_number.lstrip("0") or "0",
        "creditor_reference": item.creditor_reference,
        "reason": item.reason,
        "delivery_id": item.delivery_id,
        "file": files.get(item.delivery_id, ""),
        "line": item.line,
    }


def _file_names(session: Session, delivery_ids: set[int]) -> dict[int, str]:
    rows = session.exec(
        select(BsDelivery.id, BsDelivery.file_name).where(col(BsDelivery.id).in_(delivery_ids))
    )
    return {delivery_id: name for delivery_id, name in rows if delivery_id is not None}


def run_suspense_resolve(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        resolution = resolve(
            session,
            args.id,
            unit_number=args.unit,
            resolved_by=str(args.by)[:100],
            today=context.today(),
            payment_posting_id=args.payment,
        )
    shown = asdict(resolution)
    if args.json:
        context.print_json(shown)
        return 0
    reversed_note = (
        f", reversing payment {resolution.reversed_posting_id}"
        if resolution.reversed_posting_id is not None
        else ""
    )
    context.print(
        f"suspense item {resolution.item_id} -> unit {resolution.unit_number} "
        f"(tenancy {resolution.tenancy_id}): posting {resolution.posting_id}{reversed_note}"
    )
    return 0
