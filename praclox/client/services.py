"""The client area's sign-in: single-use e-mail links (15 minutes) and its own signed cookie.

The client session shares nothing with the staff session: its own cookie name, path ``/client``, its
own signing salt. A registrant whose access is withdrawn, whose office link is removed or whose
account is closed is out at the next request, because every request checks the registration again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from praclox import mail
from praclox.audit.services import record as audit
from praclox.client.models import UsedClientNonce
from praclox.clock import now
from praclox.db import utcnow
from praclox.extensions import db
from praclox.registrations.models import Registration, Status
from praclox.registrations.services import get_by_email

log = logging.getLogger("praclox.client")

COOKIE_NAME = "praclox_client"
COOKIE_PATH = "/client"
LINK_MAX_AGE = timedelta(minutes=15)
LINK_PAUSE = timedelta(minutes=1)
SESSION_MAX_AGE = timedelta(hours=12)
LINK_SALT = "praclox.client.login-link"
SESSION_SALT = "praclox.client.session"
CSRF_SALT = b"praclox.client.csrf"
#: the nonce that ties a login link's POST to the browser that opened the link (SameSite=Strict)
LINK_COOKIE = "praclox_client_link"
LINK_COOKIE_PATH = "/client/login"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _eligible(registration: Registration | None) -> Registration | None:
    return registration if registration is not None and registration.may_use_client_area else None


# --- login links --------------------------------------------------------------------------------


def login_token(registration: Registration) -> str:
    """A signed single-use login link token: registration, session version and a fresh nonce."""
    nonce = secrets.token_urlsafe(24)
    return _serializer(LINK_SALT).dumps({"r": registration.id, "v": registration.client_session_version, "n": nonce})


def _read_link(token: str) -> tuple[Registration, str] | None:
    if not token or len(token) > 500:
        return None
    try:
        data = _serializer(LINK_SALT).loads(token, max_age=int(LINK_MAX_AGE.total_seconds()))
        registration_id, version, nonce = int(data["r"]), int(data["v"]), str(data["n"])
    except (BadSignature, SignatureExpired, KeyError, TypeError, ValueError):
        return None
    registration = _eligible(db.session.get(Registration, registration_id))
    if registration is None or registration.client_session_version != version:
        return None
    return registration, nonce


def new_link_nonce() -> str:
    return secrets.token_urlsafe(32)


def same_browser(origin: str | None, host_url: str, cookie_nonce: str | None, form_nonce: str | None) -> bool:
    """Whether a login link's POST comes from the page the link opened, in the same browser.

    A browser sends ``Origin`` with every POST; when it is there it must be this site. The nonce must be in
    both the form and the cookie: an attacker's page can put one in its form, but cannot make the visitor's
    browser send the cookie along with a cross-site POST (SameSite=Strict), nor read it.
    """
    if origin is not None and origin.rstrip("/") != host_url.rstrip("/"):
        return False
    if not cookie_nonce or not form_nonce:
        return False
    return hmac.compare_digest(cookie_nonce.encode(), form_nonce.encode())


def link_is_valid(token: str) -> bool:
    """Whether the link could sign in now (the page with the button; nothing is used up)."""
    found = _read_link(token)
    return found is not None and db.session.get(UsedClientNonce, _nonce_key(found[1])) is None


def _nonce_key(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def use_link(token: str) -> Registration | None:
    """Sign in with a link: valid, not expired, not used before. Records the used nonce; the caller commits."""
    found = _read_link(token)
    if found is None:
        return None
    registration, nonce = found
    try:
        db.session.add(UsedClientNonce(nonce=_nonce_key(nonce), used_at=utcnow()))
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    registration.last_login_at = utcnow()
    if registration.status == Status.PENDING.value:
        # the link reached the inbox: the address is confirmed
        registration.status, registration.status_changed_at = Status.ACTIVE.value, utcnow()
    audit("login", registration, fields=["last_login_at"], actor=None)
    db.session.flush()
    return registration


def link_recipient(email: str) -> Registration | None:
    """The registrant a login link is due for, or None (unknown, no access, or asked within a minute).

    Marks the link as sent; the caller answers the same either way and mails after the answer.
    """
    registration = _eligible(get_by_email(email))
    if registration is None:
        return None
    sent = registration.login_link_sent_at
    if sent is not None and now() - sent < LINK_PAUSE:
        return None  # someone keeps asking: one link a minute is enough for the real person
    registration.login_link_sent_at = utcnow()
    return registration


def send_link(registration: Registration) -> bool:
    """Mail a fresh single-use login link; True when the relay took it."""
    url = current_app.config["BASE_URL"].rstrip("/") + url_for("client.magic", token=login_token(registration))
    text = render_template("client/mail_login.txt", registration=registration, url=url,
                           minutes=int(LINK_MAX_AGE.total_seconds() // 60))
    try:
        mail.send_mail(registration.email, _("Your login link for the Praclox client area"), text)
    except (mail.MailNotConfigured, mail.MailFailed):
        log.warning("client login link not sent")
        return False
    return True


def forget_used_nonces(older_than: timedelta = timedelta(days=1)) -> int:
    """Used nonces outlive their links by far after a day; remove them."""
    result = db.session.execute(delete(UsedClientNonce).where(UsedClientNonce.used_at < now() - older_than))
    return result.rowcount or 0


# --- the client session cookie ------------------------------------------------------------------


def session_value(registration: Registration) -> str:
    """The signed value of the client cookie for this registrant."""
    return _serializer(SESSION_SALT).dumps({"r": registration.id, "v": registration.client_session_version})


def registration_from_cookie(value: str | None) -> Registration | None:
    """The registration this cookie belongs to, if it still may use the client area."""
    if not value or len(value) > 500:
        return None
    try:
        data = _serializer(SESSION_SALT).loads(value, max_age=int(SESSION_MAX_AGE.total_seconds()))
        registration_id, version = int(data["r"]), int(data["v"])
    except (BadSignature, SignatureExpired, KeyError, TypeError, ValueError):
        return None
    registration = _eligible(db.session.get(Registration, registration_id))
    if registration is None or registration.client_session_version != version:
        return None
    return registration


def csrf_token(cookie_value: str) -> str:
    """A form token bound to this client session (the client area does not use the staff session)."""
    key = current_app.config["SECRET_KEY"].encode() + CSRF_SALT
    return hmac.new(key, cookie_value.encode(), hashlib.sha256).hexdigest()


def csrf_ok(cookie_value: str, presented: str | None) -> bool:
    """Whether a form carried the token of this client session."""
    return bool(presented) and hmac.compare_digest(csrf_token(cookie_value), presented or "")


def logout(registration: Registration) -> None:
    """End every client session of this registrant."""
    registration.client_session_version += 1
    audit("logout", registration, actor=None)
