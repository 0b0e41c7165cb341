"""Helpers for the authentication tests: logging in step by step, enrolling a second factor."""

from __future__ import annotations

import time
from typing import Any

import pyotp
from praclox_testsupport import TEST_PASSWORD, remember_secret


def post_login(client: Any, email: str, password: str = TEST_PASSWORD, **kw: Any) -> Any:
    return client.post("/login", data={"email": email, "password": password}, **kw)


def login_client(app: Any, user: Any, *, agent: str = "pytest", password: str = TEST_PASSWORD) -> Any:
    """A fresh test client logged in (password step only) as ``user``."""
    client = app.test_client()
    response = post_login(client, user.email, password, headers={"User-Agent": agent})
    assert response.status_code == 302, response.data[:300]
    return client


def enrol(app: Any, user: Any) -> str:
    """Give ``user`` a confirmed second factor directly through the services; returns the secret."""
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


def without_second_factor_exemption(app_config: dict[str, Any]) -> dict[str, Any]:
    """The production rules: admin and privacy officer must use a second factor; sessions time out."""
    config = dict(app_config)
    config.pop("TWO_FACTOR_ROLES", None)
    config.pop("SESSION_TIME_LIMITS", None)
    return config


def with_session_time_limits(app_config: dict[str, Any]) -> dict[str, Any]:
    """The production session rules: idle and absolute timeouts, the re-authentication window."""
    config = dict(app_config)
    config.pop("SESSION_TIME_LIMITS", None)
    return config
