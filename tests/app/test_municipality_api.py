"""The pull API ``/municipality/v1`` on a database with real commits: keys, the feed after a
cursor, fetching with the PDF, acknowledging, answering; and that municipality A's key can
never list, fetch, acknowledge or answer municipality B's notifications."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.api import create_app
from app.cli.context import CliContext
from app.cli.main import main
from app.database import unit_of_work
from app.settings import Settings
from tests.workflows.notifications.helpers import (
    CPR,
    FakeClock,
    configure,
    first_year_notifications,
)
from workflows.notifications.api_keys import create_key, revoke_key
from workflows.notifications.dispatch import dispatch
from workflows.notifications.models import (
    MunicipalityAnswer,
    Notification,
    NotificationAttachment,
    NotificationAttempt,
)

TODAY = date(2026, 4, 20)
ROUTES = ("list", "get", "pdf", "acknowledge", "answer")
ANSWER = {"meeting_held_on": "2026-04-15", "note": "Lejer mødte op; betalingsaftale drøftet"}


@dataclass
class World:
    engine: Engine
    client: TestClient
    a_key: str  # Aarhus (751)
    b_key: str  # Skanderborg (746)
    revoked: str  # Aarhus, revoked
    a: Notification
    b: Notification


@pytest.fixture
def world(fresh_engine: Engine) -> Iterator[World]:
    with unit_of_work(fresh_engine) as session:
        _, (a, b) = first_year_notifications(session, [751, 746], cpr=CPR)
        configure(session, 751, pull_only=True)
        configure(session, 746, pull_only=True)
        _, a_key = create_key(session, 751, label="Aarhus", by="test")
        _, b_key = create_key(session, 746, label="Skanderborg", by="test")
        old, revoked = create_key(session, 751, label="old", by="test")
        revoke_key(session, old.key_id, by="test")
    dispatch(lambda: unit_of_work(fresh_engine), {}, clock=FakeClock())  # publishes the feed
    app = create_app(unit_of_work=lambda: unit_of_work(fresh_engine), today=lambda: TODAY)
    with TestClient(app) as client:
        yield World(fresh_engine, client, a_key, b_key, revoked, a, b)


def call(world: World, route: str, key: str | None, target: Notification) -> httpx.Response:
    headers = {} if key is None else {"Authorization": f"Bearer {key}"}
    base = f"/municipality/v1/notifications/{target.idempotency_key}"
    if route == "list":
        return world.client.get("/municipality/v1/notifications", headers=headers)
    if route == "get":
        return world.client.get(base, headers=headers)
    if route == "pdf":
        return world.client.get(f"{base}/pdf", headers=headers)
    if route == "acknowledge":
        return world.client.post(f"{base}/acknowledge", headers=headers)
    return world.client.post(f"{base}/answer", headers=headers, json=ANSWER)


def unchanged(world: World, notification: Notification) -> None:
    with Session(world.engine) as session:
        row = session.get(Notification, notification.id)
        assert row is not None and (row.status, row.acknowledged_at) == ("pending", None)
        answers = session.exec(
            select(MunicipalityAnswer).where(MunicipalityAnswer.notification_id == notification.id)
        ).all()
        assert answers == []


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("credential", ["missing", "malformed", "wrong", "revoked"])
def test_every_route_refuses_a_missing_wrong_or_revoked_key_with_401(
    world: World, route: str, credential: str
) -> None:
    key = {
        "missing": None,
        "malformed": "let-me-in",
        "wrong": world.a_key[:-4] + "AAAA",  # the right key id, the wrong secret
        "revoked": world.revoked,
    }[credential]
    response = call(world, route, key, world.a)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "API key" in response.json()["detail"]
    unchanged(world, world.a)


@pytest.mark.parametrize("route", ["get", "pdf", "acknowledge", "answer"])
def test_a_municipality_cannot_touch_anothers_notification(world: World, route: str) -> None:
    response = call(world, route, world.a_key, world.b)  # Aarhus asks for Skanderborg's
    assert response.status_code == 404
    assert response.json() == {"detail": "no such notification"}
    unchanged(world, world.b)
    missing = Notification(idempotency_key="00000000-0000-5000-8000-000000000000")  # type: ignore[call-arg]
    assert call(world, route, world.a_key, missing).json() == response.json()  # same as none


def test_a_municipality_lists_only_its_own_after_the_cursor(world: World) -> None:
    mine = call(world, "list", world.a_key, world.a).json()
    assert mine["municipality_code"] == 751
    assert [item["id"] for item in mine["items"]] == [world.a.idempotency_key]
    item = mine["items"][0]
    assert item["municipality"] == {"code": 751, "name": "Aarhus"}
    assert "content_base64" not in item["attachment"]
    assert item["attachment"]["href"].endswith(f"/{world.a.idempotency_key}/pdf")
    assert item["delivery"] == {"status": "pending", "acknowledged_at": None}
    assert CPR not in json.dumps(mine)
    theirs = call(world, "list", world.b_key, world.b).json()
    assert [item["id"] for item in theirs["items"]] == [world.b.idempotency_key]
    after = world.client.get(
        "/municipality/v1/notifications",
        params={"after": mine["next_cursor"]},
        headers={"Authorization": f"Bearer {world.a_key}"},
    ).json()
    assert (after["items"], after["next_cursor"]) == ([], mine["next_cursor"])


def test_fetch_one_with_its_pdf(world: World) -> None:
    body = call(world, "get", world.a_key, world.a).json()
    with Session(world.engine) as session:
        attachment = session.get(NotificationAttachment, world.a.id)
        assert attachment is not None
    assert base64.b64decode(body["attachment"]["content_base64"]) == attachment.pdf
    assert body["payload"]["pakrav"]["deadline"] == "2026-04-23"
    pdf = call(world, "pdf", world.a_key, world.a)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == attachment.pdf
    assert pdf.headers["x-almen-sha256"] == hashlib.sha256(pdf.content).hexdigest()
    assert attachment.filename in pdf.headers["content-disposition"]


def test_acknowledging_counts_as_delivered_once(world: World) -> None:
    first = call(world, "acknowledge", world.a_key, world.a).json()
    assert (first["id"], first["status"]) == (world.a.idempotency_key, "delivered")
    again = call(world, "acknowledge", world.a_key, world.a).json()
    assert again == first
    with Session(world.engine) as session:
        row = session.get(Notification, world.a.id)
        assert row is not None and (row.status, row.delivered_via) == ("delivered", "pull")
        [attempt] = session.exec(
            select(NotificationAttempt).where(NotificationAttempt.notification_id == world.a.id)
        ).all()
        assert (attempt.channel, attempt.outcome) == ("pull", "delivered")
    unchanged(world, world.b)


def run_cli(engine: Engine, *argv: str) -> tuple[int, str]:
    url = engine.url.render_as_string(hide_password=False)
    out, err = io.StringIO(), io.StringIO()
    context = CliContext(
        settings=Settings(database_url=url), stdout=out, stderr=err, today=lambda: TODAY
    )
    code = main(list(argv), context)
    return code, out.getvalue() + err.getvalue()


def test_rsl_5a_stk_3_the_answer_shows_on_the_case(world: World) -> None:
    answer = {**ANSWER, "decision": "Hjælp til betaling bevilget", "tenant_consent": True}
    response = world.client.post(
        f"/municipality/v1/notifications/{world.a.idempotency_key}/answer",
        headers={"Authorization": f"Bearer {world.a_key}"},
        json=answer,
    )
    assert response.status_code == 201, response.text
    case_id = str(world.a.arrears_case_id)
    code, out = run_cli(world.engine, "cases", "show", case_id, "--json")
    assert code == 0, out
    [notification] = json.loads(out)["notifications"]
    [shown] = notification["answers"]
    assert (shown["meeting_held_on"], shown["decision"], shown["tenant_consent"]) == (
        "2026-04-15", "Hjælp til betaling bevilget", True,
    )  # fmt: skip
    code, text = run_cli(world.engine, "cases", "show", case_id)
    assert "answer from municipality 751" in text and "meeting held 2026-04-15" in text
    assert "decision (shared with the tenant's consent): Hjælp til betaling bevilget" in text


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"decision": "Afslag"}, "prior consent (RSL § 5 a, stk. 3)"),
        ({"note": "CPR 010190-1234"}, "CPR"),
        ({"meeting_held_on": "2026-04-21"}, "must be between"),
        ({}, "needs meeting_held_on, decision or note"),
    ],
)
def test_answers_that_break_the_rules_get_422_and_nothing_is_stored(
    world: World, body: dict[str, Any], detail: str
) -> None:
    response = world.client.post(
        f"/municipality/v1/notifications/{world.a.idempotency_key}/answer",
        headers={"Authorization": f"Bearer {world.a_key}"},
        json=body,
    )
    assert response.status_code == 422 and detail in response.json()["detail"]
    unchanged(world, world.a)


def test_unknown_fields_are_refused(world: World) -> None:
    response = world.client.post(
        f"/municipality/v1/notifications/{world.a.idempotency_key}/answer",
        headers={"Authorization": f"Bearer {world.a_key}"},
        json={**ANSWER, "cpr": "0101901234"},
    )
    assert response.status_code == 422


def test_a_key_revoked_with_the_cli_stops_working(world: World) -> None:
    assert call(world, "list", world.a_key, world.a).status_code == 200
    key_id = world.a_key.split("_")[1]
    code, out = run_cli(world.engine, "municipality", "key", "revoke", key_id, "--by", "Mette")
    assert code == 0, out
    assert call(world, "list", world.a_key, world.a).status_code == 401
    assert call(world, "list", world.b_key, world.b).status_code == 200
