"""``almen moveout``: the move-out workflow (fraflytning) and its what-if settlement.

::

    almen moveout calculate FILE.json [--json]           # what-if, no database
    almen moveout register  --organisation CVR --unit U --end D --cause C --by NAME [...]
    almen moveout record    --organisation CVR --unit U --by NAME [--learned-on D ...]
    almen moveout item | invoice | claim | attachment ... --by NAME
    almen moveout show      --organisation CVR --unit U [--json]
    almen moveout deadlines --organisation CVR [--as-of D] [--json]
    almen moveout notice    --organisation CVR --unit U --sent D --out FILE.pdf --by NAME
    almen moveout settle    --organisation CVR --unit U [--as-of D] --by NAME [--json]
    almen moveout statement --organisation CVR --unit U --out FILE.pdf --by NAME
    almen moveout post      --organisation CVR --unit U --by NAME [--guarantee-out FILE.pdf]
    almen moveout settings  --organisation CVR [--warn-days N ...]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli import args as types
from app.cli import moveout_views as views
from app.cli.context import CliContext, CliError
from ledger.registry import require_organisation, tenancy_on
from reports.letters.moveout import renderers
from workflows.moveout import settle, settlement_from_json, settlement_to_json
from workflows.moveout.closing import (
    issue_final_statement,
    issue_repair_notice,
    post_settlement,
)
from workflows.moveout.deadlines import LetterChannel, MoveoutCause
from workflows.moveout.entries import (
    add_attachment,
    add_claim,
    add_invoice,
    add_item,
)
from workflows.moveout.model import GuaranteeVoidReason, RepairCategory
from workflows.moveout.models import LearnedHow, MoveoutDocument
from workflows.moveout.service import (
    CaseUpdate,
    NewAddress,
    case_for_unit,
    record,
    register_moveout,
    update_settings,
)
from workflows.moveout.settling import settle_case

MAX_JSON_BYTES = 1_000_000


def _values(enum: Any) -> list[str]:
    return [member.value for member in enum]


def _case_args(parser: argparse.ArgumentParser, *, writes: bool = True) -> None:
    parser.add_argument("--organisation", type=types.cvr, required=True, help="CVR")
    parser.add_argument("--unit", required=True, help="unit number")
    if writes:
        parser.add_argument("--by", required=True, help="who does this (kept in the case log)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _address_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--new-address", help="address given for letters (ALL § 93, stk. 2)")
    parser.add_argument("--new-postcode", default="")
    parser.add_argument("--new-city", default="")
    parser.add_argument(
        "--no-new-address", action="store_true", help="the tenant left no new address"
    )
    parser.add_argument("--guarantee-void", choices=_values(GuaranteeVoidReason))
    parser.add_argument("--indskudslaan-oere", type=int, help="beboerindskudslån owed, øre")


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "moveout", help="move-out (fraflytning): deadlines, settlement, letters, posting"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    calc = actions.add_parser("calculate", help="what-if settlement from a JSON file")
    calc.add_argument("file", type=Path, help="settlement input (JSON)")
    calc.add_argument("--json", action="store_true", help="print JSON")
    calc.set_defaults(handler=calculate)

    reg = actions.add_parser("register", help="open the move-out case of a tenancy")
    _case_args(reg)
    reg.add_argument("--end", type=types.iso_date, required=True, help="last day of the lease")
    reg.add_argument("--cause", choices=_values(MoveoutCause), required=True)
    _address_args(reg)
    reg.set_defaults(handler=register_case)

    rec = actions.add_parser("record", help="record dates and facts of a case")
    _case_args(rec)
    rec.add_argument("--learned-on", type=types.iso_date, help="keys returned / evicted on")
    rec.add_argument("--learned-how", choices=_values(LearnedHow))
    rec.add_argument("--summons-sent", type=types.iso_date, help="summons sent on")
    rec.add_argument("--summons-channel", choices=_values(LetterChannel))
    rec.add_argument("--summons-arrived", type=types.iso_date, help="if known")
    rec.add_argument("--inspection-on", type=types.iso_date, help="inspection day summoned to")
    rec.add_argument("--shorter-notice-agreed", action="store_true", help="ALL § 94, stk. 1")
    rec.add_argument("--inspection-held", type=types.iso_date)
    rec.add_argument("--inspection-waived", action="store_true", help="no repair claim made")
    rec.add_argument("--no-repair-claim", action="store_true", help="inspection found nothing")
    _address_args(rec)
    rec.add_argument("--correct", action="store_true", help="change a recorded value (logged)")
    rec.set_defaults(handler=record_facts)

    item = actions.add_parser("item", help="an item of the inspection report with its estimate")
    _case_args(item)
    item.add_argument("--text", required=True)
    item.add_argument("--category", choices=_values(RepairCategory), required=True)
    item.add_argument("--estimate-oere", type=int, required=True)
    item.set_defaults(handler=add_case_item)

    inv = actions.add_parser("invoice", help="a contractor's invoice for an item")
    _case_args(inv)
    inv.add_argument("--item", type=int, required=True, help="item number")
    inv.add_argument("--contractor", required=True)
    inv.add_argument("--reference", required=True, help="invoice number")
    inv.add_argument("--amount-oere", type=int, required=True)
    inv.add_argument("--received", type=types.iso_date, required=True)
    inv.set_defaults(handler=add_case_invoice)

    claim = actions.add_parser("claim", help="another claim (e.g. legal costs)")
    _case_args(claim)
    claim.add_argument("--text", required=True)
    claim.add_argument("--amount-oere", type=int, required=True)
    claim.set_defaults(handler=add_case_claim)

    att = actions.add_parser("attachment", help="an udlæg in the deposit")
    _case_args(att)
    att.add_argument("--creditor", required=True)
    att.add_argument("--amount-oere", type=int, required=True)
    att.add_argument("--registered", type=types.iso_date, required=True)
    att.add_argument("--debtor", default="tenant", help="with several tenants: whose creditor")
    att.add_argument("--share", default="1", help='the debtor\'s share of the deposit, e.g. "1/2"')
    att.set_defaults(handler=add_case_attachment)

    show = actions.add_parser("show", help="a case: dates, deadlines, items, settlement")
    _case_args(show, writes=False)
    show.add_argument("--as-of", type=types.iso_date, help="default: today")
    show.set_defaults(handler=views.show_case)

    dl = actions.add_parser("deadlines", help="deadlines due soon and missed (what the night sees)")
    dl.add_argument("--organisation", type=types.cvr, required=True, help="CVR")
    dl.add_argument("--as-of", type=types.iso_date, help="default: today")
    dl.add_argument("--json", action="store_true", help="print JSON")
    dl.set_defaults(handler=views.show_deadlines)

    notice = actions.add_parser("notice", help="the repair notice (ALL § 94, stk. 2) as PDF")
    _case_args(notice)
    notice.add_argument("--sent", type=types.iso_date, required=True)
    notice.add_argument("--channel", choices=_values(LetterChannel))
    notice.add_argument("--arrived", type=types.iso_date, help="if known")
    notice.add_argument("--out", type=Path, required=True, help="write the PDF here")
    notice.set_defaults(handler=repair_notice)

    st = actions.add_parser("settle", help="compute and store the settlement from the ledger")
    _case_args(st)
    st.add_argument("--as-of", type=types.iso_date, help="settlement day (default: today)")
    st.add_argument(
        "--accept-late-inspection",
        action="store_true",
        help="charge repairs although the inspection or summons missed ALL § 94, stk. 1",
    )
    st.set_defaults(handler=settle_stored)

    stmt = actions.add_parser("statement", help="the final statement (flytteopgørelse) as PDF")
    _case_args(stmt)
    stmt.add_argument("--date", type=types.iso_date, help="letter date (default: today)")
    stmt.add_argument("--out", type=Path, required=True, help="write the PDF here")
    stmt.set_defaults(handler=final_statement)

    post = actions.add_parser("post", help="post the settlement to the ledger (idempotent)")
    _case_args(post)
    post.add_argument("--guarantee-out", type=Path, help="write the guarantee claim PDF here")
    post.set_defaults(handler=post_case)

    sets = actions.add_parser("settings", help="warning window, post time, letter contact")
    sets.add_argument("--organisation", type=types.cvr, required=True, help="CVR")
    sets.add_argument("--warn-days", type=int, help="warn this many days before a deadline")
    sets.add_argument("--letter-arrival-bank-days", type=int, help="assumed post time")
    sets.add_argument("--phone")
    sets.add_argument("--email")
    sets.add_argument("--payment-details", help='e.g. "reg.nr. 1234 konto 0001234567"')
    sets.add_argument("--by", default="cli", help="who changes them")
    sets.add_argument("--json", action="store_true", help="print JSON")
    sets.set_defaults(handler=settings)


# --- what-if ----------------------------------------------------------------------------------


def calculate(args: argparse.Namespace, context: CliContext) -> int:
    """``moveout calculate``: the settlement of a JSON file; errors name the key."""
    path: Path = args.file
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None
    if len(raw) > MAX_JSON_BYTES:
        raise CliError(f"{path} is larger than {MAX_JSON_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CliError(f"{path} is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise CliError(
            f"{path} is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    result = settlement_to_json(settle(settlement_from_json(data)))
    if args.json:
        context.print_json(result)
    else:
        views.print_settlement(context, result)
    return 0


# --- the case ---------------------------------------------------------------------------------


def _actor(args: argparse.Namespace) -> str:
    return f"cli:{args.by}"


def _update(args: argparse.Namespace) -> CaseUpdate:
    given = getattr
    address = None
    if given(args, "new_address", None):
        address = NewAddress(args.new_address, args.new_postcode, args.new_city)
    void = given(args, "guarantee_void", None)
    return CaseUpdate(
        learned_on=given(args, "learned_on", None),
        learned_how=LearnedHow(args.learned_how) if given(args, "learned_how", None) else None,
        new_address=address,
        left_no_address=True if given(args, "no_new_address", False) else None,
        guarantee_void_reason=GuaranteeVoidReason(void) if void else None,
        indskudslaan_oere=given(args, "indskudslaan_oere", None),
        summons_sent_on=given(args, "summons_sent", None),
        summons_channel=_channel(given(args, "summons_channel", None)),
        summons_arrived_on=given(args, "summons_arrived", None),
        inspection_planned_on=given(args, "inspection_on", None),
        shorter_notice_agreed=True if given(args, "shorter_notice_agreed", False) else None,
        inspection_held_on=given(args, "inspection_held", None),
        inspection_waived=True if given(args, "inspection_waived", False) else None,
        no_repair_claim=True if given(args, "no_repair_claim", False) else None,
    )


def _channel(value: str | None) -> LetterChannel | None:
    return LetterChannel(value) if value else None


def register_case(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        assert organisation.id is not None
        tenancy = tenancy_on(session, organisation.id, args.unit, args.end)
        case = register_moveout(
            session,
            tenancy,
            end_date=args.end,
            cause=MoveoutCause(args.cause),
            actor=_actor(args),
            as_of=context.today(),
            update=_update(args),
        )
        summary = views.case_summary(session, case, context.today())
    return views.report(context, args, summary, f"registered move-out case {summary['case']}")


def record_facts(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        case = _case(session, args)
        warnings = record(
            session, case, _update(args), actor=_actor(args), as_of=context.today(),
            correct=args.correct,
        )  # fmt: skip
        summary = views.case_summary(session, case, context.today())
    for warning in warnings:
        context.warn(warning)
    return views.report(context, args, summary, f"recorded on case {summary['case']}")


def _case(session: Any, args: argparse.Namespace) -> Any:
    organisation = require_organisation(session, args.organisation)
    assert organisation.id is not None
    return case_for_unit(session, organisation.id, args.unit)


def add_case_item(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        case = _case(session, args)
        item = add_item(
            session, case, text=args.text, category=RepairCategory(args.category),
            estimate_oere=args.estimate_oere, actor=_actor(args),
        )  # fmt: skip
        result = {"case": views.reference(case), "item": item.position}
    return views.report(context, args, result, f"item {item.position} added")


def add_case_invoice(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        case = _case(session, args)
        add_invoice(
            session, case, item_position=args.item, contractor=args.contractor,
            reference=args.reference, amount_oere=args.amount_oere, received_on=args.received,
            actor=_actor(args), as_of=context.today(),
        )  # fmt: skip
        result = {"case": views.reference(case), "item": args.item, "reference": args.reference}
    return views.report(context, args, result, f"invoice {args.reference} added")


def add_case_claim(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        case = _case(session, args)
        add_claim(session, case, text=args.text, amount_oere=args.amount_oere, actor=_actor(args))
        result = {"case": views.reference(case), "claim": args.text}
    return views.report(context, args, result, "claim added")


def add_case_attachment(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        case = _case(session, args)
        add_attachment(
            session, case, creditor=args.creditor, amount_oere=args.amount_oere,
            registered_on=args.registered, actor=_actor(args), debtor=args.debtor,
            debtor_share=args.share,
        )  # fmt: skip
        result = {"case": views.reference(case), "attachment": args.creditor}
    return views.report(context, args, result, "udlæg added")


# --- letters, settlement, posting -------------------------------------------------------------


def _write(path: Path, document: MoveoutDocument) -> None:
    try:
        path.write_bytes(document.pdf)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror}") from None


def repair_notice(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        case = _case(session, args)
        document, warnings = issue_repair_notice(
            session, case, sent_on=args.sent, channel=_channel(args.channel),
            actor=_actor(args), as_of=context.today(), render=renderers().repair_notice,
            arrived_on=args.arrived,
        )  # fmt: skip
        _write(args.out, document)
        result = {"case": views.reference(case), "sha256": document.sha256, "out": str(args.out)}
    for warning in warnings:
        context.warn(warning)
    return views.report(context, args, result, f"repair notice written to {args.out}")


def settle_stored(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        case = _case(session, args)
        row = settle_case(
            session, case, as_of=args.as_of or context.today(), actor=_actor(args),
            accept_late_inspection=args.accept_late_inspection,
        )  # fmt: skip
        result = {"case": views.reference(case), "settlement_id": row.id, **row.result}
    if args.json:
        context.print_json(result)
    else:
        views.print_settlement(context, result)
    return 0


def final_statement(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        case = _case(session, args)
        document = issue_final_statement(
            session, case, document_date=args.date or context.today(), actor=_actor(args),
            as_of=context.today(), render=renderers().final_statement,
        )  # fmt: skip
        _write(args.out, document)
        result = {"case": views.reference(case), "sha256": document.sha256, "out": str(args.out)}
    return views.report(context, args, result, f"final statement written to {args.out}")


def post_case(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        case = _case(session, args)
        outcome = post_settlement(
            session, case, actor=_actor(args), today=context.today(),
            render_guarantee_claim=renderers().guarantee_claim,
        )  # fmt: skip
        claim = outcome.guarantee_claim
        if claim is not None and args.guarantee_out and claim.document_id is not None:
            document = session.get(MoveoutDocument, claim.document_id)
            assert document is not None
            _write(args.guarantee_out, document)
        result = {
            "case": views.reference(case),
            "settlement_id": outcome.settlement_id,
            "posted": outcome.posted,
            "already_posted": outcome.already_posted,
            "tenant_balance_oere": outcome.tenant_balance_oere,
            "guarantee_claim_oere": None if claim is None else claim.amount_oere,
            "guarantee_claim_status": None if claim is None else claim.status.value,
        }
    text = (
        f"{outcome.posted} postings made, {outcome.already_posted} were posted already; "
        f"tenant's account {views.kr(outcome.tenant_balance_oere)}"
    )
    return views.report(context, args, result, text)


def settings(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        assert organisation.id is not None
        stored = update_settings(
            session, organisation.id, f"cli:{args.by}", warn_days=args.warn_days,
            letter_arrival_bank_days=args.letter_arrival_bank_days, contact_phone=args.phone,
            contact_email=args.email, payment_details=args.payment_details,
        )  # fmt: skip
        result = stored.model_dump(exclude={"updated_at"})
    return views.report(context, args, result, json.dumps(result, ensure_ascii=False))
