"""The lockout notice and its unlock link: the account holder's own way in while others guess their password.

The link is signed (itsdangerous) over the user id and the session version, valid for a day, and useless once
the password changes. Opening it shows a button (mail scanners open links); the POST marks this browser's
session as unlocked for that account for an hour, so the all-addresses ceiling no longer applies there. The
per-address limits still do: an unlock does not buy an attacker extra guesses.
"""

from __future__ import annotations

import logging
import time

from flask import current_app, session
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from praclox import mail
from praclox.auth.models import User
from praclox.extensions import db
from praclox.forms import one_line

log = logging.getLogger("praclox.auth.unlock")

SALT = "praclox.auth.unlock"
LINK_MAX_AGE = 24 * 3600
UNLOCKED_SECONDS = 3600
SESSION_KEY = "unlocked"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user: User) -> str:
    return _serializer().dumps([user.id, user.session_version])


def user_for(token: str) -> User | None:
    """The active user a valid unlock link names, or None."""
    if not token or len(token) > 300:
        return None
    try:
        user_id, version = _serializer().loads(token, max_age=LINK_MAX_AGE)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(version, int):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def mark_browser(user: User) -> None:
    """This browser may log in to ``user``'s account despite the all-addresses ceiling, for an hour."""
    session[SESSION_KEY] = [user.id, int(time.time()) + UNLOCKED_SECONDS]


def browser_unlocked_for(user: User | None) -> bool:
    value = session.get(SESSION_KEY)
    if user is None or not isinstance(value, list) or len(value) != 2:
        return False
    user_id, until = value
    return user_id == user.id and isinstance(until, int) and until > time.time()


def tell_user_of_attempts(user: User) -> bool:
    """Mail the account holder about failed logins, with the unlock link and the reset page; True when sent."""
    base = current_app.config["BASE_URL"].rstrip("/")
    text = _(
        "Hello %(name)s,\n\nThere were several failed attempts to log in to your Praclox CRM account. The "
        "addresses they came from are slowed down; if many addresses keep trying, the account is closed to "
        "logins from other browsers.\n\nTo log in anyway, open this link in your browser within a day:\n\n"
        "%(link)s\n\nIf the attempts were not yours, choose a new password at %(url)s.\n",
        name=one_line(user.name), link=f"{base}/unlock/{make_token(user)}", url=f"{base}/password-reset",
    )
    try:
        mail.send_mail(user.email, _("Praclox CRM: failed login attempts"), text)
    except mail.MailNotConfigured:
        log.warning("lockout notice not sent: no SMTP host configured")
        return False
    except mail.MailFailed:
        return False
    log.info("lockout notice sent to 1 account holder")
    return True
