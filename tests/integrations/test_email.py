"""E-mail to municipalities through a real SMTP server on this machine (aiosmtpd): the Danish
text of each kind, the PDF, no CPR number; refusals, unknown recipients, connection refused;
STARTTLS with login and implicit TLS."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from app.notify import senders
from app.settings import Settings, smtp_from_env
from integrations.email import SmtpConfig, SmtpSecurity
from reports.letters.moveout import renderers
from tests.peers import SmtpPeer, certificate_files, free_port
from tests.workflows.moveout import moveout_cases as mc
from tests.workflows.notifications.helpers import (
    CPR,
    FakeClock,
    attempts,
    configure,
    eviction_notification,
    first_year_notifications,
    reload,
    session_uow,
)
from workflows.arrears.models import Letter
from workflows.moveout.closing import post_settlement
from workflows.moveout.settling import settle_case
from workflows.notifications.dispatch import DispatchReport, dispatch
from workflows.notifications.models import NotificationStatus

SENDER = "underretning@boligforening.dk"
MAILBOX = "borgerservice@aarhus.dk"


@pytest.fixture
def smtp() -> Iterator[SmtpPeer]:
    with SmtpPeer() as peer:
        yield peer


def plain(peer: SmtpPeer) -> Settings:
    config = SmtpConfig("127.0.0.1", SENDER, SmtpSecurity.NONE, port=peer.port)
    return Settings(database_url="unused", smtp=config)


def send(session: Session, settings: Settings, clock: FakeClock | None = None) -> DispatchReport:
    return dispatch(session_uow(session), senders(settings), clock=clock or FakeClock())


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_abl_59_stk_11_email_has_the_rule_the_deadline_the_meeting_and_the_pdf(
    session: Session, smtp: SmtpPeer
) -> None:
    _, [notification] = first_year_notifications(session, children=2, cpr=CPR)
    configure(session, 751, emails=[MAILBOX])
    assert send(session, plain(smtp)).delivered == 1
    [mail] = smtp.mailbox.messages
    assert (mail.mail_from, mail.rcpt_tos) == (SENDER, [MAILBOX])
    message = mail.message
    assert message["Subject"] == (
        "Underretning om påkrav til anvist lejer (ABL § 59, stk. 11): Testvej 1-101, "
        "8000 Aarhus C – møde inden 23.04.2026"
    )
    assert message["X-Almen-Idempotency-Key"] == notification.idempotency_key
    assert message["Message-ID"] == f"<{notification.idempotency_key}@boligforening.dk>"
    assert message["Reply-To"] == "husleje@test.dk"
    text = mail.text
    for expected in (
        "Underretning efter almenboliglovens § 59, stk. 11",
        "sendt påkrav efter almenlejelovens § 90, stk. 2",
        "Kommunen skal indkalde lejeren til et møde",
        "Mødet skal finde sted inden påkravsfristens udløb (almenboliglovens § 59, stk. 12)",
        "Påkravsfrist: torsdag den 23. april 2026",
        "Lejer: Jens Hansen",
        "Adresse: Testvej 1-101, 8000 Aarhus C",
        "Børn under 18 år i husstanden: 2",
        "Dato: 9. april 2026, sendt med Digital Post",
        "6.500,00 kr.",
        "Påkravsgebyr",
        "6.835,00 kr.",
        "Mette Kristensen, tlf. 86 12 34 56, husleje@test.dk",
    ):
        assert expected in text, expected
    [(content_type, filename, pdf)] = mail.attachments()
    letter = session.exec(select(Letter)).one()
    assert (content_type, pdf) == ("application/pdf", letter.pdf)
    assert filename == f"paakrav-RS-{letter.case_id:06d}.pdf"
    assert "23" in pdf_text(pdf)
    for where in (mail.raw.decode("ascii"), text, pdf_text(pdf)):
        assert CPR not in where and "010190-1234" not in where
    done = reload(session, notification)
    assert (done.status, done.delivered_via) == ("delivered", "email")
    [attempt] = attempts(session, notification)
    assert attempt.receipt is not None and attempt.receipt.startswith("SMTP 250 2.0.0 Ok")


def test_all_92_stk_2_email_says_act_at_once_and_decide_within_14_days(
    session: Session, smtp: SmtpPeer
) -> None:
    notification = eviction_notification(session, children=3)
    configure(session, 751, emails=[MAILBOX])
    assert send(session, plain(smtp)).delivered == 1
    [mail] = smtp.mailbox.messages
    assert mail.message["Subject"] == (
        "Underretning om anmodning om udsættelse (ALL § 92, stk. 2): Testvej 1-101, "
        "8000 Aarhus C – børn i husstanden"
    )
    text = mail.text
    for expected in (
        "Underretning efter almenlejelovens § 92, stk. 2",
        "28. april 2026 indgivet anmodning til Fogedretten i Aarhus",
        "straks behandle spørgsmålet om hjælp",
        "(retssikkerhedslovens § 5 a, stk. 1 og 5)",
        "senest 12. maj 2026 (§ 5 a, stk. 2)",
        "Der er oplyst 3 børn under 18 år i husstanden.",
        "Ophævelse: 24. april 2026",
        "forudgående samtykke",
        "(retssikkerhedslovens § 5 a, stk. 3)",
    ):
        assert expected in text, expected
    [(_, filename, pdf)] = mail.attachments()
    assert filename.startswith("anmodning-om-udsaettelse-RS-") and pdf.startswith(b"%PDF-")
    assert notification.idempotency_key == mail.message["X-Almen-Idempotency-Key"]


def test_abl_59_stk_1_guarantee_claim_email(session: Session, smtp: SmtpPeer) -> None:
    t = mc.tenancy(session, assigned=True)
    mc.rent_jan_to_mar(session, t)
    case = mc.noticed_and_invoiced(session, t)
    settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
    post_settlement(
        session, case, actor="test", today=mc.SETTLE_ON,
        render_guarantee_claim=renderers().guarantee_claim,
    )  # fmt: skip
    configure(session, 751, emails=[MAILBOX])
    assert send(session, plain(smtp)).delivered == 1
    [mail] = smtp.mailbox.messages
    assert "Krav under kommunens garanti (ABL § 59, stk. 1)" in mail.message["Subject"]
    assert "2.730,00 kr." in mail.message["Subject"]
    assert "almenboliglovens § 59, stk. 1, jf. § 63, stk. 3" in mail.text
    [(_, filename, _)] = mail.attachments()
    assert filename == f"garantikrav-F-{case.id:05d}.pdf"


def test_smtp_refuses_twice_then_accepts_one_message_per_key(
    session: Session, smtp: SmtpPeer
) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=[MAILBOX])
    smtp.mailbox.refuse_data.extend(["451 4.3.0 Try again later"] * 2)
    clock = FakeClock()
    for _ in range(3):
        send(session, plain(smtp), clock)
        clock.advance(3600)
    history = attempts(session, notification)
    assert [a.outcome for a in history] == ["retry", "retry", "delivered"]
    assert history[0].receipt == f"SMTP 451 4.3.0 Try again later (to {MAILBOX})"
    assert len(smtp.mailbox.by_key(notification.idempotency_key)) == 1


def test_an_unknown_mailbox_is_a_dead_letter_with_the_servers_reason(
    session: Session, smtp: SmtpPeer
) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=["gone@aarhus.dk"])
    smtp.mailbox.unknown.add("gone@aarhus.dk")
    send(session, plain(smtp))
    dead = reload(session, notification)
    assert dead.status == NotificationStatus.DEAD_LETTER
    assert dead.dead_letter_reason == (
        "refused by the receiver (email): every recipient refused: gone@aarhus.dk: 550 5.1.1 "
        "no such mailbox here"
    )


def test_one_address_refused_the_other_gets_it(session: Session, smtp: SmtpPeer) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=["gone@aarhus.dk", MAILBOX])
    smtp.mailbox.unknown.add("gone@aarhus.dk")
    send(session, plain(smtp))
    assert reload(session, notification).status == NotificationStatus.DELIVERED
    [attempt] = attempts(session, notification)
    assert attempt.receipt is not None and "refused gone@aarhus.dk: 550" in attempt.receipt
    assert smtp.mailbox.messages[0].rcpt_tos == [MAILBOX]


def test_connection_refused_is_tried_again(session: Session) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=[MAILBOX])
    port = free_port()  # nothing listens there
    config = SmtpConfig("127.0.0.1", SENDER, SmtpSecurity.NONE, port=port, timeout_seconds=2)
    send(session, Settings(database_url="unused", smtp=config))
    failed = reload(session, notification)
    assert failed.status == NotificationStatus.FAILED
    [attempt] = attempts(session, notification)
    assert attempt.receipt is not None
    assert attempt.receipt.startswith(f"could not send through 127.0.0.1:{port}: ConnectionRefused")


@pytest.mark.parametrize("mode", ["starttls", "implicit"])
def test_tls_with_login(session: Session, tmp_path: Path, mode: str) -> None:
    context, ca_file = certificate_files(tmp_path)
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=[MAILBOX])
    with SmtpPeer(tls=mode, ssl_context=context, login=("almen", "hemmeligt")) as peer:
        config = SmtpConfig(
            "127.0.0.1", SENDER,
            SmtpSecurity.STARTTLS if mode == "starttls" else SmtpSecurity.TLS,
            port=peer.port, username="almen", password="hemmeligt", ca_file=str(ca_file),
        )  # fmt: skip
        report = send(session, Settings(database_url="unused", smtp=config))
        assert report.delivered == 1, attempts(session, notification)[0].receipt
        assert peer.mailbox.logins == ["almen"] and len(peer.mailbox.messages) == 1
    assert reload(session, notification).status == NotificationStatus.DELIVERED


def test_starttls_is_required_never_plain(session: Session, smtp: SmtpPeer) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=[MAILBOX])
    config = SmtpConfig("127.0.0.1", SENDER, SmtpSecurity.STARTTLS, port=smtp.port)
    send(session, Settings(database_url="unused", smtp=config))
    assert smtp.mailbox.messages == []
    [attempt] = attempts(session, notification)
    assert attempt.receipt is not None and "does not offer STARTTLS" in attempt.receipt


def test_a_wrong_login_is_tried_again(session: Session, tmp_path: Path) -> None:
    context, ca_file = certificate_files(tmp_path)
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=[MAILBOX])
    with SmtpPeer(tls="starttls", ssl_context=context, login=("almen", "rigtigt")) as peer:
        config = SmtpConfig(
            "127.0.0.1", SENDER, SmtpSecurity.STARTTLS, port=peer.port, username="almen",
            password="forkert", ca_file=str(ca_file),
        )  # fmt: skip
        send(session, Settings(database_url="unused", smtp=config))
    [attempt] = attempts(session, notification)
    assert attempt.outcome == "retry"
    assert attempt.receipt is not None and "refused the login: 535" in attempt.receipt


def test_settings_from_the_environment() -> None:
    assert smtp_from_env({}) is None
    config = smtp_from_env(
        {"ALMEN_SMTP_HOST": "smtp.example.dk", "ALMEN_MAIL_FROM": SENDER,
         "ALMEN_SMTP_SECURITY": "tls", "ALMEN_SMTP_USER": "u", "ALMEN_SMTP_PASSWORD": "p"}
    )  # fmt: skip
    assert config is not None and (config.effective_port, config.security) == (465, "tls")
    for env, message in (
        ({"ALMEN_SMTP_HOST": "smtp.example.dk"}, "ALMEN_MAIL_FROM"),
        ({"ALMEN_SMTP_HOST": "smtp.example.dk", "ALMEN_MAIL_FROM": SENDER,
          "ALMEN_SMTP_SECURITY": "none"}, "only to a server on this machine"),
        ({"ALMEN_SMTP_HOST": "h.dk", "ALMEN_MAIL_FROM": SENDER, "ALMEN_SMTP_SECURITY": "ssl"},
         "starttls, tls or none"),
        ({"ALMEN_SMTP_HOST": "h.dk", "ALMEN_MAIL_FROM": SENDER, "ALMEN_SMTP_PORT": "x"},
         "ALMEN_SMTP_PORT must be a number"),
        ({"ALMEN_SMTP_HOST": "h.dk", "ALMEN_MAIL_FROM": SENDER, "ALMEN_SMTP_USER": "u"},
         "go together"),
        ({"ALMEN_SMTP_HOST": "h.dk", "ALMEN_MAIL_FROM": "nobody"}, "not an e-mail address"),
    ):  # fmt: skip
        with pytest.raises(ValueError, match=message):
            smtp_from_env(env)
    with pytest.raises(ValueError, match="ALMEN_NOTIFY_MAX_ATTEMPTS must be 1-50"):
        Settings.from_env({"ALMEN_NOTIFY_MAX_ATTEMPTS": "0"})


def test_the_mail_folder_keeps_each_message_as_an_eml_file(
    session: Session, tmp_path: Path
) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=[MAILBOX])
    send(session, Settings(database_url="unused", mail_dir=str(tmp_path)))
    [path] = sorted(tmp_path.glob("*.eml"))
    assert path.name == f"{notification.idempotency_key}-1.eml"
    assert b"X-Almen-Idempotency-Key: " + notification.idempotency_key.encode() in path.read_bytes()
    assert reload(session, notification).status == NotificationStatus.DELIVERED
