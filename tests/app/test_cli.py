"""The ``almen`` commands of the foundation, run in-process."""

from __future__ import annotations

from pathlib import Path

from tests.cli import Runner

DEADLINE_KEYS = [
    "due", "last_timely_payment_day", "earliest_pakrav", "arrival", "deadline",
    "earliest_termination",
]  # fmt: skip


def test_deadlines_json_vestre_landsret_example(cli_nodb: Runner) -> None:
    result = cli_nodb("deadlines", "--due", "2021-10-01", "--json")
    assert result.code == 0
    data = result.json()
    assert list(data) == DEADLINE_KEYS
    assert data["earliest_pakrav"] == "2021-10-06"
    assert data["arrival"] == "2021-10-06"


def test_deadlines_json_easter_2026(cli_nodb: Runner) -> None:
    data = cli_nodb("deadlines", "--due", "2026-04-01", "--json").json()
    assert data["earliest_pakrav"] == "2026-04-09"
    assert data["deadline"] == "2026-04-23"
    assert data["earliest_termination"] == "2026-04-24"


def test_deadlines_with_a_letter_arriving_later(cli_nodb: Runner) -> None:
    data = cli_nodb("deadlines", "--due", "2026-04-01", "--arrival", "2026-04-14", "--json").json()
    assert (data["arrival"], data["deadline"]) == ("2026-04-14", "2026-04-28")


def test_deadlines_human_output_names_the_weekday(cli_nodb: Runner) -> None:
    out = cli_nodb("deadlines", "--due", "2026-04-01").out
    assert "Tidligste påkrav" in out and "2026-04-09 (torsdag)" in out


def test_deadlines_bad_input_is_a_clear_error(cli_nodb: Runner) -> None:
    bad = cli_nodb("deadlines", "--due", "2026-02-30")
    assert bad.code == 2
    assert "expected a date as YYYY-MM-DD, got '2026-02-30'" in bad.err
    early = cli_nodb("deadlines", "--due", "2026-04-01", "--arrival", "2026-04-02")
    assert early.code == 1 and "before the earliest påkrav day" in early.err


def test_fee_2023_prints_314(cli: Runner) -> None:
    result = cli("fee", "--year", "2023")
    assert (result.code, result.out.strip()) == (0, "314")


def test_fee_json_and_unconfirmed_warning(cli: Runner) -> None:
    result = cli("fee", "--year", "2026", "--json")
    assert result.json() == {
        "year": 2026, "amount_kr": 335,
        "source": "VEJ nr. 9886 af 04/09/2025, pkt. 1.10 (vejledning om regulering af satser)",
        "confirmed": False,
    }  # fmt: skip
    assert "not confirmed" in result.err


def test_fee_past_the_table_says_so_and_before_2010_fails(cli: Runner) -> None:
    later = cli("fee", "--year", "2035")
    assert later.out.strip() == "344" and "no påkrav fee configured for 2035" in later.err
    early = cli("fee", "--year", "2009")
    assert early.code == 1 and "2009" in early.err


def test_fee_set_adds_and_confirms(cli: Runner) -> None:
    assert cli("fee", "set", "--year", "2028", "--amount", "352", "--source", "VEJ test").code == 0
    assert cli("fee", "--year", "2028", "--json").json()["confirmed"] is True
    refused = cli("fee", "set", "--year", "2028", "--amount", "0", "--source", "x")
    assert refused.code == 1 and "outside" in refused.err


def test_import_charge_and_balance(cli: Runner, data_dir: Path) -> None:
    imported = cli("import", "tenancies", str(data_dir / "tenancies.csv"),
                   "--ledger-start", "2026-10-01", "--json")  # fmt: skip
    assert imported.code == 0, imported.err
    assert imported.json()["tenancies_created"] == 3
    assert cli("import", "ledger", str(data_dir / "ledger.csv")).code == 0
    charged = cli("charge", "--month", "2026-11", "--json").json()
    assert charged == [{"cvr": "13585628", "month": "2026-11", "posted": 6, "already_posted": 0}]
    again = cli("charge", "--month", "2026-11", "--json").json()
    assert again[0]["posted"] == 0 and again[0]["already_posted"] == 6
    assert cli("import", "payments", str(data_dir / "payments.csv")).code == 0
    balance = cli("balance", "--organisation", "13585628", "--unit", "1-102",
                  "--as-of", "2026-11-21", "--json").json()  # fmt: skip
    # November: rent 598,000 + a conto heat 50,000 = 648,000; paid 300,000 + 150,000, which
    # settle the rent first (same due date, both pligtige: posting order).
    assert balance["balance_oere"] == 198_000
    assert balance["overdue_pligtig_oere"] == 198_000
    assert [(i["charge_type"], i["open_oere"], i["pligtig"]) for i in balance["open_items"]] == [
        ("HUSLEJE", 148_000, True), ("ACONTO_VARME", 50_000, True)]  # fmt: skip


def test_balance_of_unknown_unit_or_organisation_is_a_clear_error(
    cli: Runner, data_dir: Path
) -> None:
    assert cli("balance", "--organisation", "13585628", "--unit", "1-101").code == 1
    cli("import", "tenancies", str(data_dir / "tenancies.csv"))
    unknown = cli("balance", "--organisation", "13585628", "--unit", "9-999")
    assert unknown.code == 1 and "unknown unit '9-999'" in unknown.err
    bad_cvr = cli("balance", "--organisation", "12345678", "--unit", "1-101")
    assert bad_cvr.code == 2 and "invalid CVR number '12345678'" in bad_cvr.err
