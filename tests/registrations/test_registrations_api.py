"""POST /api/registrations: key auth, strict validation, idempotency, no leak of known addresses."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from praclox.extensions import db
from praclox.registrations import services
from praclox.registrations.models import ApiKey, Registration

URL = "/api/registrations"


def post(client, body, key=None, **kwargs):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, headers=headers, content_type=kwargs.pop("content_type", "application/json"))


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Registration))


def test_a_valid_registration_is_stored_lower_cased_and_pending(app, client, api_key):
    response = post(client, {"name": "Anna de Vries", "email": "Anna.de.Vries@Example.NL", "newsletter": True,
                             "evidence": "form /nieuwsbrief, text v2"}, api_key)
    assert response.status_code == 202 and response.get_json() == {"status": "accepted"}
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert registration.email == "anna.de.vries@example.nl"
        assert registration.status == "pending" and registration.source == "api"
        assert registration.newsletter and registration.newsletter_confirmed_at is None
        assert registration.newsletter_opt_in_at is not None
        assert "Website" in registration.newsletter_evidence and "text v2" in registration.newsletter_evidence


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wrong-key", "Basic abc", "bearer ", "Token x"])
def test_without_a_valid_key_the_answer_is_401_json_and_nothing_is_stored(app, client, api_key, header):
    headers = {"Authorization": header} if header else {}
    response = client.post(URL, json={"name": "A", "email": "a@example.nl"}, headers=headers)
    assert response.status_code == 401 and response.is_json
    assert response.get_json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count(app) == 0


def test_a_revoked_key_no_longer_works(app, client, api_key, make_user):
    admin = make_user("admin")
    with app.app_context():
        key = db.session.scalar(select(ApiKey))
        services.revoke_api_key(key, actor=admin)
        db.session.commit()
    response = post(client, {"name": "A", "email": "a@example.nl"}, api_key)
    assert response.status_code == 401 and count(app) == 0


def test_only_the_hash_of_a_key_is_stored_and_use_is_recorded(app, client, api_key):
    post(client, {"name": "A", "email": "a@example.nl"}, api_key)
    with app.app_context():
        key = db.session.scalar(select(ApiKey))
        assert key.key_hash == services.hash_key(api_key) and api_key not in (key.key_hash, key.prefix)
        assert key.last_used_at is not None
    assert len(api_key) >= 4 + 43  # 256 bits of url-safe base64


@pytest.mark.parametrize("body, field", [
    ({"name": "A", "email": "a@example.nl", "admin": True}, "admin"),
    ({"name": "A", "email": "a@example.nl", "client_access": True}, "client_access"),
    ({"name": "A" * 121, "email": "a@example.nl"}, "name"),
    ({"name": "A", "email": "a" * 250 + "@example.nl"}, "email"),
    ({"name": "A", "email": "not-an-address"}, "email"),
    ({"name": "A", "email": "a@example.nl", "evidence": "x" * 501}, "evidence"),
    ({"name": "A", "email": "a@example.nl", "newsletter": "true"}, "newsletter"),
    ({"name": "A", "email": "a@example.nl", "newsletter": 1}, "newsletter"),
    ({"name": 42, "email": "a@example.nl"}, "name"),
    ({"name": ["A"], "email": "a@example.nl"}, "name"),
    ({"name": "A\x00B", "email": "a@example.nl"}, "name"),
    ({"name": "<script>alert(1)</script>", "email": "a@example.nl"}, "name"),
    ({"name": "   ", "email": "a@example.nl"}, "name"),
    ({"email": "a@example.nl"}, "name"),
    ({"name": "A"}, "email"),
])
def test_bad_bodies_get_400_with_the_field_and_store_nothing(app, client, api_key, body, field):
    response = post(client, body, api_key)
    assert response.status_code == 400, response.data
    error = response.get_json()
    assert error["error"] == "invalid" and error["field"] == field and error["message"]
    assert count(app) == 0


@pytest.mark.parametrize("raw, content_type", [
    ("not json", "application/json"),
    ("[1, 2]", "application/json"),
    ('"text"', "application/json"),
    (b"\xff\xfe{}", "application/json"),
    ('{"name": "A", "email": "a@example.nl"}', "text/plain"),
])
def test_bodies_that_are_not_a_json_object_get_400(app, client, api_key, raw, content_type):
    response = post(client, raw, api_key, content_type=content_type)
    assert response.status_code == 400 and response.get_json()["error"] == "invalid"
    assert count(app) == 0


def test_an_oversized_body_gets_413_json(app, client, api_key):
    response = post(client, {"name": "A", "email": "a@example.nl", "evidence": "x" * 9000}, api_key)
    assert response.status_code == 413 and response.get_json()["error"] == "too_large"
    assert count(app) == 0


def test_posting_the_same_address_twice_keeps_one_registration_and_the_same_answer(app, client, api_key):
    first = post(client, {"name": "Anna", "email": "anna@example.nl"}, api_key)
    second = post(client, {"name": "Someone Else", "email": "ANNA@example.nl"}, api_key)
    assert (first.status_code, first.get_json()) == (second.status_code, second.get_json())
    assert first.data == second.data
    with app.app_context():
        assert [r.name for r in db.session.scalars(select(Registration))] == ["Anna"]


def test_the_answer_does_not_reveal_an_address_that_is_already_active(app, client, api_key, make_registration):
    make_registration(email="known@example.nl", status="active")
    known = post(client, {"name": "X", "email": "known@example.nl"}, api_key)
    unknown = post(client, {"name": "Y", "email": "unknown@example.nl"}, api_key)
    assert known.status_code == unknown.status_code == 202
    assert known.data == unknown.data
    assert set(known.headers.keys()) == set(unknown.headers.keys())


def test_a_get_on_the_api_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_the_api_needs_no_csrf_token(app_config, api_key, app):
    response = post(app.test_client(csrf_token=False), {"name": "A", "email": "a@example.nl"}, api_key)
    assert response.status_code == 202


def test_a_registration_that_loses_the_race_for_a_new_address_is_answered_like_a_known_one(
        app, client, api_key, monkeypatch):
    # two website posts of one new address at once: the other request commits between this one's look-up and
    # its insert (seen as a 500 for one of eight concurrent posts under gunicorn on PostgreSQL)
    body = {"name": "Samen Tegelijk", "email": "samen@example.org"}
    assert post(client, body, api_key).status_code == 202
    looked_up = services.get_by_email
    calls = []

    def not_yet_committed_at_first(email):
        calls.append(email)
        return None if len(calls) == 1 else looked_up(email)

    monkeypatch.setattr(services, "get_by_email", not_yet_committed_at_first)
    response = post(client, body, api_key)
    assert response.status_code == 202 and response.get_json() == {"status": "accepted"}
    assert count(app) == 1 and len(calls) >= 2
    with app.app_context():
        assert db.session.scalar(select(Registration)).name == "Samen Tegelijk"
