"""E-mail delivery of municipality notifications: the message (``compose``), SMTP with
STARTTLS or implicit TLS and optional login (``smtp``), and a folder of ``.eml`` files for the
demo and for machines without a mail server (``MailDirTransport``)."""

from integrations.email.compose import build_message
from integrations.email.sender import EmailSender, UnconfiguredMail
from integrations.email.smtp import MailDirTransport, SmtpConfig, SmtpSecurity, SmtpTransport

__all__ = [
    "EmailSender",
    "MailDirTransport",
    "SmtpConfig",
    "SmtpSecurity",
    "SmtpTransport",
    "UnconfiguredMail",
    "build_message",
]
