"""The record of processing activities (GDPR art. 30) and the public statement, built from the fields
every domain declares."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from babel.lists import format_list
from flask_babel import get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from praclox.privacy.labels import field_label
from praclox.privacy.registry import PersonalField, Retention, all_fields
from praclox.settings import services as settings

LEGAL_BASES = {
    "contract": _l("performance of a contract"),
    "legitimate interest": _l("legitimate interest"),
    "consent": _l("consent"),
    "legal obligation": _l("legal obligation"),
}

CATEGORIES = {
    "office details": _l("office details"),
    "contact details": _l("contact details"),
    "client history": _l("client history"),
    "special dates": _l("special dates"),
    "identity": _l("identity"),
    "application": _l("application"),
    "account": _l("account"),
    "account security": _l("account security"),
    "data-subject requests": _l("data-subject requests"),
    "suppression list": _l("suppression list"),
    "privacy officer": _l("privacy officer"),
    "audit trail": _l("audit trail"),
    "support access": _l("support access"),
    "relationship": _l("relationship with an office"),
    "consent": _l("consent"),
    "access": _l("access to the client area"),
    "registration": _l("website registration"),
    "correspondence": _l("correspondence"),
}

#: the order of the statement's sections: what clients care about first; unknown categories follow
CATEGORY_ORDER = ("office details", "contact details", "client history", "special dates", "registration",
                  "identity", "application", "data-subject requests", "account", "audit trail")
#: the statement's sections, one per kind of record: what clients care about first
STATEMENT_TABLE_ORDER = ("offices", "contacts", "interactions", "personal_dates", "date_congratulations", "wishes",
                         "follow_ups",
                         "registrations", "applicants", "applicant_status_changes", "applicant_documents",
                         "applicant_consents", "privacy_requests", "users", "audit_entries")
#: internal safeguards, described in their own paragraphs of the statement rather than as a section
STATEMENT_SKIPS = ("account security", "suppression list", "privacy officer", "support access")

HEADER = (_l("table"), _l("column"), _l("field"), _l("category"), _l("purpose"), _l("legal basis"), _l("retention"),
          _l("encrypted"), _l("visible to"))


def translated(text: Any) -> str:
    """A declared text in the reader's language: lazy strings translate themselves; a plain English
    string is looked up in the catalogs and shown as is when no translation exists."""
    return gettext(str(text)) if str(text) else ""


def period_text(key: str) -> str:
    """A setting's live value with its unit, from the key's ending: ``28 dagen``, ``1 maand``."""
    value = settings.get(key)
    unit = key.rsplit("_", 1)[-1]
    if unit == "days":
        return ngettext("%(num)d day", "%(num)d days", value)
    if unit == "months":
        return ngettext("%(num)d month", "%(num)d months", value)
    if unit == "hours":
        return ngettext("%(num)d hour", "%(num)d hours", value)
    if unit == "minutes":
        return ngettext("%(num)d minute", "%(num)d minutes", value)
    return str(value)


def retention_text(item: PersonalField) -> str:
    """The retention as a sentence, with every setting it names filled in with its live value and unit.

    A declaration gives a ``Retention`` (a sentence naming the settings that decide), a bare setting key, or a
    fixed sentence.
    """
    if isinstance(item.retention, Retention):
        periods = {name: period_text(key) for name, key in item.retention.periods().items()}
        return translated(item.retention.sentence) % periods
    text = str(item.retention)
    if text in settings.specs():
        return gettext("Kept for %(period)s, then deleted.", period=period_text(text))
    return translated(text)


def category_text(category: str) -> str:
    return str(CATEGORIES.get(category, translated(category)))


def legal_basis_text(basis: str) -> str:
    return str(LEGAL_BASES.get(basis, translated(basis)))


def roles_text(roles: tuple[str, ...]) -> str:
    from praclox.auth.forms import role_labels

    labels = dict(role_labels())
    return ", ".join(labels.get(role, role) for role in roles) or gettext("nobody")


def joined(items: list[str]) -> str:
    """``a, b en c`` in the reader's language."""
    return format_list(items, locale=get_locale()) if items else ""


def rows() -> list[dict[str, Any]]:
    """One row per declared field, in table order."""
    fields = sorted(all_fields(), key=lambda f: (f.table, f.column))
    return [
        {
            "table": f.table, "column": f.column, "label": field_label(f.table, f.column),
            "category": category_text(f.category),
            "purpose": translated(f.purpose), "legal_basis": legal_basis_text(f.legal_basis),
            "retention": retention_text(f), "encrypted": f.encrypted, "visible_to": roles_text(f.visible_to),
        }
        for f in fields
    ]


def exports() -> list[dict[str, Any]]:
    """Per export file, its columns with the fields each shows and why the file holds it: the column's own
    purpose when it is no personal field, else the purpose declared for its fields."""
    from praclox.privacy.registry import all_exports

    purposes: dict[tuple[str, str], str] = {(f.table, f.column): translated(f.purpose) for f in all_fields()}
    return [
        {"title": str(export.title), "formats": str(export.formats), "purpose": translated(export.purpose),
         "columns": [{"name": c.name, "label": str(c.label),
                      "fields": ", ".join(field_label(*source) for source in c.sources),
                      "purpose": translated(c.purpose) if c.purpose is not None else " ".join(
                          dict.fromkeys(purposes[s] for s in c.sources if s in purposes))}
                     for c in export.columns]}
        for export in all_exports()
    ]


def csv_rows() -> list[list[Any]]:
    return [[r["table"], r["column"], r["label"], r["category"], r["purpose"], r["legal_basis"], r["retention"],
             str(_l("yes")) if r["encrypted"] else str(_l("no")), r["visible_to"]] for r in rows()]


def statement_sections() -> list[dict[str, Any]]:
    """For the public statement: per kind of record (a table: applications, website registrations …), what
    we hold, why, on which basis and for how long, so each retention sentence plainly belongs to its data.
    Kinds come in the order of ``STATEMENT_TABLE_ORDER``; a table not named there follows."""
    from praclox.privacy.labels import table_label

    shown = [f for f in all_fields() if f.category not in STATEMENT_SKIPS]

    def rank(table: str) -> int:
        return STATEMENT_TABLE_ORDER.index(table) if table in STATEMENT_TABLE_ORDER else len(STATEMENT_TABLE_ORDER)

    grouped: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for f in sorted(shown, key=lambda f: (rank(f.table), f.table, f.column)):
        section = grouped.setdefault(f.table, {"category": table_label(f.table), "purposes": [], "bases": [],
                                               "retention": [], "encrypted": False})
        for key, value in (("purposes", translated(f.purpose)), ("bases", legal_basis_text(f.legal_basis)),
                           ("retention", retention_text(f))):
            if value not in section[key]:
                section[key].append(value)
        section["encrypted"] = section["encrypted"] or f.encrypted
    for section in grouped.values():
        section["basis_sentence"] = gettext("We hold this information on the basis of %(bases)s.",
                                            bases=joined(section["bases"]))
    return list(grouped.values())
