"""Helpers for the authentication tests: logging in step by step, enrolling a second factor."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from praclox_testsupport import TEST_PASSWORD, remember_secret


def post_login(client: Any, email: str, password: str = TEST_PASSWORD, **kw: Any) -> Any:
    return client.post("/login", data={"email": email, "password": password}, **kw)


def enrol(app: Any, user: Any) -> str:
    """Give ``user`` a confirmed second factor directly through the services; returns the secret."""
    from praclox.auth import totp
    from praclox.auth.models import User
    from praclox.extensions import db

    with app.test_request_context():
        person = db.session.get(User, user.id)
        factor = totp.start_enrolment(person)
        secret = factor.secret
        step = int(time.time() // 30) - 3  # an old step, so that the current code is still fresh
        assert totp.check_code(factor, pyotp.TOTP(secret).at(step * 30), at=step * 30)
        factor.confirmed_at = factor.created_at
        db.session.commit()
    return remember_secret(secret)


def code_for(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


@pytest.fixture
def enforced_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The production rule: admin and privacy officer must use a second factor."""
    config = dict(app_config)
    config.pop("TWO_FACTOR_ROLES")
    return config
