"""The web page over HTTP (no browser): login CSRF, redirects, refusals and filters.

A small world of its own (two organisations, one case each) in a database with real commits;
the browser tests (tests/e2e) use the demo's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.api import create_app
from app.api_v1.common import ApiSettings
from app.auth.models import User
from app.auth.roles import Role
from app.auth.service import create_user, grant
from app.database import unit_of_work
from ledger.registry import require_organisation
from tests import factories
from workflows.arrears.models import ArrearsCase
from workflows.arrears.states import CaseState

TODAY = date(2026, 11, 21)
OURS, THEIRS = "29403473", factories.CVR
PASSWORD = "Sommerhus-2026"


@dataclass(frozen=True)
class Site:
    client: TestClient
    engine: Engine
    our_case: int
    their_case: int


def _case(session: Session, org_cvr: str, unit: str) -> int:
    org = factories.organisation(session, cvr=org_cvr)
    tenancy = factories.tenancy(session, org, unit)
    assert org.id is not None and tenancy.id is not None
    case = ArrearsCase(
        organisation_id=org.id, tenancy_id=tenancy.id, due_date=date(2026, 10, 1),
        state=CaseState.AWAITING_TERMINATION_APPROVAL, opened_on=date(2026, 10, 6),
        amount_oere=700_000,
    )  # fmt: skip
    session.add(case)
    session.flush()
    assert case.id is not None
    user = create_user(session, f"user{org_cvr}", "Bo Jensen", PASSWORD, created_by="test")
    grant(session, user, org, Role.ACCOUNTANT, granted_by="test")
    return case.id


@pytest.fixture
def site(fresh_engine: Engine) -> Iterator[Site]:
    with unit_of_work(fresh_engine) as session:
        ours = _case(session, OURS, "1-101")
        theirs = _case(session, THEIRS, "2-202")
    app = create_app(
        unit_of_work=lambda: unit_of_work(fresh_engine),
        today=lambda: TODAY,
        settings=ApiSettings(secure_cookies=False),
    )
    with TestClient(app) as client:
        yield Site(client, fresh_engine, ours, theirs)


def _log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    form = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', form.text)
    assert token is not None
    answer = client.post(
        "/login",
        data={"brugernavn": username, "adgangskode": password, "login_token": token[1]},
        follow_redirects=False,
    )
    return answer.headers.get("location", answer.text)


def _csrf(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found[1]


def _make_approver(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        user = session.exec(select(User).where(col(User.username) == f"user{OURS}")).one()
        grant(session, user, require_organisation(session, OURS), Role.APPROVER, granted_by="t")


def _state(engine: Engine, case_id: int) -> CaseState:
    with unit_of_work(engine) as session:
        case = session.get(ArrearsCase, case_id)
        assert case is not None
        return CaseState(case.state)


def test_not_logged_in_goes_to_the_login_page_with_the_way_back(site: Site) -> None:
    answer = site.client.get(f"/o/{OURS}/sager", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/login?naeste=/o/{OURS}/sager"


def test_login_without_the_forms_token_is_refused(site: Site) -> None:
    answer = site.client.post("/login", data={"brugernavn": f"user{OURS}", "adgangskode": PASSWORD})
    assert answer.status_code == 400
    assert "Siden var udløbet" in answer.text
    assert "almen_session" not in site.client.cookies


def test_wrong_password_is_the_danish_error(site: Site) -> None:
    text = _log_in(site.client, f"user{OURS}", "forkert")
    assert "Forkert brugernavn eller adgangskode." in text


def test_login_goes_only_to_a_path_on_this_site(site: Site) -> None:
    form = site.client.get("/login?naeste=//evil.example/x")
    assert 'name="naeste" value="/"' in form.text
    assert _log_in(site.client, f"user{OURS}") == "/"


def test_every_page_of_another_organisation_is_not_found(site: Site) -> None:
    _make_approver(site.engine)  # may approve and reject in their own organisation
    _log_in(site.client, f"user{OURS}")
    csrf = _csrf(site.client, f"/o/{OURS}/")
    them = site.their_case
    for path in (
        f"/o/{THEIRS}/", f"/o/{THEIRS}/sager", f"/o/{THEIRS}/sager/{them}",
        f"/o/{OURS}/sager/{them}", f"/o/{THEIRS}/betalingsservice", f"/o/{THEIRS}/breve/1",
        f"/o/{THEIRS}/rapporter", f"/o/{THEIRS}/rapporter/deposits.csv",
    ):  # fmt: skip
        answer = site.client.get(path)
        assert answer.status_code == 404, path
        assert "Siden findes ikke" in answer.text
    for cvr in (THEIRS, OURS):
        for action, form in (
            ("godkend", {"handling": "terminate"}),
            ("afvis", {"begrundelse": "x"}),
        ):
            answer = site.client.post(
                f"/o/{cvr}/sager/{them}/{action}", data={**form, "csrf_token": csrf}
            )
            assert answer.status_code == 404
    assert _state(site.engine, them) is CaseState.AWAITING_TERMINATION_APPROVAL


def test_a_post_without_the_csrf_token_changes_nothing(site: Site) -> None:
    _log_in(site.client, f"user{OURS}")
    answer = site.client.post(
        f"/o/{OURS}/sager/{site.our_case}/godkend", data={"handling": "pakrav"}
    )
    assert answer.status_code == 403
    assert "Det har du ikke adgang til" in answer.text


def test_an_accountant_may_not_reject_and_sees_no_buttons(site: Site) -> None:
    _log_in(site.client, f"user{OURS}")
    page = site.client.get(f"/o/{OURS}/sager/{site.our_case}").text
    assert "Godkend ophævelse" not in page and "Afvis og luk sagen" not in page
    csrf = _csrf(site.client, f"/o/{OURS}/")
    answer = site.client.post(
        f"/o/{OURS}/sager/{site.our_case}/afvis",
        data={"begrundelse": "betalt kontant", "csrf_token": csrf},
    )
    assert answer.status_code == 403
    assert _state(site.engine, site.our_case) is CaseState.AWAITING_TERMINATION_APPROVAL


def test_a_rejection_needs_a_reason(site: Site) -> None:
    with unit_of_work(site.engine) as session:
        from sqlmodel import col, select

        from app.auth.models import User
        from ledger.registry import require_organisation

        user = session.exec(select(User).where(col(User.username) == f"user{OURS}")).one()
        grant(session, user, require_organisation(session, OURS), Role.APPROVER, granted_by="t")
    _log_in(site.client, f"user{OURS}")
    csrf = _csrf(site.client, f"/o/{OURS}/")
    answer = site.client.post(
        f"/o/{OURS}/sager/{site.our_case}/afvis", data={"begrundelse": "  ", "csrf_token": csrf}
    )
    assert answer.status_code == 422
    assert "Skriv en begrundelse" in answer.text
    assert _state(site.engine, site.our_case) is CaseState.AWAITING_TERMINATION_APPROVAL
    done = site.client.post(
        f"/o/{OURS}/sager/{site.our_case}/afvis",
        data={"begrundelse": "Lejer har betalt kontant på kontoret", "csrf_token": csrf},
    )
    assert done.status_code == 200 and "Sagen er afvist og lukket." in done.text
    assert _state(site.engine, site.our_case) is CaseState.CLOSED_REJECTED


def test_case_list_filters_by_state_and_search_and_refuses_unknown_values(site: Site) -> None:
    _log_in(site.client, f"user{OURS}")
    waiting = site.client.get(f"/o/{OURS}/sager?tilstand=awaiting_termination_approval").text
    assert f"Sag {site.our_case}<" in waiting and f"Sag {site.their_case}<" not in waiting
    assert f"Sag {site.our_case}<" not in site.client.get(f"/o/{OURS}/sager?tilstand=opened").text
    assert f"Sag {site.our_case}<" in site.client.get(f"/o/{OURS}/sager?soeg=1-1").text
    assert f"Sag {site.our_case}<" not in site.client.get(f"/o/{OURS}/sager?soeg=9-").text
    assert site.client.get(f"/o/{OURS}/sager?tilstand=bogus").status_code == 400
    assert site.client.get(f"/o/{OURS}/sager?afdeling=x").status_code == 400
