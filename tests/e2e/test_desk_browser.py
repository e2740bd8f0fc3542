"""The accountant's desk in headless Chromium: log in, approve a termination, download its
letter, upload a Betalingsservice file, and be refused another organisation's case."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from sqlmodel import col, select

from app.auth.models import AuditEvent
from app.database import unit_of_work
from workflows.arrears.states import CaseState

from .conftest import screenshot
from .world import PASSWORD, World, case_state, payment_file, waiting_case


def log_in(page: Any, world: World, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{world.base_url}/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def test_wrong_password_shows_the_danish_error_and_no_session(page: Any, world: World) -> None:
    page.goto(f"{world.base_url}/o/{world.cvr}/")
    assert page.url.startswith(f"{world.base_url}/login")  # not logged in: to the login page
    screenshot(page, "01-login")
    log_in(page, world, "mette", "forkert-kode")
    assert page.get_by_role("alert").inner_text() == "Forkert brugernavn eller adgangskode."
    assert not [c for c in page.context.cookies() if c["name"] == "almen_session"]
    screenshot(page, "01b-login-forkert-kode")


def test_approve_a_termination_and_download_its_letter(page: Any, world: World) -> None:
    case_id = waiting_case(world.engine)
    log_in(page, world, "mette")
    page.wait_for_url(f"{world.base_url}/o/{world.cvr}/")  # one organisation: straight to it
    assert page.get_by_role("heading", name="Overblik").is_visible()
    assert page.get_by_text("Restancer i alt").is_visible()
    screenshot(page, "02-overblik")

    page.get_by_role("link", name="Restancesager").click()
    page.get_by_label("Status").select_option(str(CaseState.AWAITING_TERMINATION_APPROVAL))
    page.get_by_role("button", name="Vis sager").click()
    page.wait_for_url(re.compile(r"tilstand=awaiting_termination_approval"))
    states = page.locator("table.cases tbody .tag").all_inner_texts()
    assert states and set(states) == {"Ophævelse venter på godkendelse"}
    screenshot(page, "03-sagsliste")

    page.get_by_role("link", name=f"Sag {case_id}", exact=True).click()
    assert page.locator("#case-state").inner_text() == "Ophævelse venter på godkendelse"
    screenshot(page, "04-sag-foer-godkendelse")
    page.get_by_role("button", name="Godkend ophævelse").click()

    page.wait_for_url(re.compile(rf"/sager/{case_id}\?udfoert=terminate$"))
    assert page.locator("#case-state").inner_text() == "Ophævelse sendt"
    assert page.get_by_role("status").inner_text().startswith("Ophævelsen er godkendt")
    assert case_state(world.engine, case_id) is CaseState.TERMINATION_SENT
    assert page.get_by_role("button", name="Godkend ophævelse").count() == 0
    screenshot(page, "05-sag-efter-godkendelse")

    link = page.locator('a.pdf-link[data-kind="termination"]')
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"ophaevelse-sag-{case_id}.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).lower()
    assert "ophæv" in text

    with unit_of_work(world.engine) as session:
        audit = session.exec(
            select(AuditEvent).where(
                col(AuditEvent.action) == "case.approve_terminate",
                col(AuditEvent.object_id) == str(case_id),
            )
        ).one()
    assert audit.actor == "mette" and audit.after is not None
    assert audit.after["state"] == "termination_sent"


def test_another_organisations_case_is_not_found_by_url_nor_by_post(
    page: Any, world: World
) -> None:
    log_in(page, world, "mette")
    page.wait_for_url(f"{world.base_url}/o/{world.cvr}/")
    csrf = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    theirs = world.other_case_id
    for path in (f"/o/{world.other_cvr}/sager/{theirs}", f"/o/{world.cvr}/sager/{theirs}"):
        response = page.goto(world.base_url + path)
        assert response is not None and response.status == 404
        assert page.get_by_role("heading", name="Siden findes ikke").is_visible()
    screenshot(page, "06-ikke-fundet")
    for cvr in (world.other_cvr, world.cvr):
        answer = page.request.post(
            f"{world.base_url}/o/{cvr}/sager/{theirs}/godkend",
            form={"handling": "terminate", "csrf_token": csrf or ""},
            max_redirects=0,
        )
        assert answer.status == 404
        rejected = page.request.post(
            f"{world.base_url}/o/{cvr}/sager/{theirs}/afvis",
            form={"begrundelse": "forsøg", "csrf_token": csrf or ""},
            max_redirects=0,
        )
        assert rejected.status == 404
    assert case_state(world.engine, theirs) is CaseState.AWAITING_TERMINATION_APPROVAL


def test_an_accountant_sees_no_approval_button_and_the_server_refuses(
    page: Any, world: World
) -> None:
    case_id = waiting_case(world.engine)
    log_in(page, world, "bo")
    page.goto(f"{world.base_url}/o/{world.cvr}/sager/{case_id}")
    assert page.get_by_role("button", name="Godkend ophævelse").count() == 0
    assert page.get_by_text("Kun en bruger med rollen godkender").is_visible()
    csrf = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    answer = page.request.post(
        f"{world.base_url}/o/{world.cvr}/sager/{case_id}/godkend",
        form={"handling": "terminate", "csrf_token": csrf or ""},
        max_redirects=0,
    )
    assert answer.status == 403
    assert case_state(world.engine, case_id) is CaseState.AWAITING_TERMINATION_APPROVAL


def test_upload_a_betalingsservice_file_and_see_what_it_did(
    page: Any, world: World, tmp_path: Any
) -> None:
    log_in(page, world, "bo")
    page.goto(f"{world.base_url}/o/{world.cvr}/betalingsservice")
    good = tmp_path / "0602-naesten-alt.txt"
    good.write_bytes(payment_file("0000000777"))
    page.get_by_label("Fil").set_input_files(str(good))
    page.get_by_role("button", name="Indlæs filen").click()
    summary = page.locator("table.summary").inner_text()
    assert "Indbetalinger bogført\t2\t13.625,50 kr." in summary
    assert "Sat på uafstemte poster\t1\t100,00 kr." in summary
    screenshot(page, "07-betalingsservice-indlaest")

    broken = tmp_path / "0602-fejl.txt"
    broken.write_bytes(payment_file("0000000778").replace(b"BS0420", b"BS0421", 1))
    page.get_by_label("Fil").set_input_files(str(broken))
    page.get_by_role("button", name="Indlæs filen").click()
    assert page.get_by_role("alert").inner_text().startswith("Intet er bogført.")
    first_issue = page.locator("section.result tbody tr").first.inner_text()
    assert re.match(r"\d+\t", first_issue), first_issue  # the line number
    screenshot(page, "08-betalingsservice-afvist")


def test_download_the_arrears_report_as_excel_and_pdf(page: Any, world: World) -> None:
    log_in(page, world, "bo")
    page.get_by_role("link", name="Rapporter").click()
    page.wait_for_url(f"{world.base_url}/o/{world.cvr}/rapporter")
    assert page.get_by_role("heading", name="Rapporter").count() == 1
    row = page.get_by_role("row").filter(has_text="Restancer fordelt på alder")
    screenshot(page, "09-rapporter")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Excel").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"arrears-aging_{world.cvr}_")
    assert Path(download.path()).read_bytes().startswith(b"PK")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="PDF").click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Restancer" in text and world.cvr in text
