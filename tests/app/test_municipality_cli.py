"""``almen municipality`` and ``almen notifications dispatch|retry|list|history``."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.settings import Settings
from tests.cli import Runner
from tests.workflows.notifications.helpers import SECRET, first_year_notifications

WEBHOOK = "https://api.aarhus.example/almen/notifications"


def test_set_and_list_the_delivery_of_municipalities(cli: Runner) -> None:
    made = cli("municipality", "set", "--code", "751", "--email", "a@aarhus.dk",
               "--email", "b@aarhus.dk", "--json").json()  # fmt: skip
    assert (made["name"], made["method"], made["emails"]) == (
        "Aarhus", "email", ["a@aarhus.dk", "b@aarhus.dk"],
    )  # fmt: skip
    hook = cli("municipality", "set", "--code", "746", "--webhook", WEBHOOK, "--secret", SECRET)
    assert hook.code == 0 and "webhook https://api.aarhus.example" in hook.out
    assert "s3cret" not in hook.out
    assert cli("municipality", "set", "--code", "101", "--pull-only").code == 0
    listed = cli("municipality", "list", "--json").json()
    assert len(listed) == 98
    configured = cli("municipality", "list", "--configured", "--json").json()
    assert [(row["code"], row["method"]) for row in configured] == [
        (101, "pull"), (746, "webhook"), (751, "email"),
    ]  # fmt: skip
    assert {row["webhook_secret"] for row in configured} == {None, "(set)"}
    human = cli("municipality", "list", "--configured").out
    assert "751 Aarhus" in human and "3 municipalities, 3 set up" in human
    # Changing it replaces it.
    assert cli("municipality", "set", "--code", "751", "--pull-only").code == 0
    again = cli("municipality", "list", "--configured", "--json").json()
    assert [row["method"] for row in again if row["code"] == 751] == ["pull"]


def test_bad_codes_urls_and_settings_get_clear_errors(cli: Runner) -> None:
    cases = [
        (["--code", "100", "--pull-only"], "unknown kommunekode 100"),
        (["--code", "751", "--webhook", "http://kommune.dk/hook", "--secret", SECRET],
         "must use https"),
        (["--code", "751", "--webhook", "not a url", "--secret", SECRET], "https URL"),
        (["--code", "751", "--webhook", WEBHOOK], "needs its shared secret"),
        (["--code", "751", "--webhook", WEBHOOK, "--secret", "kort"], "32-200 characters"),
        (["--code", "751", "--email", "borgerservice"], "not an e-mail address"),
        (["--code", "751"], "give exactly one delivery"),
        (["--code", "751", "--email", "a@b.dk", "--pull-only"], "give exactly one delivery"),
    ]  # fmt: skip
    for argv, message in cases:
        result = cli("municipality", "set", *argv)
        assert (result.code, result.out) == (1, ""), argv
        assert result.err.startswith("error: ") and message in result.err, result.err
    assert cli("municipality", "list", "--configured", "--json").json() == []
    assert cli("municipality", "set", "--code", "abc", "--pull-only").code == 2


def test_a_shared_address_is_warned_about(cli: Runner) -> None:
    cli("municipality", "set", "--code", "751", "--email", "fælles@kommune.dk")
    result = cli("municipality", "set", "--code", "746", "--email", "x@kommune.dk")
    assert result.err == ""
    cli("municipality", "set", "--code", "751", "--email", "x@kommune.dk")
    warned = cli("municipality", "set", "--code", "746", "--email", "x@kommune.dk")
    assert "x@kommune.dk is also where municipality 751 (Aarhus)" in warned.err


def test_api_keys_are_shown_once_and_revocable(cli: Runner) -> None:
    made = cli("municipality", "key", "create", "--code", "751", "--label", "Aarhus Kommune",
               "--by", "Mette", "--json").json()  # fmt: skip
    assert made["token"].startswith(f"almk_{made['key_id']}_") and len(made["token"]) == 61
    listed = cli("municipality", "key", "list", "--json").json()
    assert [row["key_id"] for row in listed] == [made["key_id"]]
    assert "token" not in listed[0] and made["token"] not in cli("municipality", "key", "list").out
    assert cli("municipality", "key", "revoke", made["key_id"], "--by", "Mette").code == 0
    twice = cli("municipality", "key", "revoke", made["key_id"], "--by", "Mette")
    assert twice.code == 1 and "revoked already" in twice.err
    assert cli("municipality", "key", "revoke", "nope", "--by", "x").code == 1
    assert cli("municipality", "key", "create", "--code", "999", "--by", "x").code == 1


def test_dead_letters_are_listed_and_put_back(cli: Runner, session: Session) -> None:
    _, [notification] = first_year_notifications(session)
    cli("municipality", "set", "--code", "751", "--webhook", "http://127.0.0.1:9/hook",
        "--secret", SECRET)  # fmt: skip
    one_try = Settings(database_url="unused", notify_max_attempts=1, webhook_timeout_seconds=1)
    report = cli("notifications", "dispatch", "--json", settings=one_try).json()
    assert (report["claimed"], report["dead_letter"]) == (1, 1)
    dead = cli("notifications", "list", "--status", "dead_letter", "--json").json()
    assert [row["id"] for row in dead] == [notification.id]
    assert dead[0]["dead_letter_reason"].startswith("gave up after 1 attempts; the last: Connect")
    human = cli("notifications", "list", "--status", "dead_letter").out
    assert "dead_letter" in human and "gave up after 1 attempts" in human
    assert "1 DEAD LETTERS" in cli("municipality", "list", "--configured").out
    assert cli("notifications", "retry", "--by", "Mette").code == 1
    put_back = cli("notifications", "retry", "--all-dead-letters", "--by", "Mette")
    assert put_back.code == 0 and "1 notifications put back" in put_back.out
    history = cli("notifications", "history", str(notification.id), "--json").json()
    assert (history["status"], history["requeued_by"]) == ("pending", "cli:Mette")
    assert [a["outcome"] for a in history["attempt_history"]] == ["retry"]
    text = cli("notifications", "history", str(notification.id)).out
    assert "attempt 1:" in text and "http://127.0.0.1:9/hook -> retry" in text


def test_a_malformed_mail_setting_in_the_environment_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli.main import main

    monkeypatch.setenv("ALMEN_SMTP_HOST", "smtp.kommune.dk")
    monkeypatch.setenv("ALMEN_MAIL_FROM", "almen@boligforening.dk")
    monkeypatch.setenv("ALMEN_SMTP_SECURITY", "none")
    assert main(["municipality", "list"]) == 1
    assert capsys.readouterr().err == (
        "error: ALMEN_SMTP_SECURITY=none sends names and addresses unencrypted: allowed only "
        "to a server on this machine, not 'smtp.kommune.dk' (use starttls or tls)\n"
    )
