"""Every route of ``/api/v1``, enumerated from the app itself (a route added later is covered
without touching this file; one with a body fails here until it has a sample body):

- without credentials: 401;
- a member of A asking for B's CVR: 404, and B's objects by id under A's CVR: 404;
- an auditor of A: 403 on every route that changes something, and nothing changes.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from sqlmodel import func, select

from app.auth.models import AuditEvent
from tests.app.api.world import World, uow

ORG_PREFIX = "/api/v1/organisations/{cvr}"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
BS_FILE = ("bs.txt", b"not a delivery", "text/plain")
CSV_FILE = ("p.csv", b"organisation_cvr\n13585628\n", "text/csv")


def sample_body(path: str, w: World) -> dict[str, Any] | None:
    """A valid body for each route that takes one (None: the route takes none)."""
    return {
        f"{ORG_PREFIX}/cases/{{case_id}}/approve": {"json": {"action": "terminate"}},
        f"{ORG_PREFIX}/cases/{{case_id}}/reject": {"json": {"reason": "Aftale med lejer"}},
        f"{ORG_PREFIX}/cases/{{case_id}}/close": {"json": {"close_as": "paid", "reason": "Betalt"}},
        f"{ORG_PREFIX}/plans": {
            "json": {
                "case_ids": [w.b_ids["case_id"]],
                "instalments": [{"due_date": "2026-05-01", "amount_oere": 650_000}],
            }
        },
        f"{ORG_PREFIX}/uploads/bs": {"files": {"file": BS_FILE}},
        f"{ORG_PREFIX}/uploads/csv/{{kind}}": {"files": {"file": CSV_FILE}},
        f"{ORG_PREFIX}/users": {
            "json": {
                "username": "nyansat",
                "full_name": "Ny Ansat",
                "password": "x" * 14,
                "role": "accountant",
            }
        },
        f"{ORG_PREFIX}/users/{{user_id}}/roles": {"json": {"role": "accountant"}},
        "/api/v1/fee-table/{year}": {"json": {"amount_kr": 340, "source": "test"}},
        "/api/v1/auth/login": {"json": {"username": "x", "password": "y"}},
    }.get(path)


def routes(w: World) -> list[tuple[str, str]]:
    """(method, path template) of every /api/v1 operation in the app's own OpenAPI schema."""
    found = []
    schema = w.client.app.openapi()  # type: ignore[attr-defined]
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in operations.items():
            assert "requestBody" not in operation or sample_body(path, w) is not None, (
                f"{method.upper()} {path} takes a body: add a sample to sample_body()"
            )
            found.append((method.upper(), path))
    assert len(found) >= 25, found
    return found


def org_routes(w: World) -> list[tuple[str, str]]:
    return [(m, p) for m, p in routes(w) if p.startswith(ORG_PREFIX)]


def fill(path: str, cvr: str, ids: dict[str, int]) -> str:
    """The path with ``cvr`` and the ids given (moveouts' ``case_id`` is a move-out's)."""
    out = path.replace("{cvr}", cvr).replace("{kind}", "payments").replace("{role}", "accountant")
    out = out.replace("{year}", "2027").replace("{name}", "deposits")
    if "/moveouts/" in path:
        out = out.replace("{case_id}", str(ids["moveout_id"]))
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), out)


def call(w: World, method: str, template: str, url: str, headers: dict[str, str]) -> httpx.Response:
    return w.client.request(method, url, headers=headers, **(sample_body(template, w) or {}))


def audit_rows(w: World) -> int:
    with uow(w.engine) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def test_every_route_refuses_a_request_without_credentials(world: World) -> None:
    wrong = []
    for method, path in routes(world):
        if path == "/api/v1/auth/login":
            continue
        url = fill(path, world.a.cvr, {**world.b_ids, "user_id": world.users["accountant"]})
        body = sample_body(path, world) or {}
        response = world.client.request(method, url, **body)
        if response.status_code != 401:
            wrong.append((method, path, response.status_code))
    assert wrong == []


def test_a_member_of_a_gets_404_for_everything_of_b(world: World) -> None:
    """The member may do everything in A (approver + admin), so only the organisation
    decides: B's CVR is unknown to them, and B's objects do not exist under A's CVR."""
    before = audit_rows(world)
    headers = world.bearer("chief")
    wrong = []
    checked = 0
    for method, path in org_routes(world):
        body = sample_body(path, world) or {}
        url = fill(path, world.b.cvr, world.b_ids)
        response = world.client.request(method, url, headers=headers, **body)
        if response.status_code != 404 or response.json() != {"detail": "no such organisation"}:
            wrong.append(("B's CVR", method, url, response.status_code, response.text[:200]))
        if re.search(r"\{(?!cvr|kind|role|name)\w+\}", path):  # ids, not names
            url = fill(path, world.a.cvr, world.b_ids)
            response = world.client.request(method, url, headers=headers, **body)
            checked += 1
            if response.status_code != 404:
                wrong.append(("B's id", method, url, response.status_code, response.text[:200]))
    assert wrong == []
    assert checked >= 10
    assert audit_rows(world) == before


def test_an_unknown_cvr_is_answered_like_another_organisations(world: World) -> None:
    for cvr in ("12345678", "abc", "1" * 30):
        url = f"/api/v1/organisations/{cvr}/cases"
        response = world.client.get(url, headers=world.bearer("chief"))
        assert (response.status_code, response.json()) == (404, {"detail": "no such organisation"})


def test_an_auditor_changes_nothing_on_any_route(world: World) -> None:
    before = audit_rows(world)
    ids = {**world.b_ids, "case_id": world.a_case, "user_id": world.users["accountant"]}
    wrong = []
    unsafe = [(m, p) for m, p in org_routes(world) if m in UNSAFE]
    for method, path in unsafe:
        url = fill(path, world.a.cvr, ids)
        response = call(world, method, path, url, world.bearer("auditor"))
        if response.status_code != 403:
            wrong.append((method, path, response.status_code, response.text[:200]))
    response = call(
        world, "PUT", "/api/v1/fee-table/{year}", "/api/v1/fee-table/2027", world.bearer("auditor")
    )
    assert response.status_code == 403
    assert wrong == []
    assert len(unsafe) >= 9
    assert audit_rows(world) == before
