"""Log in, the approval queue, approving a termination by role with its audit row, reading
the case's timeline and letter, and CSRF on cookie sessions (bearer tokens need none)."""

from __future__ import annotations

import hashlib

from sqlmodel import select

from app.auth.models import AuditEvent
from tests.app.api.world import PASSWORD, World, uow
from workflows.arrears.models import ArrearsCase


def login(world: World, username: str, password: str = PASSWORD) -> str:
    response = world.client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["username"] == username and "almen_session" in response.cookies
    return str(body["csrf_token"])


def test_login_answers_unknown_user_and_wrong_password_alike(world: World) -> None:
    unknown = world.client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    wrong = world.client.post(
        "/api/v1/auth/login", json={"username": "approver", "password": "forkert kodeord"}
    )
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert "almen_session" not in wrong.cookies


def test_login_lists_organisations_and_roles_and_logout_ends_the_session(world: World) -> None:
    response = world.client.post(
        "/api/v1/auth/login", json={"username": "chief", "password": PASSWORD}
    )
    assert response.json()["organisations"] == [
        {"cvr": world.a.cvr, "name": world.a.name, "roles": ["admin", "approver"]}
    ]
    csrf = response.json()["csrf_token"]
    assert world.client.get("/api/v1/me").json()["user"]["username"] == "chief"
    assert world.client.post("/api/v1/auth/logout").status_code == 403  # no CSRF token
    assert (
        world.client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    )
    assert world.client.get("/api/v1/me").status_code == 401


def test_an_accountant_may_not_terminate_an_approver_may_and_the_audit_log_says_who(
    world: World,
) -> None:
    queue = world.get("/approvals", "accountant").json()
    assert [row["id"] for row in queue] == [world.a_case]
    assert queue[0]["state"] == "awaiting_termination_approval"
    path = f"/cases/{world.a_case}/approve"
    for action in ("terminate", "evict"):
        refused = world.post(path, "accountant", json={"action": action})
        assert refused.status_code == 403, refused.text
    done = world.post(path, "approver", json={"action": "terminate"})
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "termination_sent" and done.json()["letter_id"] is not None
    again = world.post(path, "approver", json={"action": "terminate"})
    assert again.status_code == 409 and again.json()["detail"]
    events = world.get(f"/audit?object_type=arrears_case&object_id={world.a_case}", "auditor")
    assert events.status_code == 200
    (event,) = events.json()
    assert (event["actor"], event["action"]) == ("approver", "case.approve_terminate")
    assert event["before"] == {"state": "awaiting_termination_approval"}
    assert event["after"]["state"] == "termination_sent"
    assert event["after"]["letter_id"] == done.json()["letter_id"]
    assert world.get("/audit", "accountant").status_code == 403


def test_the_case_shows_its_timeline_and_its_letter_as_sent(world: World) -> None:
    world.post(f"/cases/{world.a_case}/approve", "approver", json={"action": "terminate"})
    case = world.get(f"/cases/{world.a_case}", "auditor").json()
    assert case["state"] == "termination_sent"
    assert case["events"][-1]["to_state"] == "termination_sent"
    assert case["events"][-1]["actor"] == "approver"
    kinds = {letter["kind"]: letter for letter in case["letters"]}
    assert set(kinds) == {"pakrav", "termination"}
    pdf = world.client.get(kinds["termination"]["pdf_href"], headers=world.bearer("auditor"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() == kinds["termination"]["sha256"]


def test_reject_needs_a_reason_and_closes_the_case(world: World) -> None:
    path = f"/cases/{world.a_case}/reject"
    missing = world.post(path, "approver", json={})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "reason"]
    blank = world.post(path, "approver", json={"reason": "   "})
    assert blank.status_code == 422
    done = world.post(path, "approver", json={"reason": "Aftale med lejer"})
    assert done.status_code == 200 and done.json()["state"] == "closed_rejected"
    with uow(world.engine) as session:
        case = session.get(ArrearsCase, world.a_case)
        assert case is not None and case.state == "closed_rejected"
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "case.reject")).one()
        assert event.reason == "Aftale med lejer"


def test_a_cookie_session_needs_the_csrf_token_a_bearer_token_does_not(world: World) -> None:
    csrf = login(world, "approver")
    url = world.url(f"/cases/{world.a_case}/reject")
    body = {"reason": "Aftale med lejer"}
    refused = world.client.post(url, json=body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    wrong = world.client.post(url, json=body, headers={"X-CSRF-Token": "forkert"})
    assert wrong.status_code == 403
    with uow(world.engine) as session:
        case = session.get(ArrearsCase, world.a_case)
        assert case is not None and case.state == "awaiting_termination_approval"
    assert world.client.get(world.url("/cases")).status_code == 200  # reading needs none
    world.client.cookies.clear()
    by_bearer = world.post(f"/cases/{world.a_case}/reject", "approver", json=body)
    assert by_bearer.status_code == 200, by_bearer.text
    assert csrf


def test_tenancies_show_balance_and_ledger_as_of_a_day(world: World) -> None:
    rows = world.get("/tenancies?as_of=2026-04-24", "auditor").json()
    assert len(rows) == 1 and rows[0]["balance_oere"] > 0
    one = world.get(f"/tenancies/{rows[0]['id']}?as_of=2026-04-24", "auditor").json()
    assert one["balance_oere"] == rows[0]["balance_oere"]
    assert sum(line["amount_oere"] for line in one["lines"]) == one["balance_oere"]
    assert sum(item["open_oere"] for item in one["open_items"]) == one["balance_oere"]
    early = world.get(f"/tenancies/{rows[0]['id']}?as_of=2026-03-01", "auditor").json()
    assert early["lines"] == [] and early["balance_oere"] == 0
    bad = world.get("/tenancies?as_of=1066-10-14", "auditor")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "as_of"]
