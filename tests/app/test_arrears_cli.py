"""``almen nightly``, ``cases``, ``notifications``, ``settings arrears``, ``plans``, ``letters``."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from app.cli.demo import DEMO_PASSWORD
from tests import factories
from tests.cli import Runner
from workflows.arrears.letters import pdf_checksum

D = date
CVR = factories.CVR
SUMMARY_KEYS = {
    "cvr", "charges_posted", "pakrav_issued", "notifications_created", "cases_closed",
    "awaiting_approval",
}  # fmt: skip
CASE_KEYS = {
    "id", "unit_number", "state", "due_date", "pakrav_date", "arrival_date", "deadline",
    "fee_oere", "amount_oere",
}  # fmt: skip
NOTIFICATION_KEYS = {"id", "municipality_code", "kind", "unit_number", "created_on", "status"}


def setup(session: Session) -> None:
    org = factories.organisation(session, ledger_start=D(2026, 4, 1))
    factories.tenancy(session, org, start=D(2026, 1, 1), assigned=True)


def run_nights(cli: Runner, first: date, last: date) -> list[dict[str, object]]:
    out = []
    day = first
    while day <= last:
        result = cli("nightly", "--as-of", day.isoformat(), "--json", today=last)
        assert result.code == 0, result.err
        out.extend(result.json())
        day += timedelta(days=1)
    return out


def test_nightly_json_summary_per_organisation(cli: Runner, session: Session) -> None:
    setup(session)
    summaries = run_nights(cli, D(2026, 4, 1), D(2026, 4, 9))
    assert all(set(s) >= SUMMARY_KEYS for s in summaries)
    last = summaries[-1]
    assert (last["cvr"], last["as_of"], last["pakrav_issued"], last["notifications_created"]) == (
        CVR, "2026-04-09", 1, 1,
    )  # fmt: skip
    human = cli("nightly", "--as-of", "2026-04-10", today=D(2026, 4, 10))
    assert human.code == 0 and f"{CVR} 2026-04-10: 0 charges posted" in human.out


def test_nightly_refuses_a_future_day_and_a_backdated_one(cli: Runner, session: Session) -> None:
    setup(session)
    future = cli("nightly", "--as-of", "2026-04-10", today=D(2026, 4, 9))
    assert future.code == 1 and "in the future" in future.err
    assert cli("nightly", "--as-of", "2026-04-09", today=D(2026, 4, 9)).code == 0
    back = cli("nightly", "--as-of", "2026-04-08", "--json", today=D(2026, 4, 9))
    assert back.code == 1 and "backdate" in back.json()[0]["status"]


def test_cases_list_show_approve(cli: Runner, session: Session) -> None:
    setup(session)
    run_nights(cli, D(2026, 4, 1), D(2026, 4, 24))
    listed = cli("cases", "list", "--organisation", CVR, "--json").json()
    assert len(listed) == 1 and set(listed[0]) >= CASE_KEYS
    case = listed[0]
    assert (case["unit_number"], case["state"], case["due_date"], case["pakrav_date"]) == (
        "1-101", "awaiting_termination_approval", "2026-04-01", "2026-04-09",
    )  # fmt: skip
    assert (case["deadline"], case["fee_oere"], case["amount_oere"]) == (
        "2026-04-23",
        33_500,
        650_000,
    )
    assert cli("cases", "list", "--state", "closed_paid", "--json").json() == []
    approved = cli("cases", "approve", str(case["id"]), "--action", "terminate", "--by", "Mette",
                   today=D(2026, 4, 24))  # fmt: skip
    assert approved.code == 0 and "termination_sent" in approved.out
    again = cli("cases", "approve", str(case["id"]), "--action", "terminate", "--by", "Mette",
                today=D(2026, 4, 24))  # fmt: skip
    assert again.code == 1 and "is termination_sent" in again.err
    shown = cli("cases", "show", str(case["id"]), "--json").json()
    assert [e["to_state"] for e in shown["events"]] == [
        "opened", "pakrav_sent", "awaiting_termination_approval", "termination_sent",
    ]  # fmt: skip
    assert shown["events"][-1]["actor"] == "cli:Mette"
    assert [letter["kind"] for letter in shown["letters"]] == ["pakrav", "termination"]
    human = cli("cases", "show", str(case["id"]))
    assert "pakrav_sent -> awaiting_termination_approval [nightly]" in human.out


def test_notifications_list(cli: Runner, session: Session) -> None:
    setup(session)
    run_nights(cli, D(2026, 4, 1), D(2026, 4, 9))
    rows = cli("notifications", "list", "--json").json()
    assert len(rows) == 1 and set(rows[0]) >= NOTIFICATION_KEYS
    assert (rows[0]["kind"], rows[0]["municipality_code"], rows[0]["unit_number"]) == (
        "pakrav_first_year", 751, "1-101",
    )  # fmt: skip
    # The night tried to send it at once: municipality 751 has no delivery setting yet.
    assert (rows[0]["created_on"], rows[0]["status"]) == ("2026-04-09", "failed")
    assert (rows[0]["channel"], rows[0]["attempts"]) == ("none (not set up)", 1)
    payload = cli("notifications", "show", str(rows[0]["id"])).json()
    assert payload["meeting_before"] == "2026-04-23"
    history = cli("notifications", "history", str(rows[0]["id"]), "--json").json()
    assert [a["outcome"] for a in history["attempt_history"]] == ["retry"]
    assert "almen municipality set --code 751" in history["attempt_history"][0]["receipt"]


def test_settings_arrears_show_and_change(cli: Runner, session: Session) -> None:
    setup(session)
    shown = cli("settings", "arrears", "--organisation", CVR, "--json").json()
    assert (shown["min_arrears_oere"], shown["configured"]) == (50_000, False)
    changed = cli("settings", "arrears", "--organisation", CVR, "--min-arrears", "250",
                  "--hold-pakrav", "ja", "--arrival-bank-days", "6", "--bailiff-court",
                  "Fogedretten i Aarhus", "--json").json()  # fmt: skip
    assert (changed["min_arrears_oere"], changed["hold_pakrav_for_approval"]) == (25_000, True)
    assert (changed["letter_arrival_bank_days"], changed["configured"]) == (6, True)
    bad = cli("settings", "arrears", "--organisation", CVR, "--nightly-time", "25:00")
    assert bad.code == 1 and "nightly_time must be HH:MM" in bad.err
    assert cli("settings", "arrears", "--organisation", CVR, "--hold-pakrav", "maybe").code == 2


def test_plans_create_and_show(cli: Runner, session: Session) -> None:
    setup(session)
    run_nights(cli, D(2026, 4, 1), D(2026, 4, 12))
    created = cli("plans", "create", "--organisation", CVR, "--unit", "1-101",
                  "--instalment", "2026-04-20=3.417,50", "--instalment", "2026-05-05=3.417,50",
                  "--by", "Mette", "--json", today=D(2026, 4, 12))  # fmt: skip
    assert created.code == 0, created.err
    plan = created.json()
    assert (plan["status"], plan["total_oere"], len(plan["instalments"])) == ("active", 683_500, 2)
    assert [c["state"] for c in plan["cases"]] == ["payment_plan"]
    wrong = cli("plans", "create", "--organisation", CVR, "--unit", "1-101",
                "--instalment", "2026-05-01=100", "--by", "x", today=D(2026, 4, 12))  # fmt: skip
    assert wrong.code == 1


def test_letters_export_with_checksum(cli: Runner, session: Session, tmp_path: Path) -> None:
    org = factories.organisation(session, ledger_start=D(2026, 4, 1))
    from ledger.types import DeliveryChannel

    factories.tenancy(session, org, start=D(2025, 1, 1), channel=DeliveryChannel.LETTER)
    run_nights(cli, D(2026, 4, 1), D(2026, 4, 9))
    case_id = str(cli("cases", "list", "--json").json()[0]["id"])
    letter_id = cli("cases", "show", case_id, "--json").json()["letters"][0]["id"]
    out = tmp_path / "paakrav.pdf"
    assert cli("letters", "export", str(letter_id), "--out", str(out)).code == 0
    shown = cli("cases", "show", case_id, "--json").json()["letters"][0]
    assert pdf_checksum(out.read_bytes()) == shown["sha256"]
    batch = tmp_path / "print.pdf"
    printed = cli("letters", "print-file", "--organisation", CVR, "--date", "2026-04-09",
                  "--out", str(batch))  # fmt: skip
    assert printed.code == 0 and batch.read_bytes().startswith(b"%PDF-")
    missing = cli("letters", "print-file", "--organisation", CVR, "--date", "2026-04-10",
                  "--out", str(batch))  # fmt: skip
    assert missing.code == 1 and "no print file" in missing.err


@pytest.mark.slow
def test_demo_runs_nights_and_tells_what_happened_in_danish(cli: Runner, tmp_path: Path) -> None:
    result = cli("demo", "--as-of", "2026-11-07", "--nights", "6", "--files", str(tmp_path),
                 today=D(2026, 11, 7))  # fmt: skip
    assert result.code == 0, result.err
    line = next(line for line in result.out.splitlines() if line.startswith("2026-11-06 (fredag)"))
    assert "påkrav sendt" in line and "underretninger til kommunen" in line
    assert "6 nætter kørt til 2026-11-07" in result.out
    listed = cli("cases", "list", "--state", "pakrav_sent", "--json").json()
    assert listed and {case["pakrav_date"] for case in listed} == {"2026-11-06"}
    assert f"som bogholder, revisor, admin med adgangskoden {DEMO_PASSWORD}" in result.out
    users = cli("users", "list").out
    assert "bogholder" in users and "approver" in users and "auditor" in users
