"""Composition of the notification dispatcher: which sender per channel (SMTP or a folder of
.eml files for e-mail, httpx for webhooks), the retry policy, and the dispatch the nightly
run, ``almen serve`` and the CLI call."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from app.nightly import AfterCommit
from app.settings import Settings
from integrations.email import EmailSender, MailDirTransport, SmtpTransport, UnconfiguredMail
from integrations.webhook import WebhookSender
from ledger.types import utc_now
from workflows.notifications.dispatch import (
    DispatchReport,
    Sender,
    Senders,
    UnitOfWork,
    dispatch,
)
from workflows.notifications.models import DeliveryMethod
from workflows.notifications.policy import RetryPolicy

log = logging.getLogger("almen.notifications")


def senders(settings: Settings, *, mail_dir: Path | None = None) -> Senders:
    """The sender per channel. E-mail: ``mail_dir`` if given, else SMTP if set up, else
    ``ALMEN_MAIL_DIR``, else a sender that says e-mail is not set up."""
    email: Sender
    if mail_dir is not None:
        email = EmailSender(MailDirTransport(mail_dir))
    elif settings.smtp is not None:
        email = EmailSender(SmtpTransport(settings.smtp))
    elif settings.mail_dir:
        email = EmailSender(MailDirTransport(Path(settings.mail_dir)))
    else:
        email = UnconfiguredMail()
    return {
        DeliveryMethod.EMAIL: email,
        DeliveryMethod.WEBHOOK: WebhookSender(timeout_seconds=settings.webhook_timeout_seconds),
    }


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(max_attempts=settings.notify_max_attempts)


def dispatch_now(
    unit_of_work: UnitOfWork,
    settings: Settings,
    *,
    organisation_id: int | None = None,
    clock: Callable[[], datetime] = utc_now,
    mail_dir: Path | None = None,
) -> DispatchReport:
    """Send what is due now (one organisation's, or all)."""
    return dispatch(
        unit_of_work,
        senders(settings, mail_dir=mail_dir),
        clock=clock,
        policy=retry_policy(settings),
        organisation_id=organisation_id,
    )


def nightly_dispatch(settings: Settings, *, mail_dir: Path | None = None) -> AfterCommit:
    """The nightly run's last step, after the organisation's transaction committed: send its
    new notifications the same night. A failure here never undoes the night's work; what was
    not sent stays in the outbox for the next round."""

    def after_commit(unit_of_work: UnitOfWork, organisation_id: int) -> Mapping[str, Any]:
        try:
            report = dispatch_now(
                unit_of_work, settings, organisation_id=organisation_id, mail_dir=mail_dir
            )
        except Exception as exc:  # the outbox keeps the notifications; say why
            log.exception("dispatch after the nightly run of organisation %s", organisation_id)
            return {"error": f"{type(exc).__name__}: {exc}"}
        return report.as_dict()

    return after_commit
