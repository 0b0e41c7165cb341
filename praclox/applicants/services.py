"""Write paths for vacancies, applicants, their status, consents given by staff and legal holds.

The others live beside this file: the retention rule and the purge in ``purge.py``, documents in
``documents.py``, consent by e-mailed link in ``consent.py``, erasure on request in ``privacy.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select

from praclox.applicants.models import (
    CONSENT_METHODS,
    DECIDED,
    STATUS_VALUES,
    TRANSITIONS,
    Applicant,
    Consent,
    RejectionReason,
    Status,
    StatusChange,
    Vacancy,
)
from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import add_months, today
from praclox.db import like_pattern
from praclox.extensions import db
from praclox.settings import services as settings

APPLICANT_FIELDS = ("name", "email", "phone", "vacancy_id", "applied_on", "source", "notes")

#: setting keys (declared in ``praclox/applicants/__init__.py``)
REJECTED_DAYS = "retention.applicants_rejected_days"
HIRED_DAYS = "retention.applicants_hired_days"
CONSENT_MONTHS = "retention.consent_months"
RENEWAL_MONTHS = "retention.consent_renewal_months"
STALE_MONTHS = "retention.pipeline_stale_months"


class ApplicantError(ValueError):
    """An applicant operation that cannot be done as asked; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- vacancies and rejection reasons ----------------------------------------------------------


def create_vacancy(title: str, is_open: bool = True, *, actor: User | None) -> Vacancy:
    """Open a vacancy."""
    vacancy = Vacancy(title=title.strip(), is_open=is_open)
    db.session.add(vacancy)
    db.session.flush()
    audit("create", vacancy, fields=["title", "is_open"], actor=actor)
    return vacancy


def update_vacancy(vacancy: Vacancy, title: str, is_open: bool, *, actor: User | None) -> None:
    """Rename a vacancy or open / close it."""
    changed = [name for name, value in (("title", title.strip()), ("is_open", is_open))
               if getattr(vacancy, name) != value]
    vacancy.title, vacancy.is_open = title.strip(), is_open
    if changed:
        audit("update", vacancy, fields=changed, actor=actor)


def create_reason(label: str, *, actor: User | None) -> RejectionReason:
    """Add a rejection reason to the list recruiters choose from."""
    label = label.strip()
    if db.session.scalar(select(RejectionReason).where(func.lower(RejectionReason.label) == label.lower())):
        raise ApplicantError("duplicate")
    reason = RejectionReason(label=label)
    db.session.add(reason)
    db.session.flush()
    audit("create", reason, fields=["label"], actor=actor)
    return reason


def set_reason_active(reason: RejectionReason, active: bool, *, actor: User | None) -> None:
    """Hide a reason from new rejections (the history keeps it) or show it again."""
    if reason.active != active:
        reason.active = active
        audit("update", reason, fields=["active"], actor=actor)


# --- applicants ---------------------------------------------------------------------------------


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for name in APPLICANT_FIELDS:
        if name in data:
            value = data[name]
            out[name] = (value.strip() or None) if isinstance(value, str) else value
    return out


def _check_vacancy(vacancy_id: Any) -> None:
    if vacancy_id is None or db.session.get(Vacancy, vacancy_id) is None:
        raise ApplicantError("vacancy")


def create_applicant(data: Mapping[str, Any], *, actor: User | None) -> Applicant:
    """Register an application; it starts as new, with its first history entry."""
    values = _clean(data)
    _check_vacancy(values.get("vacancy_id"))
    if not values.get("name"):
        raise ApplicantError("name")
    applied_on = values.get("applied_on") or today()
    if applied_on > today():
        raise ApplicantError("future")
    values["applied_on"] = applied_on
    applicant = Applicant(status=Status.NEW.value, last_activity_on=today(), **values)
    db.session.add(applicant)
    db.session.flush()
    db.session.add(StatusChange(applicant_id=applicant.id, from_status=None, to_status=Status.NEW.value,
                                by_id=getattr(actor, "id", None)))
    audit("create", applicant, fields=[f for f in APPLICANT_FIELDS if getattr(applicant, f) is not None], actor=actor)
    return applicant


def update_applicant(applicant: Applicant, data: Mapping[str, Any], *, actor: User | None) -> list[str]:
    """Change an applicant's details; returns the names of the changed fields."""
    values = _clean(data)
    if "vacancy_id" in values:
        _check_vacancy(values["vacancy_id"])
    if values.get("applied_on") and values["applied_on"] > today():
        raise ApplicantError("future")
    if "name" in values and not values["name"]:
        raise ApplicantError("name")
    changed = []
    for name, value in values.items():
        if getattr(applicant, name) != value:
            setattr(applicant, name, value)
            changed.append(name)
    if changed:
        applicant.last_activity_on = today()
        audit("update", applicant, fields=changed, actor=actor)
    return changed


def change_status(
    applicant: Applicant, to_status: str, *, decided_on: date | None = None,
    reason: RejectionReason | None = None, actor: User | None,
) -> StatusChange:
    """Move an applicant along the pipeline; a hire, rejection or withdrawal needs its decision date."""
    if to_status not in STATUS_VALUES or to_status not in TRANSITIONS[applicant.status]:
        raise ApplicantError("transition")
    if to_status in DECIDED:
        decided_on = decided_on or today()
        if decided_on > today():
            raise ApplicantError("future")
        if decided_on < applicant.applied_on:
            raise ApplicantError("before_applied")
    else:
        decided_on = None
    if to_status == Status.REJECTED.value:
        if reason is None or not reason.active:
            raise ApplicantError("reason")
    else:
        reason = None
    change = StatusChange(
        applicant_id=applicant.id, from_status=applicant.status, to_status=to_status, decided_on=decided_on,
        reason_id=reason.id if reason else None, by_id=getattr(actor, "id", None),
    )
    db.session.add(change)
    applicant.status, applicant.decided_on = to_status, decided_on
    applicant.last_activity_on = today()
    db.session.flush()
    audit("update", applicant, fields=["status", "decided_on"], actor=actor)
    return change


def set_legal_hold(applicant: Applicant, reason: str | None, *, actor: User | None) -> None:
    """Place a legal hold (with a reason) that stops the purge, or lift it with ``None``."""
    reason = (reason or "").strip() or None
    applicant.legal_hold, applicant.legal_hold_reason = reason is not None, reason
    audit("update", applicant, fields=["legal_hold", "legal_hold_reason"], actor=actor)


# --- consent ------------------------------------------------------------------------------------


def record_consent(applicant: Applicant, *, given_on: date, method: str, evidence: str, actor: User | None) -> Consent:
    """Record consent to keep the data for future vacancies; it expires after the configured months."""
    if method not in CONSENT_METHODS:
        raise ApplicantError("method")
    if given_on > today():
        raise ApplicantError("future")
    if not evidence.strip():
        raise ApplicantError("evidence")
    consent = Consent(
        applicant=applicant, given_on=given_on, method=method, evidence=evidence.strip(),
        expires_on=add_months(given_on, int(settings.get(CONSENT_MONTHS))),
    )
    db.session.add(consent)
    applicant.last_activity_on = today()
    db.session.flush()
    audit("create", consent, fields=["given_on", "method", "evidence", "expires_on"], actor=actor)
    return consent


def withdraw_consent(consent: Consent, on: date | None = None, *, actor: User | None) -> bool:
    """Withdraw a consent; the next purge run removes the applicant. False if it was already withdrawn."""
    if consent.withdrawn_on is not None:
        return False
    consent.withdrawn_on = on or today()
    audit("update", consent, fields=["withdrawn_on"], actor=actor)
    return True


def current_consent(applicant: Applicant, day: date | None = None) -> Consent | None:
    day = day or today()
    return next((c for c in applicant.consents if c.valid_on(day)), None)


# --- queries ------------------------------------------------------------------------------------


def applicant_search(query: str = "", status: str = "", vacancy_id: int | None = None) -> Select[Any]:
    stmt = select(Applicant)
    query = query.strip()
    if query:
        like = like_pattern(query)
        stmt = stmt.where(or_(func.lower(Applicant.name).like(like, escape="\\"),
                              func.lower(Applicant.email).like(like, escape="\\")))
    if status in STATUS_VALUES:
        stmt = stmt.where(Applicant.status == status)
    if vacancy_id:
        stmt = stmt.where(Applicant.vacancy_id == vacancy_id)
    return stmt.order_by(Applicant.applied_on.desc(), Applicant.id.desc())
