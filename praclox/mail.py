"""Outgoing e-mail through the company's own SMTP relay (STARTTLS when offered)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger("praclox.mail")

#: RFC 5322's line limit (998) instead of the folding width 78: a header whose value is one long word, such as
#: ``List-Unsubscribe: <https://…/r/unsubscribe/TOKEN>``, cannot be folded and would otherwise go out as an
#: RFC 2047 encoded word, which mail programs do not read as the URL of RFC 2369
POLICY = default_policy.clone(max_line_length=998)


class MailNotConfigured(RuntimeError):
    """No SMTP host is configured; callers skip sending and say so in the log."""


class MailFailed(RuntimeError):
    """The relay refused or could not be reached; callers retry at their next run."""


def is_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def build_message(to: str, subject: str, text: str, html: str | None = None,
                  headers: dict[str, str] | None = None) -> EmailMessage:
    message = EmailMessage(policy=POLICY)
    message["From"] = current_app.config["SMTP_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=current_app.config["SMTP_FROM"].split("@")[-1])
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(message: EmailMessage) -> None:
    """Send one message; raises MailNotConfigured or MailFailed. Never logs addresses or content."""
    config = current_app.config
    host = config.get("SMTP_HOST")
    if not host:
        raise MailNotConfigured("PRACLOX_SMTP_HOST is not set")
    try:
        with smtplib.SMTP(host, int(config.get("SMTP_PORT") or 25), timeout=config["SMTP_TIMEOUT"]) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail not sent: %s", type(exc).__name__)
        raise MailFailed(type(exc).__name__) from exc


def send_mail(to: str, subject: str, text: str, html: str | None = None,
              headers: dict[str, str] | None = None) -> None:
    send(build_message(to, subject, text, html, headers))
