"""Move-out cases on the database: deadlines stored, warned about and shown as missed; recorded
dates write-once with logged corrections; what the law does not allow is refused."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlmodel import Session

from ledger.models import Organisation
from ledger.types import DeliveryChannel
from reports.letters.moveout import renderers
from tests.reports.letters import pdftext
from tests.workflows.moveout import moveout_cases as mc
from workflows.moveout.closing import issue_repair_notice
from workflows.moveout.deadlines import DeadlineKind, LetterChannel, MoveoutCause
from workflows.moveout.entries import (
    add_invoice,
    add_item,
)
from workflows.moveout.model import RepairCategory
from workflows.moveout.reminders import (
    missed_moveout_deadlines,
    moveout_nightly_step,
    upcoming_moveout_deadlines,
)
from workflows.moveout.service import (
    CaseUpdate,
    MoveoutError,
    events_of,
    record,
    register_moveout,
    stored_deadlines,
    update_settings,
)
from workflows.moveout.settling import settle_case


def _kinds(warnings: list[object]) -> list[tuple[str, str, str]]:
    return [(w.kind, w.due_on.isoformat(), w.status) for w in warnings]  # type: ignore[attr-defined]


def test_all_94_stk_1_learned_on_friday_inspection_by_friday_two_weeks_later(
    session: Session,
) -> None:
    t = mc.tenancy(session)
    case = mc.registered(session, t)
    org = t.organisation_id
    # The tenancy has ended but nobody has recorded when the keys came back.
    missing = upcoming_moveout_deadlines(session, org, date(2026, 4, 1))
    assert _kinds(missing) == [("learned_on", "2026-03-31", "unknown")]
    assert "nøgleaflevering" in missing[0].message
    record(session, case, CaseUpdate(learned_on=mc.LEARNED), actor="t", as_of=mc.LEARNED)
    stored = {d.kind: d.due_on for d in stored_deadlines(session, case)}
    assert stored == {
        DeadlineKind.INSPECTION: date(2026, 4, 17),
        DeadlineKind.SUMMONS: date(2026, 4, 10),  # a week before the latest inspection day
    }
    # Default window: 5 days. On Friday 3 April nothing is due within it.
    assert upcoming_moveout_deadlines(session, org, mc.LEARNED) == []
    sunday = upcoming_moveout_deadlines(session, org, date(2026, 4, 5))
    assert _kinds(sunday) == [("summons", "2026-04-10", "open")]
    assert sunday[0].days_left == 5
    assert "Indkaldelse til fraflytningssyn" in sunday[0].message
    # Summons sent Monday 6 April by Digital Post for Tuesday 14 April: due 7 April, met.
    record(
        session, case,
        CaseUpdate(summons_sent_on=mc.SUMMONS_SENT, inspection_planned_on=mc.INSPECTION),
        actor="t", as_of=mc.SUMMONS_SENT,
    )  # fmt: skip
    assert case.summons_channel is LetterChannel.DIGITAL_POST  # the tenancy's channel
    assert _kinds(upcoming_moveout_deadlines(session, org, date(2026, 4, 12))) == [
        ("inspection", "2026-04-17", "open")
    ]
    # Nothing happens: on Saturday 18 April the inspection deadline is missed, not moved.
    missed = missed_moveout_deadlines(session, org, date(2026, 4, 18))
    assert _kinds(missed) == [("inspection", "2026-04-17", "missed")]
    assert "overskredet" in missed[0].message
    record(
        session,
        case,
        CaseUpdate(inspection_held_on=date(2026, 4, 20)),
        actor="t",
        as_of=date(2026, 4, 20),
    )
    stored = {d.kind: (d.due_on, d.done_on) for d in stored_deadlines(session, case)}
    assert stored[DeadlineKind.INSPECTION] == (date(2026, 4, 17), date(2026, 4, 20))
    assert _kinds(missed_moveout_deadlines(session, org, date(2026, 4, 21))) == [
        ("inspection", "2026-04-17", "missed")
    ]


def test_all_94_stk_2_missed_repair_notice_is_shown_as_missed(session: Session) -> None:
    t = mc.tenancy(session)
    mc.inspected(session, t)
    org = t.organisation_id
    update_settings(session, org, "t", warn_days=2)
    upcoming = upcoming_moveout_deadlines(session, org, date(2026, 4, 26))
    assert _kinds(upcoming) == [("repair_notice", "2026-04-28", "open")]
    missed = missed_moveout_deadlines(session, org, date(2026, 4, 29))
    assert _kinds(missed) == [("repair_notice", "2026-04-28", "missed")]
    assert "bortfalder" in missed[0].message
    organisation = session.get(Organisation, org)
    assert organisation is not None
    summary = moveout_nightly_step(session, organisation, date(2026, 4, 29))
    assert [w["kind"] for w in summary["missed_deadlines"]] == ["repair_notice"]
    assert summary["missed_deadlines"][0]["due_on"] == "2026-04-28"


def test_a_notice_by_post_counts_from_its_assumed_arrival(session: Session) -> None:
    t = mc.tenancy(session)
    t.delivery_channel = DeliveryChannel.LETTER
    session.add(t)
    case = mc.inspected(session, t)
    # Sent Friday 24 April by post: 5 bank days later is Friday 1 May, after the 28 April deadline.
    record(
        session, case, CaseUpdate(repair_notice_sent_on=date(2026, 4, 24)), actor="t",
        as_of=date(2026, 4, 24),
    )  # fmt: skip
    assert case.repair_notice_channel is LetterChannel.LETTER
    assert case.repair_notice_arrived_on == date(2026, 5, 1)
    missed = missed_moveout_deadlines(session, t.organisation_id, date(2026, 5, 1))
    assert _kinds(missed) == [("repair_notice", "2026-04-28", "missed")]


def test_recorded_dates_are_write_once_and_corrections_are_logged(session: Session) -> None:
    t = mc.tenancy(session)
    case = mc.registered(session, t)
    record(session, case, CaseUpdate(learned_on=mc.LEARNED), actor="anna", as_of=mc.LEARNED)
    record(session, case, CaseUpdate(learned_on=mc.LEARNED), actor="anna", as_of=mc.LEARNED)
    with pytest.raises(MoveoutError, match="already recorded as 2026-04-03"):
        record(session, case, CaseUpdate(learned_on=date(2026, 4, 2)), actor="bo", as_of=mc.LEARNED)
    record(
        session, case, CaseUpdate(learned_on=date(2026, 4, 2)), actor="bo", as_of=mc.LEARNED,
        correct=True,
    )  # fmt: skip
    details = [(e.actor, e.action, e.detail) for e in events_of(session, case)]
    assert ("anna", "recorded", "learned_on: - -> 2026-04-03") in details
    assert ("bo", "corrected", "learned_on: 2026-04-03 -> 2026-04-02") in details
    assert ("bo", "deadline moved", "inspection: 2026-04-17 -> 2026-04-16") in details


def test_a_missed_deadline_is_not_moved_by_a_later_invoice(session: Session) -> None:
    t = mc.tenancy(session)
    case = mc.inspected(session, t)  # no invoices: final statement due 14 May
    final = {d.kind: d for d in stored_deadlines(session, case)}[DeadlineKind.FINAL_STATEMENT]
    assert final.due_on == date(2026, 5, 14)
    mc.invoice(session, case, 1, "F-1", 100_000)  # received 4 May: due would be 4 June
    final = {d.kind: d for d in stored_deadlines(session, case)}[DeadlineKind.FINAL_STATEMENT]
    assert final.due_on == date(2026, 6, 4)
    add_invoice(
        session, case, item_position=2, contractor="Tømrer", reference="T-9", amount_oere=1,
        received_on=date(2026, 6, 10), actor="t", as_of=date(2026, 6, 10),
    )  # fmt: skip
    final = {d.kind: d for d in stored_deadlines(session, case)}[DeadlineKind.FINAL_STATEMENT]
    assert final.due_on == date(2026, 6, 4)  # missed on 5 June: stays missed
    assert any(e.action == "deadline kept" for e in events_of(session, case))


def test_what_the_law_does_not_allow_is_refused(session: Session) -> None:
    t = mc.tenancy(session)
    case = register_moveout(
        session, t, end_date=mc.END, cause=MoveoutCause.OTHER, actor="t", as_of=mc.END
    )
    with pytest.raises(MoveoutError, match=r"ALL § 94, stk\. 1, 4\. pkt\."):
        record(session, case, CaseUpdate(shorter_notice_agreed=True), actor="t", as_of=mc.END)
    with pytest.raises(MoveoutError, match="learned of the move-out first"):
        record(
            session,
            case,
            CaseUpdate(inspection_held_on=mc.INSPECTION),
            actor="t",
            as_of=mc.INSPECTION,
        )
    with pytest.raises(MoveoutError, match="in the future"):
        record(session, case, CaseUpdate(learned_on=date(2026, 4, 3)), actor="t", as_of=mc.END)
    with pytest.raises(MoveoutError, match="already has move-out case"):
        mc.registered(session, t)


def test_items_are_fixed_once_the_repair_notice_is_sent(session: Session) -> None:
    t = mc.tenancy(session)
    case = mc.noticed_and_invoiced(session, t)
    with pytest.raises(MoveoutError, match=r"ALL § 94, stk\. 2"):
        add_item(
            session,
            case,
            text="Ny skade",
            category=RepairCategory.DAMAGE,
            estimate_oere=1,
            actor="t",
        )


def test_all_94_stk_1_5_pkt_no_inspection_when_repairs_are_claimed(session: Session) -> None:
    t = mc.tenancy(session)
    case = mc.registered(session, t)
    record(
        session, case, CaseUpdate(learned_on=mc.LEARNED, inspection_waived=True), actor="t",
        as_of=mc.LEARNED,
    )  # fmt: skip
    with pytest.raises(MoveoutError, match=r"5\. pkt\."):
        add_item(
            session, case, text="Maling", category=RepairCategory.NORMAL, estimate_oere=1,
            actor="t",
        )  # fmt: skip
    with pytest.raises(MoveoutError, match="both held and waived"):
        record(
            session,
            case,
            CaseUpdate(inspection_held_on=mc.INSPECTION),
            actor="t",
            as_of=mc.INSPECTION,
        )


def test_late_inspection_needs_an_explicit_decision_before_repairs_are_charged(
    session: Session,
) -> None:
    t = mc.tenancy(session)
    mc.rent_jan_to_mar(session, t, paid_months=3)
    case = mc.registered(session, t)
    record(session, case, CaseUpdate(learned_on=mc.LEARNED), actor="t", as_of=mc.LEARNED)
    record(
        session, case,
        CaseUpdate(summons_sent_on=date(2026, 4, 10), inspection_planned_on=date(2026, 4, 20)),
        actor="t", as_of=date(2026, 4, 10),
    )  # fmt: skip
    record(
        session,
        case,
        CaseUpdate(inspection_held_on=date(2026, 4, 20)),
        actor="t",
        as_of=date(2026, 4, 20),
    )
    add_item(
        session,
        case,
        text="Hul i dør",
        category=RepairCategory.DAMAGE,
        estimate_oere=300_000,
        actor="t",
    )
    record(
        session,
        case,
        CaseUpdate(repair_notice_sent_on=date(2026, 4, 21)),
        actor="t",
        as_of=date(2026, 4, 21),
    )
    with pytest.raises(MoveoutError, match="after the deadline 2026-04-17"):
        settle_case(session, case, as_of=mc.SETTLE_ON, actor="t")
    row = settle_case(session, case, as_of=mc.SETTLE_ON, actor="t", accept_late_inspection=True)
    assert row.late_inspection_accepted
    assert row.claims_total_oere == 300_000
    assert any("Accepted despite" in note for note in row.result["notes"])


def test_a_posted_case_still_warns_until_its_final_statement_is_sent(session: Session) -> None:
    from workflows.moveout.closing import post_settlement

    t = mc.tenancy(session)
    mc.rent_jan_to_mar(session, t, paid_months=3)
    case = mc.noticed_and_invoiced(session, t)
    settle_case(session, case, as_of=mc.SETTLE_ON, actor="t")
    post_settlement(session, case, actor="t", today=mc.SETTLE_ON)
    org = t.organisation_id
    assert _kinds(upcoming_moveout_deadlines(session, org, date(2026, 6, 1))) == [
        ("final_statement", "2026-06-04", "open")  # a month after the invoices of 4 May
    ]
    assert _kinds(missed_moveout_deadlines(session, org, date(2026, 6, 5))) == [
        ("final_statement", "2026-06-04", "missed")
    ]


def test_the_repair_notice_is_kept_as_sent_by_the_channel_it_went(session: Session) -> None:
    t = mc.tenancy(session)  # a Digital Post tenancy; this notice goes by post
    case = mc.inspected(session, t)
    document, warnings = issue_repair_notice(
        session, case, sent_on=mc.NOTICE_SENT, channel=LetterChannel.LETTER, actor="t",
        as_of=mc.NOTICE_SENT, render=renderers().repair_notice,
    )  # fmt: skip
    assert document.sha256 == hashlib.sha256(document.pdf).hexdigest()
    assert case.repair_notice_arrived_on == date(2026, 4, 27)  # Mon 20 April + 5 bank days
    assert warnings == []  # arrives before the deadline 28 April
    text = pdftext.all_text(document.pdf)
    assert "Brev med posten" in text and "Afsender:" in text  # window envelope layout
    assert "Meddelelse om istandsættelse efter fraflytning" in text
