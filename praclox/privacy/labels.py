"""Readable names of the tables and columns that hold personal data, for the processing register and the
subject-access overview (which goes to the person who asked: no database names there)."""

from __future__ import annotations

import re
from datetime import date, datetime
from importlib import import_module
from typing import Any

from flask_babel import format_date, format_datetime, gettext
from flask_babel import lazy_gettext as _l

from praclox.vocabulary import Vocabulary

TABLES: dict[str, Any] = {
    "offices": _l("Offices"), "contacts": _l("Contact persons"), "interactions": _l("Contact moments"),
    "personal_dates": _l("Personal dates"), "date_congratulations": _l("Congratulations"),
    "registrations": _l("Website registrations"), "wishes": _l("Wishes"), "follow_ups": _l("Follow-ups"),
    "applicants": _l("Applications"),
    "applicant_status_changes": _l("Application history"), "applicant_documents": _l("Application documents"),
    "applicant_consents": _l("Consents to keep an application"), "users": _l("User accounts"),
    "user_roles": _l("Roles"), "user_sessions": _l("Login sessions"), "login_attempts": _l("Login attempts"),
    "password_reset_tokens": _l("Password reset links"), "recovery_codes": _l("Recovery codes"),
    "totp_factors": _l("Two-step login"), "privacy_requests": _l("Privacy requests"),
    "privacy_suppressions": _l("Suppression list"), "settings": _l("Settings"), "audit_entries": _l("Audit trail"),
    "support_grants": _l("Support access"), "date_feeds": _l("Calendar feeds"),
    "vacancies": _l("Vacancies"), "rejection_reasons": _l("Rejection reasons"), "api_keys": _l("API keys"),
    "applicant_tombstones": _l("Purged applications"), "privacy_tombstones": _l("Erasures"),
    "processing_register": _l("Processing register"), "encryption_keys": _l("Encryption keys"),
    "retention_report_subscriptions": _l("Retention report subscriptions"), "job_runs": _l("Job runs"),
    "outbox_mails": _l("Outgoing mails"), "office_conversions": _l("Conversions to client"),
    "office_search_terms": _l("Search terms of offices"), "contact_search_terms": _l("Search terms of contact persons"),
    "interaction_search_terms": _l("Search terms of contact moments"),
    "endpoint_uses": _l("Page use counts"), "attachments": _l("Attachments"),
    "tags": _l("Tags"), "office_tags": _l("Tags of offices"),
    "mentions": _l("Free text that names the person"), "privacy_review_items": _l("Records to check after an erasure"),
}

#: a column's name in any table; ``TABLE_COLUMNS`` overrides it where a table means something else by it
COLUMNS: dict[str, Any] = {
    "endpoint": _l("Page or action"),
    "id": _l("Number"), "name": _l("Name"), "email": _l("E-mail address"), "phone": _l("Phone"),
    "mobile": _l("Mobile"), "notes": _l("Notes"), "status": _l("Status"), "kind": _l("Kind"),
    "first_name": _l("First name"), "last_name": _l("Last name"), "job_title": _l("Job title"),
    "active": _l("Active"), "left_on": _l("Left on"), "needs_review": _l("To be reviewed"),
    "office_id": _l("Office"), "contact_id": _l("Contact person"), "created_at": _l("Created"),
    "updated_at": _l("Last changed"), "visit_street": _l("Visiting address"), "visit_postcode": _l("Postcode"),
    "visit_city": _l("City"), "postal_street": _l("Postal address"), "postal_postcode": _l("Postal code (post)"),
    "postal_city": _l("City (post)"), "website": _l("Website"), "kvk_number": _l("Chamber of Commerce number"),
    "became_client_at": _l("Client since"), "occurred_on": _l("Date"), "summary": _l("Summary"),
    "logged_by_id": _l("Logged by"), "month": _l("Month"), "day": _l("Day"), "year": _l("Year"),
    "person_name": _l("Name of child or partner"), "gender": _l("Daughter or son / Abraham or Sarah"),
    "leap_rule": _l("29 February observed on"), "ended_on": _l("Ended on"), "end_reason": _l("Reason it ended"),
    "version": _l("Version"), "personal_date_id": _l("Date"), "occurrence_year": _l("Year congratulated"),
    "half": _l("Half-year jubilee"), "how": _l("How congratulated"), "by_id": _l("By"),
    "newsletter": _l("Newsletter"), "newsletter_opt_in_at": _l("Newsletter requested"),
    "newsletter_evidence": _l("How the newsletter was requested"),
    "newsletter_confirmed_at": _l("Newsletter confirmed"), "confirmation_sent_at": _l("Confirmation link sent"),
    "client_access": _l("Access to the client area"), "last_login_at": _l("Last login"),
    "login_link_sent_at": _l("Login link sent"), "client_session_version": _l("Client area session"),
    "status_changed_at": _l("Status changed"), "source": _l("Source"), "title": _l("Title"),
    "description": _l("Description"), "priority": _l("Priority"), "requested_on": _l("Requested on"),
    "target_date": _l("Target date"), "requested_by_id": _l("Requested by"), "vacancy_id": _l("Vacancy"),
    "applied_on": _l("Applied on"), "decided_on": _l("Decided on"), "last_activity_on": _l("Last activity"),
    "legal_hold": _l("Legal hold"), "legal_hold_reason": _l("Reason for the legal hold"),
    "applicant_id": _l("Application"), "at": _l("Time"), "from_status": _l("From status"),
    "to_status": _l("To status"), "reason_id": _l("Rejection reason"), "original_name": _l("File name"),
    "stored_name": _l("Stored file"), "file_type": _l("File type"), "size": _l("Size (bytes)"),
    "uploaded_at": _l("Uploaded"), "content": _l("Content"), "given_on": _l("Given on"), "method": _l("Method"),
    "evidence": _l("Evidence"), "expires_on": _l("Expires on"), "withdrawn_on": _l("Withdrawn on"),
    "renewal_requested_on": _l("Renewal requested on"), "locale": _l("Language"),
    "password_hash": _l("Password (hashed)"), "must_change_password": _l("Must change password"),
    "session_version": _l("Session version"), "role": _l("Role"), "roles": _l("Roles"),
    "requester_name": _l("Name of the requester"), "requester_contact": _l("Contact of the requester"),
    "received_on": _l("Received on"), "due_on": _l("Due on"), "extended": _l("Extended"),
    "extension_reason": _l("Reason for the extension"), "completed_on": _l("Completed on"),
    "handled_by_id": _l("Handled by"), "outcome": _l("Outcome"), "email_hash": _l("E-mail address (keyed hash)"),
    "value": _l("Value"), "actor_id": _l("Done by"), "reason": _l("Reason"), "key": _l("Session key"),
    "authenticated_at": _l("Logged in"), "last_seen_at": _l("Last seen"), "user_agent": _l("Browser"),
    "account_key": _l("Account (keyed hash)"), "address_key": _l("Network address (keyed hash)"),
    "bucket": _l("API key or network address (keyed hash)"),
    "token_hash": _l("Link (hashed)"), "expires_at": _l("Expires"), "used_at": _l("Used"),
    "code_hash": _l("Code (hashed)"), "secret": _l("Secret (encrypted)"), "confirmed_at": _l("Confirmed"),
    "last_step": _l("Last code used"), "user_id": _l("User"), "success": _l("Succeeded"),
    "office": _l("Office"), "contact": _l("Contact person"), "occasions": _l("Occasions"),
    "label": _l("Label"), "is_open": _l("Open"), "requester": _l("Requester"), "kinds": _l("Kinds"),
    "show_child_names": _l("Show children's names"), "include_follow_ups": _l("My follow-ups"),
    "leap_day_observed": _l("29 February observed on"), "congratulations": _l("Congratulations"),
    "half_jubilee": _l("Half-year jubilee"),
    "recipient": _l("Recipient"), "subject": _l("Subject"), "body": _l("Message text"), "headers": _l("Mail headers"),
    "sent_at": _l("Sent at"), "owner_id": _l("Owner"), "done": _l("Done"), "done_by_id": _l("Done by"),
    "done_at": _l("Done at"),
    "converted_at": _l("Became a client on"), "converted_by_id": _l("Converted by"), "edited_at": _l("Edited on"),
    "phone_key": _l("Phone (digits only, for searching)"), "mobile_key": _l("Mobile (digits only, for searching)"),
    "name_block": _l("Name (first letters, for finding duplicates)"),
    "email_key": _l("E-mail address (lower case, for finding duplicates)"),
    "website_key": _l("Website (host only, for finding duplicates)"),
    "account_manager_id": _l("Account manager"), "tags": _l("Tags"), "tag_group": _l("Tag group"),
    "tag_id": _l("Tag"),
}

TABLE_COLUMNS: dict[tuple[str, str], Any] = {
    ("settings", "value"): _l("Privacy officer's details"),
    **{(t, "term"): _l("Search term (keyed hash of a word)")
       for t in ("office_search_terms", "contact_search_terms", "interaction_search_terms")},
    ("privacy_requests", "kind"): _l("Kind of request"),
    ("interactions", "kind"): _l("Kind of contact moment"),
    ("applicant_documents", "kind"): _l("Kind of document"),
    ("attachments", "kind"): _l("Kind of document"),
    ("mentions", "table"): _l("Kind of record"), ("mentions", "column"): _l("Field"), ("mentions", "text"): _l("Text"),
}


def table_label(table: str) -> str:
    label = TABLES.get(table)
    return str(label) if label is not None else table.replace("_", " ").capitalize()


#: what an erasure counted, by the key a domain's ``erase`` returns where that key is not a table's name
ERASED: dict[str, Any] = {
    "held": _l("Applications kept under a legal hold"), "congratulations": _l("Congratulations"),
    "office_fields": _l("Office fields cleared"), "requests_anonymised": _l("Privacy requests anonymised"),
    "follow_up_contact_links": _l("Follow-ups no longer linked to the person"),
    "wish_requester_links": _l("Wishes no longer linked to the person"),
    "redacted": _l("Free texts where the person's name was replaced"),
    "to_review": _l("Free texts left to check by hand"), "entries": _l("Audit entries forgotten"),
}


def erasure_summary(counts: dict[str, dict[str, int]]) -> list[str]:
    """What an erasure removed, as the privacy officer reads it ("Contact persons: 1"); counts of zero are
    left out, and an unknown key is shown as a readable phrase rather than dropped."""
    lines = []
    for domain in sorted(counts):
        for kind, number in sorted(counts[domain].items()):
            if number:
                label = ERASED.get(kind)
                lines.append(f"{label if label is not None else table_label(kind)}: {number}")
    return lines


def field_label(table: str, column: str) -> str:
    label = TABLE_COLUMNS.get((table, column), COLUMNS.get(column))
    return str(label) if label is not None else column.replace("_", " ").capitalize()


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def shown_value(value: Any) -> str:
    """A stored value as the reader's locale writes it: dates and times in words and local time, yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value, "long")
    if isinstance(value, str) and _ISO_DATE.match(value):
        return format_date(date.fromisoformat(value), "long")
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return format_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


ACTIONS: dict[str, Any] = {
    "create": _l("created"), "update": _l("changed"), "delete": _l("deleted"), "export": _l("exported"),
    "erase": _l("erased"), "purge": _l("purged"), "view": _l("viewed"), "login": _l("logged in"),
    "login_failed": _l("login failed"), "logout": _l("logged out"), "role_change": _l("roles changed"),
    "key_rotation": _l("keys rotated"), "import": _l("imported"), "redact": _l("redacted on erasure"),
    "rectify": _l("corrected by the privacy officer"), "review": _l("checked after an erasure"),
    "merge": _l("merged"),
}


def action_label(action: str) -> str:
    label = ACTIONS.get(action)
    return str(label) if label is not None else action.replace("_", " ")


def fields_label(table: str | None, fields: str | None) -> str:
    """The audit entry's comma-separated column names as readable names."""
    names = [name.strip() for name in (fields or "").split(",") if name.strip()]
    return ", ".join(field_label(table or "", name) for name in names)


#: where a column's stored codes get their words: (table, column) -> "module:Vocabulary" or "module:function"
#: returning pairs or a dict
VALUE_LABELS: dict[tuple[str, str], str] = {
    ("personal_dates", "kind"): "praclox.dates.models:DateKind",
    ("personal_dates", "gender"): "praclox.dates.forms:gender_choices",
    ("personal_dates", "leap_rule"): "praclox.dates.models:LeapRule",
    ("personal_dates", "leap_day_observed"): "praclox.dates.models:LeapRule",
    ("personal_dates", "end_reason"): "praclox.dates.models:EndReason",
    ("date_congratulations", "how"): "praclox.dates.models:CongratulationHow",
    ("", "how"): "praclox.dates.models:CongratulationHow",
    ("offices", "kind"): "praclox.offices.models:OfficeKind",
    ("interactions", "kind"): "praclox.offices.models:InteractionKind",
    ("tags", "tag_group"): "praclox.offices.models:TagGroup",
    ("registrations", "status"): "praclox.registrations.models:Status",
    ("privacy_requests", "kind"): "praclox.privacy.models:RequestKind",
    ("privacy_requests", "status"): "praclox.privacy.models:RequestStatus",
    ("registrations", "source"): "praclox.privacy.labels:source_labels",
    ("wishes", "status"): "praclox.wishes.models:WishStatus",
    ("wishes", "priority"): "praclox.wishes.models:WishPriority",
    ("applicants", "status"): "praclox.applicants.models:Status",
    ("applicant_status_changes", "from_status"): "praclox.applicants.models:Status",
    ("applicant_status_changes", "to_status"): "praclox.applicants.models:Status",
    ("applicant_documents", "kind"): "praclox.applicants.models:DocumentKind",
    ("attachments", "kind"): "praclox.attachments.models:AttachmentKind",
    ("applicant_consents", "method"): "praclox.applicants.models:ConsentMethod",
    ("users", "locale"): "praclox.privacy.labels:locale_labels",
    ("users", "roles"): "praclox.auth.forms:role_labels",
}


def source_labels() -> dict[str, Any]:
    return {"staff": _l("entered by staff"), "api": _l("from the website"), "demo": _l("demo data")}


def locale_labels() -> dict[str, Any]:
    return {"nl": "Nederlands", "en": "English"}


def value_label(table: str, column: str, value: Any) -> str:
    """A stored code in words ("birthday" -> "verjaardag"); other values as ``shown_value`` writes them."""
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return "; ".join(", ".join(f"{field_label(table, k)}: {value_label(table, k, v)}" for k, v in item.items())
                         for item in value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value_label(table, column, item) for item in value)
    source = VALUE_LABELS.get((table, column)) or VALUE_LABELS.get(("", column))
    if source and isinstance(value, str):
        module, name = source.split(":")
        source_of = getattr(import_module(module), name)
        is_vocabulary = isinstance(source_of, type) and issubclass(source_of, Vocabulary)
        pairs = source_of.choices() if is_vocabulary else source_of()
        label = dict(pairs.items() if isinstance(pairs, dict) else pairs).get(value)
        if label is not None:
            return str(label)
    return shown_value(value)
