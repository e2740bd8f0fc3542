"""Users and roles by the organisation's admin, the national fee table, and sending a dead
letter again: each audited with before and after."""

from __future__ import annotations

from sqlmodel import select

from app.auth.models import AuditEvent
from tests.app.api.world import World, uow
from workflows.notifications.models import Notification, NotificationStatus


def test_an_admin_manages_users_but_not_their_own_roles(world: World) -> None:
    made = world.post("/users", "admin", json={
        "username": "ny.bogholder", "full_name": "Ny Bogholder", "password": "x" * 14,
        "role": "accountant",
    })  # fmt: skip
    assert made.status_code == 201, made.text
    user_id = made.json()["id"]
    granted = world.post(f"/users/{user_id}/roles", "admin", json={"role": "approver"})
    assert granted.json()["roles"] == ["accountant", "approver"]
    own = world.post(f"/users/{world.users['admin']}/roles", "admin", json={"role": "approver"})
    assert own.status_code == 409 and "own roles" in own.json()["detail"]
    taken = world.post("/users", "admin", json={
        "username": "ny.bogholder", "full_name": "X", "password": "x" * 14, "role": "auditor",
    })  # fmt: skip
    assert taken.status_code == 409
    url = world.url(f"/users/{user_id}/roles/approver")
    revoked = world.client.delete(url, headers=world.bearer("admin"))
    assert revoked.status_code == 200 and revoked.json()["roles"] == ["accountant"]
    assert world.get("/users", "approver").status_code == 403
    log = world.get(f"/audit?object_type=user&object_id={user_id}", "admin").json()
    assert [e["action"] for e in log] == ["user.revoke", "user.grant", "user.create"]
    assert log[0]["before"]["roles"] == ["accountant", "approver"]
    assert log[0]["after"]["roles"] == ["accountant"]


def test_the_fee_table_is_read_by_all_and_set_by_an_admin_audited_nationally(world: World) -> None:
    table = world.client.get("/api/v1/fee-table", headers=world.bearer("auditor"))
    assert table.status_code == 200 and any(row["year"] == 2026 for row in table.json())
    body = {"amount_kr": 345, "source": "Social- og Boligstyrelsen 2027"}
    refused = world.client.put(
        "/api/v1/fee-table/2027", json=body, headers=world.bearer("approver")
    )
    assert refused.status_code == 403
    done = world.client.put("/api/v1/fee-table/2027", json=body, headers=world.bearer("admin"))
    assert done.json() == {
        "year": 2027,
        "amount_kr": 345,
        "source": body["source"],
        "confirmed": True,
    }
    with uow(world.engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "fee.set")).one()
        assert (event.organisation_id, event.actor, event.after) == (
            None, "admin", {"amount_kr": 345, "source": body["source"], "confirmed": True},
        )  # fmt: skip


def test_a_dead_letter_is_sent_again_once(world: World) -> None:
    tenancy_id = _tenancy_of_a(world)
    with uow(world.engine) as session:
        b_row = session.get(Notification, world.b_ids["notification_id"])
        assert b_row is not None
        session.add(Notification(
            organisation_id=world.a.id or 0, municipality_code=751, kind=b_row.kind,
            arrears_case_id=world.a_case, tenancy_id=tenancy_id,
            created_on=b_row.created_on,
            status=NotificationStatus.DEAD_LETTER, idempotency_key="a-notification-1",
            dead_letter_reason="550 mailbox unknown", attempts=10,
        ))  # fmt: skip
        session.flush()
        row = session.exec(
            select(Notification).where(Notification.idempotency_key == "a-notification-1")
        ).one()
        notification_id = row.id
    assert world.post(f"/notifications/{notification_id}/retry", "auditor").status_code == 403
    done = world.post(f"/notifications/{notification_id}/retry", "accountant")
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["attempts"]) == ("pending", 0)
    assert done.json()["requeued_by"] == "accountant"
    again = world.post(f"/notifications/{notification_id}/retry", "accountant")
    assert again.status_code == 409
    (event,) = world.get(
        f"/audit?object_type=notification&object_id={notification_id}", "auditor"
    ).json()
    assert event["before"]["status"] == "dead_letter" and event["after"]["status"] == "pending"


def _tenancy_of_a(world: World) -> int:
    rows = world.get("/tenancies", "auditor").json()
    return int(rows[0]["id"])
