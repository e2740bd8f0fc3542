"""The nightly run, night by night with real dates, on SQLite and PostgreSQL (issue #3)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import Session, select

from ledger.accounts import reallocate
from ledger.models import Organisation, Posting, Tenancy
from ledger.posting import post_many, reversal_of
from ledger.types import DeliveryChannel, PaymentMethod, UnitKind
from tests import factories
from tests.workflows.arrears.helpers import (
    DEPS,
    D,
    cases_of,
    count,
    history,
    night,
    nights,
    only_case,
)
from workflows.arrears.config import update_settings
from workflows.arrears.models import Letter, PrintBatch
from workflows.arrears.nightly import NightlyError
from workflows.arrears.pakrav import fee_external_ref
from workflows.arrears.states import CaseState
from workflows.notifications.models import Notification, NotificationAttachment

RENT = 650_000
FEE_2026 = 33_500
APRIL_2026 = D(2026, 4, 1)
OLD_START = D(2025, 1, 1)


def setup(
    session: Session,
    *,
    ledger_start: date = APRIL_2026,
    start: date = OLD_START,
    **tenancy_kwargs: object,
) -> tuple[Organisation, Tenancy]:
    org = factories.organisation(session, ledger_start=ledger_start)
    tenancy = factories.tenancy(session, org, start=start, rent_oere=RENT, **tenancy_kwargs)  # type: ignore[arg-type]
    return org, tenancy


def charge_back(session: Session, payment_posting_id: int, on: date) -> None:
    reversal = reversal_of(
        session, payment_posting_id, effective_date=on, booking_date=on, source="test",
        external_ref=f"chargeback-{payment_posting_id}", text="Tilbageført", created_by="test",
    )  # fmt: skip
    result = post_many(session, [reversal])
    posting = session.get(Posting, result.posted[0])
    assert posting is not None
    reallocate(session, posting.organisation_id, result.tenancy_ids)


def test_all_90_stk_2_rent_due_1_april_2026_pakrav_on_9_april_deadline_23_april(
    session: Session,
) -> None:
    org, tenancy = setup(session)
    runs = nights(session, org, D(2026, 4, 1), D(2026, 4, 24))
    assert [day for day, run in runs.items() if run["pakrav_issued"]] == [D(2026, 4, 9)]
    assert runs[D(2026, 4, 1)]["charges_posted"] == 1
    case = only_case(session, tenancy)
    assert (case.due_date, case.opened_on, case.pakrav_date) == (
        D(2026, 4, 1), D(2026, 4, 2), D(2026, 4, 9),
    )  # fmt: skip
    assert (case.arrival_date, case.deadline, case.earliest_termination) == (
        D(2026, 4, 9), D(2026, 4, 23), D(2026, 4, 24),
    )  # fmt: skip
    assert (case.fee_oere, case.fee_year, case.amount_oere) == (FEE_2026, 2026, RENT)
    assert [(line["due_date"], line["amount_oere"]) for line in case.lines] == [
        ("2026-04-01", RENT)
    ]
    assert case.state == CaseState.AWAITING_TERMINATION_APPROVAL
    assert runs[D(2026, 4, 23)]["awaiting_approval"] == 0
    assert runs[D(2026, 4, 24)]["awaiting_approval"] == 1
    assert history(session, case.id or 0) == [
        (None, "opened", "nightly"),
        ("opened", "pakrav_sent", "nightly"),
        ("pakrav_sent", "awaiting_termination_approval", "nightly"),
    ]
    fee = session.exec(select(Posting).where(Posting.source == "pakrav")).one()
    assert fee.external_ref == fee_external_ref(case.id or 0) and fee.booking_date == D(2026, 4, 9)
    letter = session.exec(select(Letter).where(Letter.case_id == case.id)).one()
    assert (letter.kind, letter.channel, letter.dispatch_date) == (
        "pakrav",
        "digital_post",
        D(2026, 4, 9),
    )
    assert letter.pdf.startswith(b"%PDF-") and len(letter.checksum) == 64


def test_all_91_stk_2_paid_on_the_deadline_23_april_closes_the_case(session: Session) -> None:
    org, tenancy = setup(session)
    nights(session, org, D(2026, 4, 1), D(2026, 4, 23))
    factories.pay(session, tenancy, RENT + FEE_2026, D(2026, 4, 23))
    run = night(session, org, D(2026, 4, 24))
    case = only_case(session, tenancy)
    assert case.state == CaseState.CLOSED_PAID and case.closed_on == D(2026, 4, 24)
    assert (run["cases_closed"], run["awaiting_approval"]) == (1, 0)


def test_all_91_stk_2_payment_before_the_pakrav_day_closes_without_pakrav(session: Session) -> None:
    org, tenancy = setup(session)
    nights(session, org, D(2026, 4, 1), D(2026, 4, 7))
    factories.pay(session, tenancy, RENT, D(2026, 4, 7))
    nights(session, org, D(2026, 4, 8), D(2026, 4, 10))
    assert only_case(session, tenancy).state == CaseState.CLOSED_PAID
    assert count(session, "letter") == 0 and count(session, "posting", source="pakrav") == 0


def test_all_91_stk_1_fee_left_unpaid_below_the_minimum_is_not_sent_for_termination(
    session: Session,
) -> None:
    org, tenancy = setup(session)
    nights(session, org, D(2026, 4, 1), D(2026, 4, 20))
    factories.pay(session, tenancy, RENT, D(2026, 4, 20))  # the rent, not the fee
    run = nights(session, org, D(2026, 4, 21), D(2026, 4, 24))[D(2026, 4, 24)]
    assert only_case(session, tenancy).state == CaseState.PAKRAV_SENT
    assert run["notes"] == {"below_threshold_after_deadline": 1}


def test_abl_59_stk_11_assigned_tenant_three_months_in_notified_the_same_day(
    session: Session,
) -> None:
    org, tenancy = setup(session, start=D(2026, 1, 1), assigned=True)
    runs = nights(session, org, D(2026, 4, 1), D(2026, 4, 9))
    assert runs[D(2026, 4, 9)]["notifications_created"] == 1
    notification = session.exec(select(Notification)).one()
    case = only_case(session, tenancy)
    assert (notification.kind, notification.created_on, notification.arrears_case_id) == (
        "pakrav_first_year", D(2026, 4, 9), case.id,
    )  # fmt: skip
    assert (notification.municipality_code, notification.status) == (751, "pending")
    payload = notification.payload
    assert payload["pakrav"]["deadline"] == "2026-04-23" == payload["meeting_before"]
    assert payload["pakrav"]["total_oere"] == RENT + FEE_2026
    assert payload["tenancy"]["tenants"] == ["Jens Hansen"]
    assert payload["municipality"] == {"code": 751, "name": "Aarhus"}
    letter = session.exec(select(Letter).where(Letter.case_id == case.id)).one()
    assert payload["letter"]["id"] == letter.id
    attachment = session.get(NotificationAttachment, notification.id)
    assert attachment is not None and attachment.pdf == letter.pdf
    assert (attachment.filename, attachment.sha256) == (
        f"paakrav-RS-{case.id:06d}.pdf", letter.checksum,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "start"),
    [(UnitKind.AELDRE, D(2026, 1, 1)), (UnitKind.FAMILIE, D(2025, 1, 1))],
    ids=["aeldrebolig", "tenancy-older-than-a-year"],
)
def test_abl_59_stk_11_no_notification_for_aeldrebolig_or_after_the_first_year(
    session: Session, kind: UnitKind, start: date
) -> None:
    org, _tenancy = setup(session, start=start, assigned=True, kind=kind)
    runs = nights(session, org, D(2026, 4, 1), D(2026, 4, 9))
    assert runs[D(2026, 4, 9)]["pakrav_issued"] == 1
    assert count(session, "notification") == 0


def test_abl_59_stk_11_notification_holds_no_cpr(session: Session) -> None:
    org = factories.organisation(session, ledger_start=D(2026, 4, 1))
    tenancy = factories.tenancy(session, org, start=D(2026, 1, 1), assigned=True)
    from ledger.models import Tenant

    tenant = session.exec(select(Tenant)).one()
    tenant.cpr = "0101901234"
    session.add(tenant)
    session.flush()
    nights(session, org, D(2026, 4, 1), D(2026, 4, 9))
    payload = json.dumps(session.exec(select(Notification)).one().payload)
    assert "0101901234" not in payload and "010190" not in payload
    assert only_case(session, tenancy).state == CaseState.PAKRAV_SENT


def test_same_night_twice_changes_nothing(session: Session) -> None:
    org, _tenancy = setup(session, start=D(2026, 1, 1), assigned=True)
    nights(session, org, D(2026, 4, 1), D(2026, 4, 9))
    before = {t: count(session, t) for t in ("letter", "notification", "posting", "case_event")}
    again = night(session, org, D(2026, 4, 9))
    after = {t: count(session, t) for t in ("letter", "notification", "posting", "case_event")}
    assert before == after
    assert (again["pakrav_issued"], again["notifications_created"], again["cases_opened"]) == (
        0,
        0,
        0,
    )
    assert (before["letter"], before["notification"]) == (1, 1)
    assert count(session, "posting", source="pakrav") == 1


def test_catch_up_from_1_to_15_april_dispatches_on_15_april_with_dates_from_15_april(
    session: Session,
) -> None:
    org, tenancy = setup(session)
    night(session, org, D(2026, 4, 1))
    run = night(session, org, D(2026, 4, 15))
    assert run["first_day"] == "2026-04-02" and run["pakrav_issued"] == 1
    case = only_case(session, tenancy)
    assert case.opened_on == D(2026, 4, 2)  # seen on the first missed day, in date order
    assert (case.pakrav_date, case.arrival_date, case.deadline, case.earliest_termination) == (
        D(2026, 4, 15), D(2026, 4, 15), D(2026, 4, 29), D(2026, 4, 30),
    )  # fmt: skip
    assert any("caught up 13 missed day(s)" in w for w in run["warnings"])


def test_a_day_before_the_last_run_is_refused_it_would_backdate(session: Session) -> None:
    org, _ = setup(session)
    night(session, org, D(2026, 4, 10))
    with pytest.raises(NightlyError, match="backdate"):
        night(session, org, D(2026, 4, 9))


def test_all_5_stk_3_letter_tenant_arrival_five_bank_days_and_print_file(session: Session) -> None:
    org, tenancy = setup(session, channel=DeliveryChannel.LETTER)
    runs = nights(session, org, D(2026, 4, 1), D(2026, 5, 1))
    case = only_case(session, tenancy)
    assert (case.channel, case.pakrav_date, case.arrival_date) == (
        "letter",
        D(2026, 4, 9),
        D(2026, 4, 16),
    )
    assert (case.deadline, case.earliest_termination) == (D(2026, 4, 30), D(2026, 5, 1))
    assert runs[D(2026, 4, 30)]["awaiting_approval"] == 0
    assert runs[D(2026, 5, 1)]["awaiting_approval"] == 1
    assert runs[D(2026, 4, 9)]["letters_printed"] == 1
    batch = session.exec(select(PrintBatch)).one()
    letter = session.exec(select(Letter)).one()
    assert (batch.print_date, batch.letter_count, letter.print_batch_id) == (
        D(2026, 4, 9),
        1,
        batch.id,
    )
    assert batch.pdf.startswith(b"%PDF-")


def test_all_5_stk_3_organisation_not_on_digital_post_sends_letters(session: Session) -> None:
    org, tenancy = setup(session)
    update_settings(session, org, {"digital_post_connected": False}, by="test")
    nights(session, org, D(2026, 4, 1), D(2026, 4, 9))
    assert only_case(session, tenancy).channel == "letter"


def test_saturday_5_december_pakrav_deadline_monday_21_december(session: Session) -> None:
    org, tenancy = setup(session, ledger_start=D(2026, 12, 1))
    runs = nights(session, org, D(2026, 12, 1), D(2026, 12, 22))
    assert [d for d, r in runs.items() if r["pakrav_issued"]] == [D(2026, 12, 5)]
    case = cases_of(session, tenancy)[0]
    assert (case.pakrav_date, case.deadline, case.earliest_termination) == (
        D(2026, 12, 5), D(2026, 12, 21), D(2026, 12, 22),
    )  # fmt: skip
    assert case.state == CaseState.AWAITING_TERMINATION_APPROVAL


def test_grundlovsdag_5_june_is_a_hverdag_for_pakrav(session: Session) -> None:
    org, tenancy = setup(session, ledger_start=D(2026, 6, 1))
    runs = nights(session, org, D(2026, 6, 1), D(2026, 6, 5))
    assert [d for d, r in runs.items() if r["pakrav_issued"]] == [D(2026, 6, 5)]
    assert only_case(session, tenancy).deadline == D(2026, 6, 19)


def test_grundlovsdag_deadline_on_5_june_moves_to_monday_8_june(session: Session) -> None:
    org, tenancy = setup(session, ledger_start=D(2026, 5, 1))
    factories.pay(session, tenancy, RENT, D(2026, 5, 1))
    factories.charge(session, tenancy, 120_000, D(2026, 5, 18), code="VARMEREGNSKAB")
    nights(session, org, D(2026, 5, 1), D(2026, 6, 9))
    case = next(c for c in cases_of(session, tenancy) if c.due_date == D(2026, 5, 18))
    assert (case.pakrav_date, case.deadline, case.earliest_termination) == (
        D(2026, 5, 22), D(2026, 6, 8), D(2026, 6, 9),
    )  # fmt: skip
    assert case.state == CaseState.AWAITING_TERMINATION_APPROVAL


def test_new_year_rent_due_1_january_2027_pakrav_8_january_with_the_2027_fee(
    session: Session,
) -> None:
    org, tenancy = setup(session, ledger_start=D(2027, 1, 1))
    runs = nights(session, org, D(2026, 12, 31), D(2027, 1, 8))
    assert [d for d, r in runs.items() if r["pakrav_issued"]] == [D(2027, 1, 8)]
    case = only_case(session, tenancy)
    assert (case.fee_oere, case.fee_year, case.deadline) == (34_400, 2027, D(2027, 1, 22))
    assert any("2027 fee of 344 kr is not confirmed" in w for w in runs[D(2027, 1, 8)]["warnings"])


def test_fee_year_is_the_dispatch_year_after_catching_up_over_new_year(session: Session) -> None:
    org, tenancy = setup(session, ledger_start=D(2026, 12, 1))
    factories.pay(session, tenancy, RENT, D(2026, 12, 1))
    factories.charge(session, tenancy, 90_000, D(2026, 12, 21), code="VARMEREGNSKAB")
    night(session, org, D(2026, 12, 27))  # the earliest påkrav day is Monday 28 December
    night(session, org, D(2027, 1, 4))
    case = next(c for c in cases_of(session, tenancy) if c.due_date == D(2026, 12, 21))
    assert (case.pakrav_date, case.fee_year, case.fee_oere) == (D(2027, 1, 4), 2027, 34_400)


def test_charge_back_reopens_arrears_and_gets_a_pakrav_the_next_night(session: Session) -> None:
    org, tenancy = setup(session)
    paid = factories.pay(session, tenancy, RENT, D(2026, 4, 1), PaymentMethod.BETALINGSSERVICE)
    nights(session, org, D(2026, 4, 1), D(2026, 4, 20))
    assert cases_of(session, tenancy) == []
    charge_back(session, paid, D(2026, 4, 20))
    run = night(session, org, D(2026, 4, 21))
    case = only_case(session, tenancy)
    assert run["pakrav_issued"] == 1
    assert (case.pakrav_date, case.deadline) == (D(2026, 4, 21), D(2026, 5, 5))


def test_charge_back_after_a_paid_case_opens_a_second_case_with_its_own_fee(
    session: Session,
) -> None:
    org, tenancy = setup(session)
    nights(session, org, D(2026, 4, 1), D(2026, 4, 10))
    paid = factories.pay(session, tenancy, RENT + FEE_2026, D(2026, 4, 14))
    nights(session, org, D(2026, 4, 11), D(2026, 4, 15))
    charge_back(session, paid, D(2026, 4, 20))
    night(session, org, D(2026, 4, 21))
    first, second = cases_of(session, tenancy)
    assert (first.sequence, first.state) == (1, CaseState.CLOSED_PAID)
    assert (second.sequence, second.state, second.pakrav_date) == (
        2,
        CaseState.PAKRAV_SENT,
        D(2026, 4, 21),
    )
    assert count(session, "posting", source="pakrav") == 2


def test_all_91_stk_1_below_the_minimum_no_pakrav(session: Session) -> None:
    org, tenancy = setup(session)
    factories.pay(session, tenancy, RENT - 30_000, D(2026, 4, 1))  # 300 kr short
    nights(session, org, D(2026, 4, 1), D(2026, 4, 10))
    assert cases_of(session, tenancy) == [] and count(session, "letter") == 0
    update_settings(session, org, {"min_arrears_oere": 10_000}, by="test")
    night(session, org, D(2026, 4, 11))
    case = only_case(session, tenancy)
    assert (case.state, case.amount_oere, case.pakrav_date) == (
        CaseState.PAKRAV_SENT,
        30_000,
        D(2026, 4, 11),
    )


def test_two_unpaid_months_get_two_pakrav_each_demanding_only_its_own_due_date(
    session: Session,
) -> None:
    org, tenancy = setup(session)
    nights(session, org, D(2026, 4, 1), D(2026, 5, 8))
    april, may = cases_of(session, tenancy)
    # 1 May 2026 is a Friday: hverdage Sat 2, Mon 4, Tue 5 -> påkrav Wednesday 6 May
    assert (april.pakrav_date, may.pakrav_date) == (D(2026, 4, 9), D(2026, 5, 6))
    assert [line["due_date"] for line in may.lines] == ["2026-05-01"]
    assert may.amount_oere == RENT  # neither April's rent nor April's fee
    assert count(session, "posting", source="pakrav") == 2


def test_hold_for_approval_organisation_pakrav_waits_in_a_queue(session: Session) -> None:
    from workflows.arrears.approvals import approve_pakrav

    org, tenancy = setup(session)
    update_settings(session, org, {"hold_pakrav_for_approval": True}, by="test")
    runs = nights(session, org, D(2026, 4, 1), D(2026, 4, 10))
    case = only_case(session, tenancy)
    assert case.state == CaseState.AWAITING_PAKRAV_APPROVAL and case.pakrav_date is None
    assert (
        runs[D(2026, 4, 9)]["awaiting_approval"] == 1
        and runs[D(2026, 4, 10)]["approval_queue"] == 1
    )
    assert count(session, "letter") == 0 and count(session, "posting", source="pakrav") == 0
    approve_pakrav(session, case.id or 0, today=D(2026, 4, 10), actor="cli:Mette")
    night(session, org, D(2026, 4, 11))
    case = only_case(session, tenancy)
    assert (case.state, case.pakrav_date, case.deadline) == (
        CaseState.PAKRAV_SENT,
        D(2026, 4, 11),
        D(2026, 4, 27),
    )
    assert ("awaiting_pakrav_approval", "pakrav_approved", "cli:Mette") in history(
        session, case.id or 0
    )


def test_no_pakrav_once_the_tenancy_has_ended(session: Session) -> None:
    org, tenancy = setup(session, end=D(2026, 4, 5))  # April prorated: 1-5 April
    runs = nights(session, org, D(2026, 4, 1), D(2026, 4, 10))
    case = only_case(session, tenancy)  # opened on 2 April, while the lease still ran
    assert (case.state, case.opened_on, case.pakrav_date) == (CaseState.OPENED, D(2026, 4, 2), None)
    assert runs[D(2026, 4, 9)]["notes"] == {"tenancy_ended": 1}
    assert count(session, "letter") == 0 and count(session, "posting", source="pakrav") == 0
    other = factories.tenancy(session, org, "1-102", start=D(2025, 1, 1), end=D(2026, 3, 31))
    factories.charge(session, other, 90_000, D(2026, 4, 1), code="VARMEREGNSKAB")  # after move-out
    night(session, org, D(2026, 4, 11))
    assert cases_of(session, other) == []


def test_due_dates_before_cases_from_are_the_old_systems(session: Session) -> None:
    org, tenancy = setup(session)
    factories.charge(session, tenancy, RENT, D(2026, 3, 1))  # history before the cut-over
    nights(session, org, D(2026, 4, 1), D(2026, 4, 10))
    assert [case.due_date for case in cases_of(session, tenancy)] == [D(2026, 4, 1)]


def test_one_organisations_run_never_touches_another(session: Session) -> None:
    org, tenancy = setup(session)
    other = factories.organisation(session, cvr=factories.OTHER_CVR, ledger_start=D(2026, 4, 1))
    other_tenancy = factories.tenancy(session, other, start=D(2025, 1, 1))
    nights(session, org, D(2026, 4, 1), D(2026, 4, 9))
    assert len(cases_of(session, tenancy)) == 1
    assert cases_of(session, other_tenancy) == []
    assert count(session, "posting", organisation_id=other.id) == 0
    assert DEPS.actor == "nightly"
