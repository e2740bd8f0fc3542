"""Issuing the move-out documents and posting the settlement: the steps that leave the house.

* ``issue_repair_notice``: record that the notice was sent and keep the PDF sent.
* ``issue_final_statement``: the flytteopgørelse of the latest settlement, kept as sent.
* ``post_settlement``: the latest settlement onto the ledger (``landing``), the guarantee
  claim with its letter, and the case closed. Posting again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from ledger.accounts import reallocate, tenancy_statement
from ledger.charge_types import (
    DAMAGE,
    DEPOSITUM,
    INDSKUD,
    MOVEOUT_CLAIM,
    NORMAL_REFURBISHMENT,
    ensure_default_charge_types,
)
from ledger.models import ChargeType, LedgerEntry, Posting
from ledger.posting import PostingError, post_many
from ledger.types import Account, utc_now
from workflows.moveout.deadlines import LetterChannel
from workflows.moveout.documents import (
    RepairNoticeFacts,
    StatementFacts,
    repair_notice_facts,
    statement_facts,
    store_document,
)
from workflows.moveout.guarantee import create_guarantee_claim
from workflows.moveout.input_json import settlement_input_to_json
from workflows.moveout.landing import (
    MOVEOUT_SOURCE,
    ChargeTypeIds,
    LandingSpec,
    landing_postings,
    opening_needed,
)
from workflows.moveout.models import (
    CaseState,
    DocumentKind,
    MoveoutCase,
    MoveoutDocument,
    MoveoutGuaranteeClaim,
    MoveoutSettlement,
)
from workflows.moveout.service import (
    CaseUpdate,
    MoveoutError,
    case_reference,
    log_event,
    record,
    tenancy_of,
)
from workflows.moveout.settling import gather_input, latest_settlement


@dataclass(frozen=True, slots=True)
class PostOutcome:
    settlement_id: int
    posted: int  # postings written now
    already_posted: int  # postings found in the ledger already
    tenant_balance_oere: int
    guarantee_claim: MoveoutGuaranteeClaim | None


def issue_repair_notice(
    session: Session,
    case: MoveoutCase,
    *,
    sent_on: date,
    channel: LetterChannel | None,
    actor: str,
    as_of: date,
    render: Callable[[RepairNoticeFacts], bytes],
    arrived_on: date | None = None,
) -> tuple[MoveoutDocument, list[str]]:
    """Record the repair notice as sent on ``sent_on`` and keep the letter (ALL § 94, stk. 2)."""
    update = CaseUpdate(
        repair_notice_sent_on=sent_on,
        repair_notice_channel=channel,
        repair_notice_arrived_on=arrived_on,
    )
    warnings = record(session, case, update, actor=actor, as_of=as_of)
    facts = repair_notice_facts(session, case, sent_on)  # after recording: its channel
    document = store_document(
        session,
        case,
        kind=DocumentKind.REPAIR_NOTICE,
        pdf=render(facts),
        document_date=sent_on,
        actor=actor,
    )
    if case.repair_notice_arrived_on and case.repair_notice_arrived_on > facts.deadline:
        warnings.append(
            f"the notice reaches the tenant {case.repair_notice_arrived_on}, after the deadline "
            f"{facts.deadline}: the repair claim lapses unless the tenant left no new address "
            "(ALL § 94, stk. 2)"
        )
    return document, warnings


def require_settlement(session: Session, case: MoveoutCase) -> MoveoutSettlement:
    row = latest_settlement(session, case)
    if row is None or row.id is None:
        raise MoveoutError(f"case {case_reference(case)} has no settlement yet (settle it first)")
    return row


def issue_final_statement(
    session: Session,
    case: MoveoutCase,
    *,
    document_date: date,
    actor: str,
    as_of: date,
    render: Callable[[StatementFacts], bytes],
) -> MoveoutDocument:
    """The flytteopgørelse of the latest settlement, kept as sent; the first one sent is the
    final statement's date (the § 29 fortnight runs from its receipt)."""
    row = require_settlement(session, case)
    if document_date < row.as_of:
        raise MoveoutError(f"the statement cannot be dated before its settlement ({row.as_of})")
    facts = statement_facts(session, case, row, document_date)
    document = store_document(
        session,
        case,
        kind=DocumentKind.FINAL_STATEMENT,
        pdf=render(facts),
        document_date=document_date,
        actor=actor,
        settlement_id=row.id,
    )
    if case.statement_sent_on is None:
        record(session, case, CaseUpdate(statement_sent_on=document_date), actor=actor, as_of=as_of)
    return document


def _charge_type_ids(session: Session, organisation_id: int) -> ChargeTypeIds:
    types = ensure_default_charge_types(session, organisation_id)
    ids = {code: types[code].id for code in (NORMAL_REFURBISHMENT, DAMAGE, MOVEOUT_CLAIM)}
    assert all(value is not None for value in ids.values())
    return ChargeTypeIds(
        normal_refurbishment=ids[NORMAL_REFURBISHMENT] or 0,
        damage=ids[DAMAGE] or 0,
        other_claim=ids[MOVEOUT_CLAIM] or 0,
    )


def deposit_in_ledger(session: Session, case: MoveoutCase) -> tuple[int, list[tuple[int, int]]]:
    """The deposit liability the ledger holds for the tenancy from postings other than this
    workflow's, and the deposit charges on the tenant's account by charge type id."""
    base = (
        select(LedgerEntry.charge_type_id, LedgerEntry.amount_oere)
        .join(Posting, col(Posting.id) == col(LedgerEntry.posting_id))
        .where(LedgerEntry.tenancy_id == case.tenancy_id, Posting.source != MOVEOUT_SOURCE)
    )
    deposit_lines = session.exec(base.where(LedgerEntry.account == Account.DEPOSIT)).all()
    recognised = -sum(amount for _, amount in deposit_lines)
    deposit_types = session.exec(
        select(ChargeType.id).where(
            ChargeType.organisation_id == case.organisation_id,
            col(ChargeType.code).in_([INDSKUD, DEPOSITUM]),
        )
    ).all()
    charged: dict[int, int] = {}
    for type_id, amount in session.exec(
        base.where(
            LedgerEntry.account == Account.DEBTOR,
            col(LedgerEntry.charge_type_id).in_(deposit_types),
        )
    ):
        assert type_id is not None
        charged[type_id] = charged.get(type_id, 0) + amount
    return recognised, sorted(charged.items())


def post_settlement(
    session: Session,
    case: MoveoutCase,
    *,
    actor: str,
    today: date,
    render_guarantee_claim: Callable[[StatementFacts], bytes] | None = None,
) -> PostOutcome:
    """Post the latest settlement; store the guarantee claim (and its letter, when a renderer
    is given). A posted case posts the same postings again, which the ledger skips."""
    assert case.id is not None
    row = require_settlement(session, case)
    assert row.id is not None
    was_posted = case.state is CaseState.POSTED
    if was_posted and row.posted_at is None:
        raise MoveoutError("the case is posted, but not with its latest settlement")  # a bug
    if not was_posted:
        now = settlement_input_to_json(gather_input(session, case, row.as_of).input)
        if now != row.input:
            raise MoveoutError(
                f"the account or the case changed after settlement {row.id} of {row.as_of}: "
                "settle again before posting"
            )
    facts = statement_facts(session, case, row, row.as_of)
    tenancy = tenancy_of(session, case)
    assert tenancy.id is not None
    recognised, charged = deposit_in_ledger(session, case)
    try:
        opening = opening_needed(tenancy.deposit_oere, recognised, charged)
    except ValueError as exc:
        raise MoveoutError(str(exc)) from None
    spec = LandingSpec(
        organisation_id=case.organisation_id,
        case_id=case.id,
        tenancy_id=tenancy.id,
        day=row.as_of,
        created_by=actor,
        input=facts.input,
        settlement=facts.settlement,
        charge_types=_charge_type_ids(session, case.organisation_id),
        opening=opening,
    )
    postings = landing_postings(spec)
    try:
        result = post_many(session, postings)
    except PostingError as exc:
        raise MoveoutError(f"the settlement cannot be posted: {exc}") from None
    reallocate(session, case.organisation_id, result.tenancy_ids | {tenancy.id})
    balance = tenancy_statement(session, case.organisation_id, tenancy.id, row.as_of).balance_oere
    assert balance == row.tenant_owes_oere, f"tenant's account {balance} != statement"
    claim = None
    if row.guarantee_claim_oere > 0:
        claim = _guarantee_claim(session, case, facts, today, actor, render_guarantee_claim)
    if not was_posted:
        row.posted_at, row.posted_by = utc_now(), actor
        case.state, case.updated_at = CaseState.POSTED, utc_now()
        session.add_all([row, case])
        session.flush()
        log_event(
            session, case, actor, "posted",
            f"settlement {row.id}: {len(result.posted)} postings; tenant's account {balance}",
        )  # fmt: skip
    return PostOutcome(row.id, len(result.posted), result.already_posted, balance, claim)


def _guarantee_claim(
    session: Session,
    case: MoveoutCase,
    facts: StatementFacts,
    today: date,
    actor: str,
    render: Callable[[StatementFacts], bytes] | None,
) -> MoveoutGuaranteeClaim:
    existing = session.exec(
        select(MoveoutGuaranteeClaim).where(MoveoutGuaranteeClaim.case_id == case.id)
    ).first()
    if existing is not None:
        return existing
    document = None
    if render is not None:
        letter_facts = StatementFacts(
            organisation=facts.organisation,
            case=facts.case,
            document_date=today,
            settlement_id=facts.settlement_id,
            settled_on=facts.settled_on,
            input=facts.input,
            settlement=facts.settlement,
            repairs=facts.repairs,
        )
        document = store_document(
            session,
            case,
            kind=DocumentKind.GUARANTEE_CLAIM,
            pdf=render(letter_facts),
            document_date=today,
            actor=actor,
            settlement_id=facts.settlement_id,
        )
    return create_guarantee_claim(
        session, case, facts, claimed_on=today, document=document, actor=actor
    )
