"""The applicants domain's personal data: declared fields, and find / export / erase for the privacy toolkit."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from praclox import phones
from praclox.applicants.documents import read_document
from praclox.applicants.models import Applicant
from praclox.applicants.purge import purge_applicant
from praclox.applicants.services import CONSENT_MONTHS, REJECTED_DAYS
from praclox.auth.models import User
from praclox.clock import today
from praclox.extensions import db
from praclox.privacy.records import Correctable, RecordKind
from praclox.privacy.registry import Hit, Identity, PersonalField, Retention, SubjectQuery

_VISIBLE = ("recruiter", "admin")
#: the periods are live settings, filled in with their units by the register (praclox/privacy/register.py)
_RETENTION = Retention(_l("Deleted %(period)s after a rejection or withdrawal, unless the applicant consents "
                          "to our keeping the application for future vacancies."), REJECTED_DAYS)
_CONSENT_RETENTION = Retention(_l("As long as the consent holds: %(period)s from when it is given, or until it is "
                                  "withdrawn."), CONSENT_MONTHS)


def _field(table: str, column: str, category: str, purpose: Any, encrypted: bool = False) -> PersonalField:
    return PersonalField(table, column, category, purpose, "legitimate interest", _RETENTION, encrypted, _VISIBLE)


FIELDS: list[PersonalField] = [
    _field("applicants", "name", "identity", _l("Handle the application for a vacancy.")),
    _field("applicants", "email", "contact details", _l("Contact the applicant about the application.")),
    _field("applicants", "phone", "contact details", _l("Contact the applicant about the application.")),
    _field("applicants", "applied_on", "application", _l("Know when the application came in.")),
    _field("applicants", "source", "application", _l("Know how the applicant found the vacancy.")),
    _field("applicants", "notes", "application", _l("Keep the recruiter's impressions of the procedure."), True),
    _field("applicants", "status", "application", _l("Follow the application through the procedure.")),
    _field("applicants", "decided_on", "application", _l("Start the retention period from the decision.")),
    _field("applicants", "legal_hold_reason", "application", _l("Record why the data must be kept longer.")),
    _field("applicant_status_changes", "to_status", "application", _l("Keep the history of the procedure.")),
    _field("applicant_status_changes", "reason_id", "application", _l("Record why an application was rejected.")),
    _field("applicant_documents", "original_name", "application", _l("Show the name of a CV or letter."), True),
    dataclasses.replace(_field("applicant_documents", "content", "application", _l("Assess the CV and the letter."),
                               True), stored_in="file"),
    PersonalField("applicant_consents", "evidence", "consent",
                  _l("Prove the consent to keep the application for future vacancies."), "consent",
                  _CONSENT_RETENTION, True, _VISIBLE),
    PersonalField("applicant_consents", "given_on", "consent", _l("Know how long the consent holds."), "consent",
                  _CONSENT_RETENTION, False, _VISIBLE),
]


def find(query: SubjectQuery) -> list[Hit]:
    """Applicants matching the name (part), the e-mail address or the phone number written any way
    (+31 6 1234 5678 = 06-12345678, as the contacts are found)."""
    if query.is_empty():
        return []
    conditions = []
    if query.name:
        conditions.append(func.lower(Applicant.name).contains(query.name.strip().lower(), autoescape=True))
    if query.email:
        conditions.append(func.lower(Applicant.email) == query.email.strip().lower())
    if phones.normalise(query.phone):
        conditions.append(Applicant.phone.is_not(None))  # compared normalised below: SQL cannot
    if not conditions:
        return []
    hits = []
    for applicant in db.session.scalars(select(Applicant).where(or_(*conditions)).order_by(Applicant.id)):
        if not _matches(applicant, query):
            continue
        hits.append(Hit(
            domain="applicants", record_type="applicants", record_id=applicant.id,
            person_key=(applicant.email or applicant.name).lower(),
            label=_("Applicant for %(vacancy)s", vacancy=applicant.vacancy.title),
            identity=Identity(names=(applicant.name,), emails=(applicant.email or "",),
                              phones=(applicant.phone or "",), own=frozenset({("applicant", applicant.id)})),
        ))
    return hits


def _matches(applicant: Applicant, query: SubjectQuery) -> bool:
    if query.name and query.name.strip().lower() in applicant.name.lower():
        return True
    if query.email and (applicant.email or "").lower() == query.email.strip().lower():
        return True
    return phones.same_number(query.phone, applicant.phone)


def export(hits: list[Hit]) -> dict[str, Any]:
    """Everything held about these applicants, one list per table; document contents in base64."""
    out: dict[str, list[dict[str, Any]]] = {
        "applicants": [], "applicant_status_changes": [], "applicant_consents": [], "applicant_documents": []}
    for hit in hits:
        applicant = db.session.get(Applicant, hit.record_id)
        if applicant is None:
            continue
        out["applicants"].append({
            "id": applicant.id, "name": applicant.name, "email": applicant.email, "phone": applicant.phone,
            "vacancy": applicant.vacancy.title, "applied_on": _iso(applicant.applied_on),
            "source": applicant.source, "notes": applicant.notes, "status": applicant.status,
            "decided_on": _iso(applicant.decided_on), "legal_hold": applicant.legal_hold,
            "legal_hold_reason": applicant.legal_hold_reason,
            "last_activity_on": _iso(applicant.last_activity_on),
        })
        out["applicant_status_changes"] += [{
            "id": c.id, "applicant_id": applicant.id, "at": c.at.isoformat(), "from_status": c.from_status,
            "to_status": c.to_status, "reason_id": c.reason_id, "reason": c.reason.label if c.reason else None,
            "decided_on": _iso(c.decided_on)} for c in sorted(applicant.history, key=lambda c: c.id)]
        out["applicant_consents"] += [{
            "id": c.id, "applicant_id": applicant.id, "given_on": c.given_on.isoformat(), "method": c.method,
            "evidence": c.evidence, "expires_on": c.expires_on.isoformat(),
            "withdrawn_on": _iso(c.withdrawn_on)} for c in applicant.consents]
        out["applicant_documents"] += [{
            "id": d.id, "applicant_id": applicant.id, "original_name": d.original_name, "kind": d.kind,
            "file_type": d.file_type, "size": d.size, "content_encoding": "base64",
            "content": base64.b64encode(read_document(d)).decode("ascii")} for d in applicant.documents]
    return out


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    """Purge these applicants now (tombstone rule ``erasure_request``), unless under a legal hold.

    The caller commits; the document files go in the same transaction.
    """
    counts = {"applicants": 0, "held": 0}
    for hit in hits:
        applicant = db.session.get(Applicant, hit.record_id)
        if applicant is None:
            continue
        if applicant.legal_hold:
            counts["held"] += 1
            continue
        purge_applicant(applicant.id, "erasure_request", today(), recheck=False, actor=actor)
        db.session.expunge(applicant)
        counts["applicants"] += 1
    return counts


#: Columns that hold no personal data by themselves: the tombstone is personal-data-free by design, vacancies and
#: reasons are the company's own lists, and the rest is process metadata that is purged with the applicant.
NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "applicant_tombstones": ("public_id", "vacancy_title", "decided_on", "purged_on", "rule"),
    "rejection_reasons": ("label",),
    "vacancies": ("title",),
    "applicants": ("last_activity_on",),
    "retention_report_subscriptions": ("last_sent_month",),
    "applicant_consent_links": ("sent_at", "used_at"),
    "applicant_consents": ("method", "expires_on", "withdrawn_on", "renewal_requested_on"),
    "applicant_documents": ("kind", "stored_name", "file_type", "size", "uploaded_at"),
    "applicant_status_changes": ("at", "from_status", "decided_on"),
}


def _save(applicant: Applicant, changes: dict[str, Any], *, actor: User | None) -> list[str]:
    from praclox.applicants import services

    return services.update_applicant(applicant, changes, actor=actor)


#: the recruiter's notes and the source are free text that may name someone else too
RECORDS = [
    RecordKind("applicants", Applicant, lambda a: _("Applicant for %(vacancy)s", vacancy=a.vacancy.title),
               free_text=("notes", "source"),
               fields=(Correctable("name", _l("Name"), required=True), Correctable("email", _l("E-mail"), "email"),
                       Correctable("phone", _l("Phone"), "phone"), Correctable("source", _l("Source"), max_length=100),
                       Correctable("notes", _l("Notes"), "long", 10000)),
               save=_save, scopes={"id": "applicant"}),
]


#: long text the subject search does not read: all of it is about the applicant themselves and goes with them
NOT_FREE_TEXT: dict[str, tuple[str, ...]] = {
    "applicants": ("legal_hold_reason",), "applicant_consents": ("evidence",),
    "applicant_documents": ("original_name",),
}
