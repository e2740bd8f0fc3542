"""The pure parts: back-off and which answers are final, the settings' validation, the
municipality's answer (RSL § 5 a, stk. 3), and the RSL § 5 a, stk. 2 decision date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows.notifications.message import decision_deadline
from workflows.notifications.models import AttemptOutcome, DeliveryMethod, NotificationKind
from workflows.notifications.policy import RetryPolicy, http_outcome, smtp_outcome
from workflows.notifications.pull import AnswerError, AnswerInput, check_answer
from workflows.notifications.registry import (
    DeliveryChoice,
    MunicipalityError,
    check_email,
    check_webhook_url,
    checked_target,
)

SECRET = "0123456789abcdef0123456789abcdef"


def test_back_off_doubles_from_one_minute_and_stops_at_six_hours() -> None:
    policy = RetryPolicy()
    delays = [policy.delay_after(n).total_seconds() for n in range(1, 12)]
    assert delays[:5] == [60, 120, 240, 480, 960]
    assert delays[-1] == 6 * 3600 and max(delays) == 6 * 3600


@given(st.integers(min_value=1, max_value=10_000))
def test_back_off_never_shrinks_and_never_exceeds_the_cap(attempts: int) -> None:
    policy = RetryPolicy()
    assert policy.delay_after(attempts) <= policy.delay_after(attempts + 1)
    assert policy.delay_after(attempts) <= timedelta(seconds=policy.max_delay_seconds)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, AttemptOutcome.DELIVERED), (202, AttemptOutcome.DELIVERED),
        (204, AttemptOutcome.DELIVERED), (408, AttemptOutcome.RETRY),
        (429, AttemptOutcome.RETRY), (500, AttemptOutcome.RETRY), (503, AttemptOutcome.RETRY),
        (400, AttemptOutcome.REJECTED), (401, AttemptOutcome.REJECTED),
        (404, AttemptOutcome.REJECTED), (410, AttemptOutcome.REJECTED),
        (301, AttemptOutcome.REJECTED), (307, AttemptOutcome.REJECTED),
    ],
)  # fmt: skip
def test_webhook_answers_2xx_delivered_4xx_final_except_408_429(
    status: int, outcome: AttemptOutcome
) -> None:
    assert http_outcome(status) is outcome


def test_smtp_replies_4xx_temporary_5xx_final() -> None:
    assert smtp_outcome(250) is AttemptOutcome.DELIVERED
    assert smtp_outcome(451) is AttemptOutcome.RETRY
    assert smtp_outcome(421) is AttemptOutcome.RETRY
    assert smtp_outcome(550) is AttemptOutcome.REJECTED
    assert smtp_outcome(554) is AttemptOutcome.REJECTED


def test_rsl_5a_stk_2_decision_no_later_than_14_days_after_the_notification() -> None:
    assert decision_deadline(date(2026, 4, 28)) == date(2026, 5, 12)
    assert decision_deadline(date(2026, 12, 22)) == date(2027, 1, 5)


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (DeliveryChoice(), "give exactly one delivery"),
        (DeliveryChoice(emails=["a@kommune.dk"], pull_only=True), "exactly one"),
        (DeliveryChoice(emails=["not-an-address"]), "not an e-mail address: 'not-an-address'"),
        (DeliveryChoice(emails=["a@kommune"]), "not an e-mail address"),
        (DeliveryChoice(emails=["Name <a@kommune.dk>"]), "not an e-mail address"),
        (DeliveryChoice(emails=["a@kommune.dk\r\nBcc: x@y.dk"]), "not an e-mail address"),
        (DeliveryChoice(emails=[f"a{n}@kommune.dk" for n in range(6)]), "at most 5"),
        (DeliveryChoice(webhook_url="http://kommune.dk/hook", secret=SECRET), "must use https"),
        (DeliveryChoice(webhook_url="ftp://kommune.dk/hook", secret=SECRET), "https URL"),
        (DeliveryChoice(webhook_url="https:///hook", secret=SECRET), "with a host"),
        (DeliveryChoice(webhook_url="kommune.dk/hook", secret=SECRET), "https URL"),
        (DeliveryChoice(webhook_url="https://u:p@kommune.dk/", secret=SECRET), "user name"),
        (DeliveryChoice(webhook_url="https://kommune.dk/#x", secret=SECRET), "fragment"),
        (DeliveryChoice(webhook_url="https://kommune.dk:99999/", secret=SECRET), "not a URL"),
        (DeliveryChoice(webhook_url="https://kommune.dk/hook"), "needs its shared secret"),
        (DeliveryChoice(webhook_url="https://kommune.dk/hook", secret="short"), "32-200"),
        (DeliveryChoice(webhook_url="https://kommune.dk/", secret=SECRET[:-1] + " "), "ASCII"),
        (DeliveryChoice(emails=["a@kommune.dk"], secret=SECRET), "--secret belongs"),
    ],
)
def test_malformed_settings_get_clear_errors(choice: DeliveryChoice, message: str) -> None:
    with pytest.raises(MunicipalityError, match=message.replace("(", r"\(")):
        checked_target(751, choice)


@pytest.mark.parametrize("code", [0, 100, 102, 999, 1000])
def test_unknown_municipality_codes_are_refused_with_the_range(code: int) -> None:
    with pytest.raises(MunicipalityError, match=rf"unknown kommunekode {code}: .* 101 "):
        checked_target(code, DeliveryChoice(pull_only=True))


def test_good_settings() -> None:
    assert check_email(" Borgerservice@Aarhus.DK ") == "Borgerservice@aarhus.dk"
    assert check_webhook_url("https://api.kommune.dk:8443/almen?x=1")
    assert check_webhook_url("http://127.0.0.1:8080/hook")  # this machine only (tests)
    assert check_webhook_url("http://localhost/hook")
    target = checked_target(
        751, DeliveryChoice(emails=["a@aarhus.dk", "A@AARHUS.DK", "b@aarhus.dk"])
    )
    assert (target.method, target.emails) == (DeliveryMethod.EMAIL, ("a@aarhus.dk", "b@aarhus.dk"))


def test_rsl_5a_stk_3_decision_only_with_the_tenants_consent() -> None:
    kind, on, today = NotificationKind.EVICTION_REQUEST, date(2026, 4, 28), date(2026, 5, 5)
    with pytest.raises(AnswerError, match=r"tenant's prior consent \(RSL § 5 a, stk. 3\)"):
        check_answer(kind, on, AnswerInput(decision="Hjælp bevilget"), today)
    checked = check_answer(
        kind, on, AnswerInput(decision="  Hjælp bevilget ", tenant_consent=True), today
    )
    assert checked.decision == "Hjælp bevilget"


def test_abl_59_stk_12_meeting_between_the_notification_and_today() -> None:
    kind, on, today = NotificationKind.PAKRAV_FIRST_YEAR, date(2026, 4, 9), date(2026, 4, 20)
    assert check_answer(kind, on, AnswerInput(meeting_held_on=date(2026, 4, 15)), today)
    for held in (date(2026, 4, 8), date(2026, 4, 21)):
        with pytest.raises(AnswerError, match="meeting_held_on"):
            check_answer(kind, on, AnswerInput(meeting_held_on=held), today)


def test_answers_carry_no_cpr_and_something_to_say() -> None:
    kind, on, today = NotificationKind.PAKRAV_FIRST_YEAR, date(2026, 4, 9), date(2026, 4, 20)
    with pytest.raises(AnswerError, match="CPR"):
        check_answer(kind, on, AnswerInput(note="Borger 010190-1234 mødte op"), today)
    with pytest.raises(AnswerError, match="needs meeting_held_on, decision or note"):
        check_answer(kind, on, AnswerInput(note="   "), today)
    with pytest.raises(AnswerError, match="guarantee claim"):
        check_answer(NotificationKind.GUARANTEE_CLAIM, on, AnswerInput(note="ok"), today)
