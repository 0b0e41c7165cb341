"""The applicants domain's personal data: declared fields, and find / export / erase for the privacy toolkit."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

from sqlalchemy import func, or_, select

from praclox.applicants.documents import read_document, remove_after_commit
from praclox.applicants.models import Applicant
from praclox.applicants.purge import purge_applicant
from praclox.clock import today
from praclox.extensions import db
from praclox.privacy.registry import Hit, PersonalField, SubjectQuery

_VISIBLE = ("recruiter", "admin")
_RETENTION = "retention.applicants_rejected_days"


def _field(table: str, column: str, category: str, purpose: str, encrypted: bool = False) -> PersonalField:
    return PersonalField(table, column, category, purpose, "legitimate interest", _RETENTION, encrypted, _VISIBLE)


FIELDS: list[PersonalField] = [
    _field("applicants", "name", "identity", "Handle the application for a vacancy."),
    _field("applicants", "email", "contact details", "Contact the applicant about the application."),
    _field("applicants", "phone", "contact details", "Contact the applicant about the application."),
    _field("applicants", "applied_on", "application", "Know when the application came in."),
    _field("applicants", "source", "application", "Know how the applicant found the vacancy."),
    _field("applicants", "notes", "application", "Keep the recruiter's impressions of the procedure.", True),
    _field("applicants", "status", "application", "Follow the application through the procedure."),
    _field("applicants", "decided_on", "application", "Start the retention period from the decision."),
    _field("applicants", "legal_hold_reason", "application", "Record why the data must be kept longer."),
    _field("applicant_status_changes", "to_status", "application", "Keep the history of the procedure."),
    _field("applicant_status_changes", "reason_id", "application", "Record why an application was rejected."),
    _field("applicant_documents", "original_name", "application", "Show the name of a CV or letter.", True),
    dataclasses.replace(_field("applicant_documents", "content", "application", "Assess the CV and the letter.", True),
                        stored_in="file"),
    PersonalField("applicant_consents", "evidence", "consent",
                  "Prove the consent to keep the application for future vacancies.", "consent",
                  "retention.consent_months", True, _VISIBLE),
    PersonalField("applicant_consents", "given_on", "consent", "Know how long the consent holds.", "consent",
                  "retention.consent_months", False, _VISIBLE),
]


def find(query: SubjectQuery) -> list[Hit]:
    """Applicants matching the name (part), the e-mail address or the phone number."""
    if query.is_empty():
        return []
    conditions = []
    if query.name:
        conditions.append(func.lower(Applicant.name).contains(query.name.strip().lower(), autoescape=True))
    if query.email:
        conditions.append(func.lower(Applicant.email) == query.email.strip().lower())
    if query.phone:
        conditions.append(Applicant.phone == query.phone.strip())
    hits = []
    for applicant in db.session.scalars(select(Applicant).where(or_(*conditions)).order_by(Applicant.id)):
        hits.append(Hit(
            domain="applicants", record_type="applicants", record_id=applicant.id,
            person_key=(applicant.email or applicant.name).lower(),
            label=f"Applicant for {applicant.vacancy.title}",
        ))
    return hits


def export(hits: list[Hit]) -> dict[str, Any]:
    """Everything held about these applicants, documents included (base64)."""
    out = []
    for hit in hits:
        applicant = db.session.get(Applicant, hit.record_id)
        if applicant is None:
            continue
        out.append({
            "name": applicant.name, "email": applicant.email, "phone": applicant.phone,
            "vacancy": applicant.vacancy.title, "applied_on": applicant.applied_on.isoformat(),
            "source": applicant.source, "notes": applicant.notes, "status": applicant.status,
            "decided_on": applicant.decided_on.isoformat() if applicant.decided_on else None,
            "legal_hold": applicant.legal_hold,
            "history": [{"at": c.at.isoformat(), "from": c.from_status, "to": c.to_status,
                         "reason": c.reason.label if c.reason else None} for c in applicant.history],
            "consents": [{"given_on": c.given_on.isoformat(), "method": c.method, "evidence": c.evidence,
                          "expires_on": c.expires_on.isoformat(),
                          "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None}
                         for c in applicant.consents],
            "documents": [{"name": d.original_name, "kind": d.kind, "type": d.file_type,
                           "content_base64": base64.b64encode(read_document(d)).decode("ascii")}
                          for d in applicant.documents],
        })
    return {"applicants": out}


def erase(hits: list[Hit]) -> dict[str, int]:
    """Purge these applicants now (tombstone rule ``erasure_request``), unless under a legal hold.

    The caller commits; the document files are removed when it does.
    """
    counts = {"applicants": 0, "held": 0}
    files: list[str] = []
    for hit in hits:
        applicant = db.session.get(Applicant, hit.record_id)
        if applicant is None:
            continue
        if applicant.legal_hold:
            counts["held"] += 1
            continue
        files += purge_applicant(applicant.id, "erasure_request", today(), recheck=False)
        db.session.expunge(applicant)
        counts["applicants"] += 1
    remove_after_commit(files)
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
