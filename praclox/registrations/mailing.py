"""The mails registrants get: the double opt-in confirmation and the newsletter, with signed links.

The links carry a signed (itsdangerous) registration id and address: a changed address invalidates
older links. Confirmation links expire after seven days; unsubscribe links never do.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from datetime import timedelta

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from praclox import mail
from praclox.extensions import db
from praclox.registrations import services
from praclox.registrations.models import Registration

log = logging.getLogger("praclox.registrations")

CONFIRM_MAX_AGE = timedelta(days=7)
CONFIRM_SALT = "praclox.registrations.confirm"
UNSUBSCRIBE_SALT = "praclox.registrations.unsubscribe"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _address_digest(email: str) -> str:
    """Stands in for the address in links: links end up in access logs, the address must not."""
    return hashlib.sha256(email.encode("utf-8")).hexdigest()[:16]


def _token(registration: Registration, salt: str) -> str:
    return _serializer(salt).dumps([registration.id, _address_digest(registration.email)])


def _load(token: str, salt: str, max_age: timedelta | None) -> Registration | None:
    if not token or len(token) > 500:
        return None
    try:
        seconds = int(max_age.total_seconds()) if max_age else None
        registration_id, digest = _serializer(salt).loads(token, max_age=seconds)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    if not isinstance(registration_id, int) or not isinstance(digest, str):
        return None
    registration = db.session.get(Registration, registration_id)
    if registration is None or not hmac.compare_digest(_address_digest(registration.email), digest):
        return None
    return registration


def _absolute(endpoint: str, **values: str) -> str:
    """An absolute link on ``BASE_URL``, also from the command line (no request there)."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def confirm_url(registration: Registration) -> str:
    """The absolute confirmation link (valid seven days)."""
    return _absolute("registrations_public.confirm", token=_token(registration, CONFIRM_SALT))


def unsubscribe_url(registration: Registration) -> str:
    """The absolute one-click unsubscribe link (never expires)."""
    return _absolute("registrations_public.unsubscribe", token=_token(registration, UNSUBSCRIBE_SALT))


def registration_from_confirm_token(token: str) -> Registration | None:
    """The registration a valid, unexpired confirmation link names, or None."""
    return _load(token, CONFIRM_SALT, CONFIRM_MAX_AGE)


def registration_from_unsubscribe_token(token: str) -> Registration | None:
    """The registration a valid unsubscribe link names, or None."""
    return _load(token, UNSUBSCRIBE_SALT, None)


def unsubscribe_headers(registration: Registration) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: mail programs show an unsubscribe button that POSTs once."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(registration)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_confirmation(registration: Registration) -> bool:
    """Mail the confirmation link; True when sent. The caller commits (the sent time is recorded)."""
    text = render_template(
        "registrations/mail_confirm.txt", registration=registration, url=confirm_url(registration),
        days=CONFIRM_MAX_AGE.days,
    )
    try:
        mail.send_mail(registration.email, _("Please confirm your registration with Praclox"), text)
    except mail.MailNotConfigured:
        log.warning("confirmation mail not sent: no SMTP relay configured")
        return False
    except mail.MailFailed:
        return False
    services.mark_confirmation_sent(registration)
    return True


def send_newsletter(subject: str, body: str, *, on_sent: Callable[[int], None] | None = None) -> dict[str, int]:
    """Send one newsletter to everyone on the confirmed list, each with their own unsubscribe link;
    ``on_sent(1)`` after each message (the command's progress)."""
    counts = {"sent": 0, "failed": 0}
    recipients = services.confirmed_list()
    for registration in recipients:
        text = render_template(
            "registrations/mail_newsletter.txt", body=body, url=unsubscribe_url(registration)
        )
        try:
            mail.send_mail(registration.email, subject, text, headers=unsubscribe_headers(registration))
        except mail.MailFailed:
            counts["failed"] += 1
        else:
            counts["sent"] += 1
        if on_sent is not None:
            on_sent(1)
    log.info("newsletter: %d sent, %d failed", counts["sent"], counts["failed"])
    return counts
