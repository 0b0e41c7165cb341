"""The dates block on the dashboard (today, this week, next 30 days) and the dates on a contact's page."""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from praclox.clock import today
from praclox.dates import agenda, occasions, services

#: rendered panels a worker keeps (one per window and language in use)
KEPT_PANELS = 4
#: stands for the CSRF token in a kept panel; random per process, so no stored text can contain it
_CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"


def panel_context() -> dict[str, Any]:
    return {"html": panel_html(agenda.build(today()))}


def panel_html(ag: agenda.Agenda) -> Markup:
    """The panel as HTML, rendered again only when what it shows changed: the occurrences (``ag.key``), the
    marks shown, the language or the address the app is served under; each request fills in its own CSRF
    token. At 10,000 contacts the panel is 60 lines with forms for today and 500 for the week: rendering it
    was most of the dashboard's time (bench/README.md)."""
    key = (ag.key, ag.marks, str(get_locale()), request.script_root)
    store = current_app.extensions.setdefault("praclox_agenda_html", {})
    found = store.get(key)
    if found is None:
        if len(store) >= KEPT_PANELS:
            store.clear()
        found = store[key] = render_template("dates/_panel_body.html", agenda=ag, short_lines=short_lines,
                                             csrf=_CSRF_PLACEHOLDER)
    # a rendered template (Jinja escaped every value in it) and an escaped token
    return Markup(found.replace(_CSRF_PLACEHOLDER, str(escape(generate_csrf()))))  # noqa: S704  # nosec B704


def short_lines(entries: list[services.Entry]) -> Markup:
    """The week's and later days' lines (no forms), written here with every value escaped, not by a Jinja macro
    per line: at 10,000 contacts the week holds 500 lines and the macro calls were most of the page's time
    (bench/README.md)."""
    words, contact_url = occasions.phrases().words, contact_url_maker()
    star = f' <span class="badge text-bg-warning" title="{escape(_("milestone"))}">★</span>'
    marked = f'<span class="text-success" title="{escape(_("congratulated"))}">✓</span> '
    special = ' class="milestone"'
    out = []
    for entry in entries:
        row, occ = entry.row, entry.occ
        milestone = occ.milestone
        out.append(
            f'<li class="list-group-item py-1 date-entry{" milestone-entry" if milestone else ""}">'
            f'{marked if entry.mark else ""}<a href="{escape(contact_url(row.office_id, row.contact_id))}">'
            f'{escape(row.contact_name)}</a> <span{special if milestone else ""}>'
            f'{escape(words(row, occ))}</span>{star if milestone else ""} <small class="text-body-secondary">· '
            f'{escape(row.office_name)}</small></li>'
        )
    # every value above went through escape(); the rest is this function's own markup
    return Markup("".join(out))  # noqa: S704  # nosec B704


def contact_url_maker() -> Any:
    """A contact's URL without a url_for per line: built once with markers, then filled in (2,000 lines)."""
    template = url_for("offices.contact", office_id=987654321, contact_id=123456789)
    head, rest = template.split("987654321", 1)
    middle, tail = rest.split("123456789", 1)

    def contact_url(office_id: int, contact_id: int) -> str:
        return f"{head}{office_id}{middle}{contact_id}{tail}"

    return contact_url


def contact_dates(contact: Any) -> list[tuple[Any, occasions.Occurrence | None, str]]:
    """A contact's dates with their next occurrence and its words (ended dates last, without one)."""
    day = today()
    cutoff = services.cutoff_age()
    out = []
    for item in services.dates_of_contact(contact.id):
        occ = None if item.ended_on else occasions.next_occurrence(item, day, cutoff_age=cutoff)
        out.append((item, occ, occasions.words(item, occ) if occ else ""))
    return out


def month_name(month: int) -> str:
    from babel.dates import get_month_names
    from flask_babel import get_locale

    return get_month_names("wide", locale=str(get_locale() or "nl"))[month]
