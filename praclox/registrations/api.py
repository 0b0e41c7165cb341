"""``POST /api/registrations``: the website hands over new registrations, with an API key.

The answer never tells whether the address was already known: new, repeated and existing
registrations all get the same 202.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from praclox.extensions import csrf, db
from praclox.forms import is_one_line
from praclox.registrations import mailing, ratelimit, services
from praclox.security import body_limit

log = logging.getLogger("praclox.registrations")

bp = Blueprint("registrations_api", __name__, url_prefix="/api")
csrf.exempt(bp)

MAX_BODY = 8 * 1024
#: field: (type, required, max length)
SCHEMA: dict[str, tuple[type, bool, int]] = {
    "name": (str, True, 120),
    "email": (str, True, 254),
    "newsletter": (bool, False, 0),
    "evidence": (str, False, 500),
}


class Invalid(ValueError):
    """The body breaks the schema; ``field`` and ``problem`` go back to the caller."""

    def __init__(self, field: str | None, problem: str) -> None:
        super().__init__(problem)
        self.field, self.problem = field, problem


def _error(status: int, code: str, message: str, field: str | None = None,
           retry_after: int | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": code, "message": message}
    if field:
        body["field"] = field
    response = jsonify(body)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="praclox"'
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response, status


def _too_many(wait: int) -> tuple[Response, int]:
    db.session.rollback()
    return _error(429, "rate_limited", f"too many requests; try again in {wait} seconds", retry_after=wait)


def _parse_body() -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise Invalid(None, "the body must be JSON (Content-Type: application/json)")
    raw = request.get_data(cache=False)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Invalid(None, "the body is not valid UTF-8 JSON") from exc
    if not isinstance(data, dict):
        raise Invalid(None, "the body must be a JSON object")
    return data


def validate(data: dict[str, Any]) -> services.Submitted:
    """Check a registration body strictly: known fields only, right types, sane lengths."""
    unknown = sorted(set(data) - set(SCHEMA))
    if unknown:
        raise Invalid(unknown[0], "unknown field")
    for field, (kind, required, max_length) in SCHEMA.items():
        value = data.get(field)
        if value is None:
            if required:
                raise Invalid(field, "required")
            continue
        # bool is a subclass of int, and nothing else may stand in for a bool or a string
        if type(value) is not kind:
            raise Invalid(field, f"must be a {'boolean' if kind is bool else 'string'}")
        if kind is str:
            if len(value) > max_length:
                raise Invalid(field, f"at most {max_length} characters")
            if not is_one_line(value):  # every field is one line; the name goes into a mail
                raise Invalid(field, "contains control characters or line breaks")
            if required and not value.strip():
                raise Invalid(field, "required")
    name = data["name"].strip()
    if "<" in name or ">" in name:
        raise Invalid("name", "contains characters that are not allowed")
    try:
        email = validate_email(data["email"].strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid("email", "not a valid e-mail address") from exc
    if len(email) > 254:
        raise Invalid("email", "at most 254 characters")
    evidence = (data.get("evidence") or "").strip() or None
    return services.Submitted(name=name, email=email, newsletter=bool(data.get("newsletter")), evidence=evidence)


@bp.route("/registrations", methods=["POST"])
@body_limit(MAX_BODY)
def create_registration() -> tuple[Response, int]:
    """Accept one registration from the website."""
    # the address first: guessing keys from one address is slowed like any other flood
    wait = ratelimit.address_wait()
    if wait:
        return _too_many(wait)
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    key = services.api_key_for(presented.strip()) if scheme.lower() == "bearer" else None
    if key is None:
        db.session.rollback()
        ratelimit.count(ratelimit.address_bucket())
        db.session.commit()
        return _error(401, "unauthorized", "a valid API key is needed: Authorization: Bearer <key>")
    wait = ratelimit.key_wait(key)
    if wait:
        return _too_many(wait)
    ratelimit.count(ratelimit.address_bucket(), ratelimit.key_bucket(key))
    if (request.content_length or 0) > MAX_BODY:
        db.session.commit()  # keep last_used_at
        return _error(413, "too_large", f"the body may be at most {MAX_BODY} bytes")
    try:
        submitted = validate(_parse_body())
    except RequestEntityTooLarge:  # a chunked body, refused once what was read passed the limit
        db.session.commit()
        return _error(413, "too_large", f"the body may be at most {MAX_BODY} bytes")
    except Invalid as exc:
        db.session.commit()
        return _error(400, "invalid", exc.problem, exc.field)
    evidence = f"key '{key.name}'" + (f", {submitted.evidence}" if submitted.evidence else "")
    registration, due = services.register(
        services.Submitted(submitted.name, submitted.email, submitted.newsletter, evidence[:500]), source="api"
    )
    if due and services.confirmation_may_be_sent(registration):
        # into the outbox with the registration (one commit); the scheduler mails it, so the answer's timing
        # tells nothing, and concurrent posts of one address share one confirmation key
        mailing.send_confirmation(registration)
    key_id = key.id  # read before the commit, which would load the key again
    db.session.commit()
    log.info("registration accepted via API key %d", key_id)
    return jsonify({"status": "accepted"}), 202
