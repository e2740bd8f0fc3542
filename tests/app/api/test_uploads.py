"""Uploads: a good Betalingsservice 0602 file imports once (the same file again changes
nothing); a malformed one is 422 naming line and field, and nothing is written; a file of
another organisation's agreement or a CSV row of another CVR is refused."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from app.api_v1 import ApiSettings
from integrations.betalingsservice import PaymentCode
from integrations.betalingsservice.agreement import save_settings
from tests.app.api.world import World, build_world, uow
from tests.integrations.betalingsservice.bs_ledger import (
    GROUP,
    automatic,
    counts,
    file_0602,
)

APRIL = date(2026, 4, 1)
PBS = "01234567"


def bs_world(engine: Engine) -> World:
    world = build_world(engine, ApiSettings(secure_cookies=False, upload_max_bytes=4096))
    with uow(engine) as session:
        save_settings(session, world.a, pbs_number=PBS, debtor_group=GROUP,
                      data_supplier_cvr=None, updated_by="test")  # fmt: skip
    return world


def table_counts(world: World) -> dict[str, int]:
    with uow(world.engine) as session:
        return counts(session)


def upload(world: World, data: bytes, username: str = "accountant", name: str = "0602.txt"):  # type: ignore[no-untyped-def]
    return world.post("/uploads/bs", username, files={"file": (name, data, "text/plain")})


def test_a_good_0602_imports_once(fresh_engine: Engine) -> None:
    world = bs_world(fresh_engine)
    data = file_0602([automatic(PaymentCode.COMPLETED, "1-101", APRIL)], "0000001", APRIL)
    before = table_counts(world)
    first = upload(world, data)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["kind"], body["already_imported"]) == ("bs-0602", False)
    assert body["counts"]["records"] == 1
    assert body["counts"]["payments"] + body["counts"]["suspense"] == 1
    after = table_counts(world)
    assert after["posting"] == before["posting"] + 1 and after["bs_delivery"] == 1
    second = upload(world, data, name="again.txt")
    assert second.status_code == 200 and second.json()["already_imported"] is True
    assert table_counts(world) == after
    audit = world.get("/audit?object_type=upload", "auditor").json()
    assert [e["action"] for e in audit] == ["upload.bs"]  # the second changed nothing


def test_a_malformed_file_is_422_with_line_and_field_and_nothing_is_written(
    fresh_engine: Engine,
) -> None:
    world = bs_world(fresh_engine)
    good = file_0602([automatic(PaymentCode.COMPLETED, "1-101", APRIL)], "0000002", APRIL)
    lines = good.decode("latin-1").splitlines(keepends=True)
    broken_line = lines[2][:40] + "X" * 9 + lines[2][49:]  # amounts and dates → not digits
    data = "".join([*lines[:2], broken_line, *lines[3:]]).encode("latin-1")
    before = table_counts(world)
    response = upload(world, data)
    assert response.status_code == 422, response.text
    issues = response.json()["detail"]
    assert issues and all(issue["loc"][:2] == ["body", "file"] for issue in issues)
    assert any(issue["loc"][2] == 3 for issue in issues), issues  # line 3: the record
    assert all(isinstance(issue["loc"][3], str) for issue in issues if len(issue["loc"]) > 3)
    assert "line 3" in issues[0]["msg"]
    assert table_counts(world) == before
    garbage = upload(world, b"\x00\xff not a delivery at all")
    assert garbage.status_code == 422 and table_counts(world) == before


def test_another_organisations_agreement_and_too_large_files_are_refused(
    fresh_engine: Engine,
) -> None:
    world = bs_world(fresh_engine)
    with uow(fresh_engine) as session:
        save_settings(session, world.b, pbs_number="07654321", debtor_group=GROUP,
                      data_supplier_cvr=world.a.cvr, updated_by="test")  # fmt: skip
    theirs = file_0602(
        [automatic(PaymentCode.COMPLETED, "9-901", APRIL, pbs="07654321")], "0000003", APRIL
    )
    before = table_counts(world)
    refused = upload(world, theirs)
    assert refused.status_code == 422 and "this organisation" in refused.json()["detail"][0]["msg"]
    assert upload(world, b"0" * 5000).status_code == 413
    assert table_counts(world) == before


def test_a_csv_row_of_another_organisation_is_refused_with_its_row(fresh_engine: Engine) -> None:
    world = bs_world(fresh_engine)
    csv = (
        "organisation_cvr;unit_number;payment_date;amount_oere;method;reference\n"
        f"{world.a.cvr};1-101;2026-04-02;650000;transfer;ref-1\n"
        f"{world.b.cvr};9-901;2026-04-02;650000;transfer;ref-2\n"
    ).encode()
    before = table_counts(world)
    response = world.post("/uploads/csv/payments", "accountant", files={"file": ("p.csv", csv)})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "file", 3, "organisation_cvr"]
    assert table_counts(world) == before
    ours = csv.decode().splitlines()[:2]
    done = world.post(
        "/uploads/csv/payments", "accountant",
        files={"file": ("p.csv", ("\n".join(ours) + "\n").encode())},
    )  # fmt: skip
    assert done.status_code == 200, done.text
    assert done.json()["counts"]["posted"] == 1
    assert done.json()["counts"]["credited_oere"] == 650_000
