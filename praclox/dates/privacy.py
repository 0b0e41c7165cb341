"""Personal data of the dates domain: what it holds, and a person's dates found, exported and erased."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from praclox.audit.services import forget_record
from praclox.auth.models import User
from praclox.dates.models import Congratulation, DateKind, PersonalDate
from praclox.extensions import db
from praclox.offices.models import Contact
from praclox.offices.privacy import contact_identity, matching_contacts
from praclox.privacy.records import Correctable, RecordKind
from praclox.privacy.registry import Hit, Identity, PersonalField, SubjectQuery

DOMAIN = "dates"
_DATES = "personal_dates"
_PURPOSE = _l("Congratulating the people we work with on their birthday, their children's birthdays and wedding "
             "days.")
_RETENTION = _l("Until the date is deleted or the contact is erased; an ended date keeps its reason for review.")

FIELDS: list[PersonalField] = [
    PersonalField(_DATES, "month", "special dates", _PURPOSE, "legitimate interest", _RETENTION),
    PersonalField(_DATES, "day", "special dates", _PURPOSE, "legitimate interest", _RETENTION),
    PersonalField(_DATES, "year", "special dates",
                  _l("Congratulating the people we work with on their birthday, their children's birthdays and "
                     "wedding days. The year gives the age."), "legitimate interest", _RETENTION),
    PersonalField(_DATES, "person_name", "special dates", _l("The first name of a contact's child or partner, "
                  "to congratulate them by name."), "legitimate interest", _RETENTION),
    PersonalField(_DATES, "gender", "special dates", _l("Whether the occasion is called Abraham or Sarah, "
                  "daughter or son."), "legitimate interest", _RETENTION),
    PersonalField(_DATES, "notes", "special dates", _l("Notes that help to congratulate well (e.g. a gift idea)."),
                  "legitimate interest", _RETENTION, encrypted=True),
    PersonalField(_DATES, "ended_on", "special dates", _l("When a date stopped (marriage ended, deceased, left)."),
                  "legitimate interest", _RETENTION),
    PersonalField(_DATES, "end_reason", "special dates", _l("Why a date stopped, so it is not entered again."),
                  "legitimate interest", _RETENTION),
    PersonalField("date_congratulations", "occurrence_year", "special dates",
                  _l("That a contact was congratulated in a year, so two colleagues do not both call."),
                  "legitimate interest", _RETENTION),
    PersonalField("date_congratulations", "how", "special dates", _l("How a contact was congratulated."),
                  "legitimate interest", _RETENTION),
]


def _contact_ids(query: SubjectQuery) -> list[int]:
    return [c.id for c in matching_contacts(query)]


def find(query: SubjectQuery) -> list[Hit]:
    """A contact's dates, and dates that name the person as a child or partner."""
    if query.is_empty():
        return []
    ids = _contact_ids(query)
    conditions = [PersonalDate.contact_id.in_(ids)] if ids else []
    if query.name:
        name = " ".join(query.name.split()).lower()
        conditions.append(func.lower(PersonalDate.person_name) == name)
        first = name.split(" ")[0]
        if first != name:
            # "Sophie de Vries": a child Sophie of a contact named de Vries
            conditions.append(
                (func.lower(PersonalDate.person_name) == first)
                & PersonalDate.contact_id.in_(select(Contact.id).where(func.lower(Contact.last_name) ==
                                                                        name[len(first) + 1:]))
            )
    if not conditions:
        return []
    hits = []
    for item in db.session.scalars(select(PersonalDate).where(or_(*conditions)).order_by(PersonalDate.id)):
        contact = item.contact
        named = item.contact_id not in ids
        key = (query.email or "").lower() or (contact.email or "").lower() if not named else ""
        hits.append(Hit(
            domain=DOMAIN, record_type=_DATES, record_id=item.id,
            person_key=key or " ".join((query.name or contact.full_name).split()).lower(),
            label=_describe(item) + (f" ({item.person_name})" if item.person_name else ""),
            extra={"contact_id": contact.id, "named_as_child_or_partner": named},
            identity=Identity() if named else contact_identity(contact),
        ))
    return hits


def _describe(item: PersonalDate) -> str:
    kinds = dict(DateKind.choices())
    return _("%(kind)s of %(name)s", kind=kinds.get(item.kind, item.kind), name=item.contact.full_name)


def export(hits: list[Hit]) -> dict[str, Any]:
    ids = [h.record_id for h in hits if h.domain == DOMAIN and h.record_type == _DATES]
    items = db.session.scalars(select(PersonalDate).where(PersonalDate.id.in_(ids)).order_by(PersonalDate.id))
    out, marks = [], []
    for item in items:
        out.append({
            "id": item.id, "contact": item.contact.full_name, "kind": item.kind, "month": item.month,
            "day": item.day, "year": item.year, "person_name": item.person_name, "gender": item.gender or None,
            "leap_day_observed": item.leap_rule, "notes": item.notes,
            "ended_on": item.ended_on.isoformat() if item.ended_on else None, "end_reason": item.end_reason,
            "created_at": item.created_at.isoformat(), "updated_at": item.updated_at.isoformat(),
            "congratulations": [
                {"year": m.occurrence_year, "half_jubilee": m.half, "how": m.how, "at": m.created_at.isoformat()}
                for m in item.congratulations
            ],
        })
        marks += [{"id": m.id, "personal_date_id": item.id, "occurrence_year": m.occurrence_year, "half": m.half,
                   "how": m.how, "created_at": m.created_at.isoformat()} for m in item.congratulations]
    return {"personal_dates": out, "date_congratulations": marks}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    ids = [h.record_id for h in hits if h.domain == DOMAIN and h.record_type == _DATES]
    if not ids:
        return {"personal_dates": 0, "congratulations": 0}
    marks = list(db.session.scalars(select(Congratulation.id).where(Congratulation.personal_date_id.in_(ids))))
    items = list(db.session.scalars(select(PersonalDate).where(PersonalDate.id.in_(ids))))
    for item in items:
        db.session.delete(item)
    db.session.flush()
    forget_record(_DATES, ids)
    forget_record("date_congratulations", marks)
    return {"personal_dates": len(items), "congratulations": len(marks)}


#: Columns of this domain that hold no personal data by themselves (the register-completeness test reads this).
NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "personal_dates": ("kind", "leap_rule", "version"),
    "date_calendar_stamp": ("changed_at",),
    "date_feeds": ("name", "token_hash", "kinds", "changed_at", "last_fetched_at", "revoked_at", "etag", "etag_key"),
    "date_reminder_preferences": ("frequency",),
    "date_reminders_sent": ("period", "sent_at", "occasions"),
}


def _save(item: PersonalDate, changes: dict[str, Any], *, actor: User | None) -> list[str]:
    from praclox.dates import services

    return services.update_date(item, changes, actor=actor)


RECORDS = [
    RecordKind(_DATES, PersonalDate, _describe, free_text=("notes",),
               fields=(Correctable("person_name", _l("Name of the child or partner"), max_length=100),
                       Correctable("notes", _l("Notes"), "long", 2000)),
               save=_save, scopes={"contact_id": "contact"}),
]
