"""The move-out deadlines (ALL § 94) as pure rules, with real 2026 dates."""

from __future__ import annotations

from datetime import date

from workflows.moveout.deadlines import (
    CaseDates,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    LetterChannel,
    MoveoutCause,
    arrival,
    case_deadlines,
    final_statement_deadline,
    inspection_deadline,
    inspection_late,
    repair_notice_deadline,
    shorter_notice_allowed,
    summons_deadline,
)

END = date(2026, 3, 31)
FRIDAY = date(2026, 4, 3)


def _by_kind(dates: CaseDates) -> dict[DeadlineKind, Deadline]:
    return {d.kind: d for d in case_deadlines(dates)}


def test_all_94_stk_1_inspection_two_weeks_after_the_keys_came_back() -> None:
    assert inspection_deadline(FRIDAY) == date(2026, 4, 17)  # Friday to Friday
    # Never moved off a holiday: keys back Thursday 26 March 2026 -> Thursday 9 April, and
    # keys back Monday 23 March -> Monday 6 April (2. påskedag) stays 6 April.
    assert inspection_deadline(date(2026, 3, 23)) == date(2026, 4, 6)


def test_all_94_stk_1_summons_reaches_the_tenant_a_week_before_the_inspection() -> None:
    assert summons_deadline(date(2026, 4, 17), shorter_notice=False) == date(2026, 4, 10)
    assert summons_deadline(date(2026, 4, 14), shorter_notice=False) == date(2026, 4, 7)
    assert summons_deadline(date(2026, 4, 14), shorter_notice=True) == date(2026, 4, 14)


def test_all_94_stk_1_4_pkt_shorter_notice_only_after_notice_or_termination() -> None:
    assert shorter_notice_allowed(MoveoutCause.NOTICE)
    assert shorter_notice_allowed(MoveoutCause.TERMINATION)
    assert shorter_notice_allowed(MoveoutCause.EVICTION)
    assert not shorter_notice_allowed(MoveoutCause.OTHER)
    dates = CaseDates(
        END, MoveoutCause.OTHER, learned_on=FRIDAY, inspection_planned_on=date(2026, 4, 14),
        shorter_notice_agreed=True,
    )  # fmt: skip
    assert _by_kind(dates)[DeadlineKind.SUMMONS].due_on == date(2026, 4, 7)


def test_all_94_stk_2_notice_two_weeks_after_the_inspection() -> None:
    assert repair_notice_deadline(date(2026, 4, 14)) == date(2026, 4, 28)


def test_letter_by_post_arrives_bank_days_later_digital_post_the_same_day() -> None:
    assert arrival(date(2026, 4, 6), LetterChannel.DIGITAL_POST, 5) == date(2026, 4, 6)
    assert arrival(date(2026, 4, 6), LetterChannel.HAND, 5) == date(2026, 4, 6)
    # Monday 6 April 2026 is 2. påskedag: 5 bank days later is Monday 13 April.
    assert arrival(date(2026, 4, 6), LetterChannel.LETTER, 5) == date(2026, 4, 13)


def test_final_statement_a_month_after_the_last_invoice() -> None:
    assert final_statement_deadline(date(2026, 5, 4)) == date(2026, 6, 4)
    assert final_statement_deadline(date(2026, 1, 31)) == date(2026, 3, 1)
    dates = CaseDates(
        END, MoveoutCause.NOTICE, learned_on=FRIDAY, inspection_held_on=date(2026, 4, 14),
        last_invoice_on=date(2026, 5, 4),
    )  # fmt: skip
    assert _by_kind(dates)[DeadlineKind.FINAL_STATEMENT].due_on == date(2026, 6, 4)
    no_invoices = CaseDates(
        END, MoveoutCause.NOTICE, learned_on=FRIDAY, inspection_held_on=date(2026, 4, 14)
    )
    assert _by_kind(no_invoices)[DeadlineKind.FINAL_STATEMENT].due_on == date(2026, 5, 14)


def test_nothing_runs_before_the_organisation_learned_of_the_move_out() -> None:
    assert case_deadlines(CaseDates(END, MoveoutCause.NOTICE)) == ()


def test_all_94_stk_1_5_pkt_waived_inspection_has_no_summons_or_inspection_deadline() -> None:
    dates = CaseDates(END, MoveoutCause.NOTICE, learned_on=FRIDAY, inspection_waived=True)
    kinds = _by_kind(dates)
    assert kinds[DeadlineKind.INSPECTION].status(FRIDAY) is DeadlineStatus.NOT_APPLICABLE
    assert kinds[DeadlineKind.SUMMONS].status(FRIDAY) is DeadlineStatus.NOT_APPLICABLE
    assert kinds[DeadlineKind.FINAL_STATEMENT].due_on == date(2026, 5, 3)  # from learning


def test_status_met_missed_open_and_a_missed_deadline_stays_missed() -> None:
    due = date(2026, 4, 17)
    assert Deadline(DeadlineKind.INSPECTION, due, None, "x").status(due) is DeadlineStatus.OPEN
    late = Deadline(DeadlineKind.INSPECTION, due, None, "x")
    assert late.status(date(2026, 4, 18)) is DeadlineStatus.MISSED
    assert late.days_left(date(2026, 4, 18)) == -1
    met = Deadline(DeadlineKind.INSPECTION, due, due, "x")
    assert met.status(date(2026, 12, 1)) is DeadlineStatus.MET
    done_late = Deadline(DeadlineKind.INSPECTION, due, date(2026, 4, 20), "x")
    assert done_late.status(date(2026, 4, 20)) is DeadlineStatus.MISSED


def test_all_94_stk_1_late_inspection_and_short_summons_are_named() -> None:
    ok = CaseDates(
        END, MoveoutCause.NOTICE, learned_on=FRIDAY, summons_arrived_on=date(2026, 4, 6),
        inspection_held_on=date(2026, 4, 14),
    )  # fmt: skip
    assert inspection_late(ok) is None
    late = CaseDates(
        END, MoveoutCause.NOTICE, learned_on=FRIDAY, summons_arrived_on=date(2026, 4, 6),
        inspection_held_on=date(2026, 4, 20),
    )  # fmt: skip
    assert "after the deadline 2026-04-17" in (inspection_late(late) or "")
    short = CaseDates(
        END, MoveoutCause.NOTICE, learned_on=FRIDAY, summons_arrived_on=date(2026, 4, 9),
        inspection_held_on=date(2026, 4, 14),
    )  # fmt: skip
    assert "less than a week" in (inspection_late(short) or "")
    agreed = CaseDates(
        END, MoveoutCause.NOTICE, learned_on=FRIDAY, summons_arrived_on=date(2026, 4, 9),
        inspection_held_on=date(2026, 4, 14), shorter_notice_agreed=True,
    )  # fmt: skip
    assert inspection_late(agreed) is None
