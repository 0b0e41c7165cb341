"""Logging a fresh test client in as an existing user."""

from __future__ import annotations

from typing import Any

from praclox_testsupport import TEST_PASSWORD


def login_client(app: Any, user: Any, *, agent: str = "pytest", password: str = TEST_PASSWORD) -> Any:
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": password},
                           headers={"User-Agent": agent})
    assert response.status_code == 302, response.data[:300]
    return client
