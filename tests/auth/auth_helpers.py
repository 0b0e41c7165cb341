"""Helpers for the authentication tests: logging in step by step, enrolling a second factor."""

from __future__ import annotations

import time
from typing import Any

import pyotp
from praclox_testsupport import TEST_PASSWORD, log_in, remember_secret


def post_login(client: Any, email: str, password: str = TEST_PASSWORD, **kw: Any) -> Any:
    return client.post("/login", data={"email": email, "password": password}, **kw)


def login_client(app: Any, user: Any, *, agent: str = "pytest", password: str = TEST_PASSWORD) -> Any:
    """A fresh test client logged in as ``user`` (with the authenticator's code when the user has one)."""
    client = app.test_client()
    response = log_in(client, user.email, password, headers={"User-Agent": agent})
    assert response.status_code == 302, response.data[:300]
    return client


def enrol(app: Any, user: Any) -> str:
    """Give ``user`` a confirmed second factor directly through the services; returns the secret (the one
    ``make_user`` enrolled for a role that requires it)."""
    if getattr(user, "totp_secret", None):
        return user.totp_secret
    from praclox.auth import totp
    from praclox.auth.models import User
    from praclox.clock import now
    from praclox.extensions import db

    with app.test_request_context():
        person = db.session.get(User, user.id)
        factor = totp.start_enrolment(person)
        secret = factor.secret
        factor.confirmed_at = now()
        db.session.commit()
    return remember_secret(secret)


def code_for(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)

