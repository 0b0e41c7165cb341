"""E-mails that tell a user their sign-in details changed, so that a change they did not make stands out."""

from __future__ import annotations

import logging

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _

from praclox import mail
from praclox.auth.models import User
from praclox.forms import one_line

log = logging.getLogger("praclox.auth.notices")

EVENTS = ("password_changed", "password_reset", "two_factor_on", "two_factor_off", "recovery_codes")


def _what(event: str) -> str:
    return {
        "password_changed": _("Your password was changed."),
        "password_reset": _("Your password was set with a reset link."),
        "two_factor_on": _("Two-step login was switched on for your account."),
        "two_factor_off": _("Two-step login was switched off for your account."),
        "recovery_codes": _("New recovery codes were made for your account; the old ones no longer work."),
    }[event]


def send_notice(user: User, event: str) -> bool:
    """Tell ``user`` by e-mail about a change to how they sign in; True when the mail went out."""
    if event not in EVENTS:
        raise ValueError(f"unknown notice {event!r}")
    if not has_request_context():  # from the command line: the user's language, else the default
        with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
            return _send(user, event)
    return _send(user, event)


def _send(user: User, event: str) -> bool:
    base = current_app.config["BASE_URL"].rstrip("/")
    text = _(
        "Hello %(name)s,\n\n%(what)s\n\nIf you did this yourself, there is nothing to do. If not, choose a new "
        "password at once at %(url)s and tell the administrator.\n",
        name=one_line(user.name), what=_what(event), url=f"{base}/password-reset",
    )
    try:
        mail.send_mail(user.email, _("Praclox CRM: your sign-in details changed"), text)
    except mail.MailNotConfigured:
        log.info("notice %s not sent: no SMTP host configured", event)
        return False
    except mail.MailFailed:
        return False
    log.info("notice %s sent to 1 account holder", event)
    return True
