"""Consent by e-mail: signed, single-use links that record consent (or withdraw it) without a login."""

from __future__ import annotations

import logging
import secrets
from datetime import date, timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from praclox import mail
from praclox.applicants import services
from praclox.applicants.models import Applicant, Consent, ConsentLink
from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import add_months, now, today
from praclox.extensions import db
from praclox.settings import services as settings

log = logging.getLogger("praclox.applicants.consent")

GIVE_MAX_AGE = timedelta(days=14)
#: a withdrawal link must outlive any consent it can end
WITHDRAW_MAX_AGE = timedelta(days=800)


class ConsentLinkError(ValueError):
    """A consent link that cannot be used: ``code`` is ``invalid``, ``expired`` or ``used``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="praclox.applicants.consent")


def _load(token: str, purpose: str, max_age: timedelta) -> dict[str, object]:
    try:
        data = _serializer().loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as exc:
        raise ConsentLinkError("expired") from exc
    except BadSignature as exc:
        raise ConsentLinkError("invalid") from exc
    if not isinstance(data, dict) or data.get("p") != purpose or not isinstance(data.get("a"), int):
        raise ConsentLinkError("invalid")
    return data


def _link(endpoint: str, token: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, token=token)


def give_link(applicant: Applicant) -> str:
    """A new single-use link that records consent (its nonce is stored; the caller commits)."""
    nonce = secrets.token_urlsafe(16)
    db.session.add(ConsentLink(nonce=nonce, applicant_id=applicant.id))
    db.session.flush()
    return _link("consent.give", _serializer().dumps({"a": applicant.id, "n": nonce, "p": "give"}))


def withdraw_link(applicant: Applicant) -> str:
    return _link("consent.withdraw", _serializer().dumps({"a": applicant.id, "p": "withdraw"}))


def send_request(applicant: Applicant, *, renewal: bool = False, actor: User | None) -> None:
    """E-mail the applicant a consent request; raises ApplicantError("email"), MailNotConfigured or MailFailed.

    The caller commits after a successful send (the link's nonce is part of the transaction).
    """
    if not applicant.email:
        raise services.ApplicantError("email")
    context = {
        "applicant": applicant, "give": give_link(applicant), "withdraw": withdraw_link(applicant),
        "months": settings.get(services.CONSENT_MONTHS), "days": GIVE_MAX_AGE.days, "renewal": renewal,
    }
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        subject = _("Renew your consent: may we keep your application?") if renewal else _(
            "May we keep your application for future vacancies?")
        body = render_template("applicants/mail/consent_request.txt", **context)
    mail.queue_mail(applicant.email, subject, body, kind="applicants.consent")
    audit("update", applicant, fields=["consent_request"], actor=actor)


def peek(token: str) -> Applicant:
    """The applicant a give-consent link is for, checking signature, age and single use; changes nothing."""
    data = _load(token, "give", GIVE_MAX_AGE)
    link = db.session.get(ConsentLink, str(data.get("n")))
    if link is None or link.applicant_id != data["a"]:
        raise ConsentLinkError("invalid")
    if link.used_at is not None:
        raise ConsentLinkError("used")
    applicant = db.session.get(Applicant, link.applicant_id)
    if applicant is None:
        raise ConsentLinkError("invalid")
    return applicant


def give_by_link(token: str) -> Consent:
    """Record consent from a signed link; the link can never be used again. The caller commits."""
    applicant = peek(token)
    data = _load(token, "give", GIVE_MAX_AGE)
    link = db.session.get(ConsentLink, str(data["n"]))
    if link is None:  # peek checked it; a link deleted in between is simply invalid
        raise ConsentLinkError("invalid")
    link.used_at = now()
    evidence = (f"Given through the signed e-mail link (request {link.nonce[:8]}, sent "
                f"{link.sent_at:%Y-%m-%d %H:%M} UTC), confirmed {link.used_at:%Y-%m-%d %H:%M} UTC.")
    return services.record_consent(applicant, given_on=today(), method="email", evidence=evidence, actor=None)


def withdraw_target(token: str) -> Applicant:
    data = _load(token, "withdraw", WITHDRAW_MAX_AGE)
    applicant = db.session.get(Applicant, data["a"])
    if applicant is None:
        raise ConsentLinkError("invalid")
    return applicant


def withdraw_by_link(token: str) -> int:
    """Withdraw every consent the applicant holds; returns how many. The caller commits."""
    applicant = withdraw_target(token)
    day = today()
    return sum(services.withdraw_consent(c, day, actor=None) for c in applicant.consents if c.withdrawn_on is None)


def send_renewal_requests(as_of: date | None = None) -> dict[str, int]:
    """Ask for renewal once, a configured number of months before a consent expires; counts only."""
    as_of = as_of or today()
    horizon = add_months(as_of, int(settings.get(services.RENEWAL_MONTHS)))
    consents = db.session.scalars(
        select(Consent).where(Consent.withdrawn_on.is_(None), Consent.renewal_requested_on.is_(None),
                              Consent.expires_on > as_of, Consent.expires_on <= horizon)
    ).all()
    counts = {"asked": 0, "no_email": 0, "failed": 0}
    for consent in consents:
        try:
            send_request(consent.applicant, renewal=True, actor=None)
        except services.ApplicantError:
            counts["no_email"] += 1
            consent.renewal_requested_on = as_of  # nothing to send to; do not try every day
        else:
            consent.renewal_requested_on = as_of
            counts["asked"] += 1
        db.session.commit()
    return counts
