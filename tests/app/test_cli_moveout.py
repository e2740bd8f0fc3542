"""``almen moveout`` and ``almen vacancy``, run in-process."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from ledger.models import Tenancy
from tests import factories
from tests.cli import Runner
from tests.workflows.moveout import moveout_cases as mc

ISSUE_INPUT: dict[str, Any] = {
    "tenancy_start": "2020-01-01",
    "tenancy_end": "2023-04-30",
    "maintenance_scheme": "A",
    "takeover_months": 100,
    "deposit_oere": 1_500_000,
    "municipally_assigned": False,
    "guarantee_applies": False,
    "open_items": [{"text": "Husleje april 2023", "amount_oere": 500_000, "kind": "rent"}],
    "repairs": [
        {
            "text": "Maling",
            "amount_oere": 2_000_000,
            "category": "normal",
            "estimate_oere": 2_000_000,
        },
        {"text": "Dør", "amount_oere": 300_000, "category": "damage"},
    ],
    "other_claims": [],
    "indskudslaan_oere": 0,
    "attachments": [],
    "inspection_date": "2023-05-03",
    "repair_notice_date": "2023-05-10",
}
OUTPUT_KEYS = {
    "normal_refurbishment_tenant_oere", "landlord_share_pct", "claims_total_oere",
    "deposit_applied_oere", "guarantee_claim_oere", "tenant_owes_oere", "refund_oere",
    "paid_to_indskudslaan_oere", "paid_to_attachments",
}  # fmt: skip


def _file(tmp_path: Path, data: object, name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_calculate_what_if_prints_the_issue_keys(cli_nodb: Runner, tmp_path: Path) -> None:
    result = cli_nodb("moveout", "calculate", _file(tmp_path, ISSUE_INPUT), "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert set(data) >= OUTPUT_KEYS
    assert data["landlord_share_pct"] == 40.0
    assert data["normal_refurbishment_tenant_oere"] == 1_200_000  # 60 % of 2.000.000
    assert data["tenant_owes_oere"] == 500_000  # 2.000.000 claims - 1.500.000 deposit
    human = cli_nodb("moveout", "calculate", _file(tmp_path, ISSUE_INPUT))
    assert "Tenant owes" in human.out and "5.000,00 kr." in human.out


def test_calculate_bad_json_names_the_key_and_exits_1(cli_nodb: Runner, tmp_path: Path) -> None:
    bad = json.loads(json.dumps(ISSUE_INPUT))
    bad["repairs"][1]["amount_oere"] = "3000"
    bad["deposit"] = 1
    result = cli_nodb("moveout", "calculate", _file(tmp_path, bad))
    assert result.code == 1 and result.out == ""
    assert "repairs[1].amount_oere: must be a JSON integer, got a string" in result.err
    assert "deposit: unknown key" in result.err
    broken = tmp_path / "broken.json"
    broken.write_text('{"tenancy_start": ', encoding="utf-8")
    result = cli_nodb("moveout", "calculate", str(broken))
    assert result.code == 1 and "is not JSON" in result.err and "line 1" in result.err
    missing = cli_nodb("moveout", "calculate", str(tmp_path / "nope.json"))
    assert missing.code == 1 and "cannot read" in missing.err


def _tenancy(session: Session) -> Tenancy:
    t = mc.tenancy(session, assigned=True)
    mc.rent_jan_to_mar(session, t)
    return t


def test_a_move_out_from_register_to_posting(cli: Runner, session: Session, tmp_path: Path) -> None:
    _tenancy(session)
    case = ("--organisation", factories.CVR, "--unit", "12-034", "--by", "anna")
    run = lambda *a, today=mc.SETTLE_ON: cli("moveout", *a, today=today)  # noqa: E731
    out = run("register", *case, "--end", "2026-03-31", "--cause", "notice",
              "--new-address", "Nørregade 3, 1. th.", "--new-postcode", "8200",
              "--new-city", "Aarhus N", today=date(2026, 3, 20))  # fmt: skip
    assert out.code == 0, out.err
    out = run("record", *case, "--learned-on", "2026-04-03", "--learned-how", "keys_returned",
              today=date(2026, 4, 3))  # fmt: skip
    assert out.code == 0, out.err
    upcoming = cli("moveout", "deadlines", "--organisation", factories.CVR, "--as-of",
                   "2026-04-05", "--json").json()  # fmt: skip
    assert [(w["kind"], w["due_on"]) for w in upcoming["upcoming"]] == [("summons", "2026-04-10")]
    out = run("record", *case, "--summons-sent", "2026-04-06", "--inspection-on", "2026-04-14",
              today=date(2026, 4, 6))  # fmt: skip
    assert out.code == 0, out.err
    out = run("record", *case, "--inspection-held", "2026-04-14", today=date(2026, 4, 14))
    assert out.code == 0, out.err
    for text, category, estimate in (("Maling af vægge og lofter", "normal", "2000000"),
                                     ("Ødelagt køkkenlåge", "damage", "300000")):  # fmt: skip
        out = run(
            "item", *case, "--text", text, "--category", category, "--estimate-oere", estimate
        )
        assert out.code == 0, out.err
    notice = tmp_path / "notice.pdf"
    out = run(
        "notice", *case, "--sent", "2026-04-20", "--out", str(notice), today=date(2026, 4, 20)
    )
    assert out.code == 0, out.err
    assert notice.read_bytes().startswith(b"%PDF-")
    for item, ref, amount in ((1, "F-1", "2100000"), (2, "F-2", "300000")):
        out = run("invoice", *case, "--item", str(item), "--contractor", "Maler", "--reference",
                  ref, "--amount-oere", amount, "--received", "2026-05-04")  # fmt: skip
        assert out.code == 0, out.err
    settled = run("settle", *case, "--as-of", "2026-05-10", "--json")
    assert settled.code == 0, settled.err
    assert settled.json()["guarantee_claim_oere"] == 273_000
    statement = tmp_path / "statement.pdf"
    out = run("statement", *case, "--date", "2026-05-11", "--out", str(statement))
    assert out.code == 0, out.err
    claim_pdf = tmp_path / "claim.pdf"
    posted = run("post", *case, "--guarantee-out", str(claim_pdf), "--json")
    assert posted.code == 0, posted.err
    assert posted.json()["posted"] == 4 and posted.json()["tenant_balance_oere"] == 0
    assert posted.json()["guarantee_claim_oere"] == 273_000
    assert claim_pdf.read_bytes().startswith(b"%PDF-")
    again = run("post", *case, "--json")
    assert (again.json()["posted"], again.json()["already_posted"]) == (0, 4)
    shown = cli("moveout", "show", "--organisation", factories.CVR, "--unit", "12-034",
                "--as-of", "2026-05-11", "--json").json()  # fmt: skip
    assert shown["state"] == "posted"
    assert {d["kind"]: d["status"] for d in shown["deadlines"]} == {
        "summons": "met", "inspection": "met", "repair_notice": "met", "final_statement": "met",
    }  # fmt: skip
    balance = cli("balance", "--organisation", factories.CVR, "--unit", "12-034", "--as-of",
                  "2026-05-10", "--json").json()  # fmt: skip
    assert balance["balance_oere"] == 0


def test_moveout_errors_are_one_line_and_exit_1(cli: Runner, session: Session) -> None:
    _tenancy(session)
    case = ("--organisation", factories.CVR, "--unit", "12-034", "--by", "anna")
    assert cli("moveout", "register", *case, "--end", "2026-03-31", "--cause", "notice").code == 0
    early = cli("moveout", "settle", *case, "--as-of", "2026-04-01")
    assert early.code == 1 and early.err.count("\n") == 1
    assert "record the inspection first" in early.err


def test_recording_on_a_unit_without_a_case_is_refused(cli: Runner, session: Session) -> None:
    _tenancy(session)
    case = ("--organisation", factories.CVR, "--unit", "12-034", "--by", "anna")
    missing = cli("moveout", "record", *case, "--learned-on", "2026-04-03")
    assert missing.code == 1 and "no move-out case (register it first)" in missing.err


def test_vacancy_start_charge_end(cli: Runner, session: Session) -> None:
    org = factories.organisation(session)
    factories.tenancy(session, org, "1-101", start=date(2025, 1, 1), end=date(2026, 3, 31))
    unit = ("--organisation", factories.CVR, "--unit", "1-101")
    started = cli("vacancy", "start", *unit, "--from", "2026-04-10", "--by", "bo")
    assert started.code == 0, started.err
    charged = cli("vacancy", "charge", "--as-of", "2026-04-30", "--json").json()
    assert charged == [
        {"cvr": factories.CVR, "as_of": "2026-04-30", "posted": 1, "already_posted": 0}
    ]
    ended = cli("vacancy", "end", *unit, "--last-day", "2026-05-15", "--by", "bo")
    assert ended.code == 0, ended.err
    cli("vacancy", "charge", "--as-of", "2026-05-31")
    listed = cli("vacancy", "list", "--organisation", factories.CVR, "--json").json()
    assert listed[0]["billed_until"] == "2026-05-15" and listed[0]["ends_on"] == "2026-05-15"
    early = cli("vacancy", "end", *unit, "--last-day", "2026-05-01", "--by", "bo")
    assert early.code == 1 and "no open vacancy period" in early.err
