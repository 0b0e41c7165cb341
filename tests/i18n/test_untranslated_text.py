"""No untranslated text anywhere a Dutch user looks: every page of the access matrix and every CSV file (the
mails: test_untranslated_mail.py), rendered with the pseudo-locale build of the Dutch catalogues
(tests/i18n/pseudo_locale.py).

Plurals come from ngettext (no "verzoek(en)"); staff pages say "je", public pages "u".
Text outside the marks must be data (a value in the database, seeded by the security walks' seeders), a
month or day name of Babel's locale data, or one of the few names in ``NOT_TRANSLATED`` (each with its
reason). Dates in running text use the locale's formats: no ISO date or "2026-12" month label.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pseudo_locale import leftover, locale_words, pseudo_locale
from security_walk import ALL_ROLES, rules, seed_records, url_for_rule
from visible_text import visible_texts

TZ = ZoneInfo("Europe/Amsterdam")  # the default TIMEZONE, which the tests run with


#: text that is the same in every language, on purpose
NOT_TRANSLATED = {
    "praclox", "crm",  # the product's name
    "english", "nederlands",  # the language switch names each language in that language
    "prac", "lox",  # the logo of the client area, in two colours
}
#: column values that are codes (a kind, a status) rather than text someone typed: never shown as they are
CODE = re.compile(r"^[a-z0-9_]+$")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b")
#: "verzoek(en)", "sessie(s)", "kanto(o)r": a plural written around instead of chosen with ngettext
BRACKET_PLURAL = re.compile(r"\w\((?:en|s|n|o)\)")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|[+-]\d{2}:\d{2}$")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
#: CSV columns that hold the database's own names (the processing register's table and column): not language
TECHNICAL_COLUMNS = {"\u27e6tabel\u27e7", "\u27e6kolom\u27e7"}


def database_texts(app: Any) -> set[str]:
    """Every string stored in the database (decrypted through the models), except code values."""
    from praclox.db import Base
    from praclox.extensions import db

    found: set[str] = set()
    with app.app_context():
        for mapper in Base.registry.mappers:
            for record in db.session.scalars(db.select(mapper.class_)):
                for attribute in mapper.column_attrs:
                    value = getattr(record, attribute.key, None)
                    if isinstance(value, str) and value.strip() and not _is_code(attribute, value):
                        found.add(value.strip())
        db.session.remove()
    return found


def _is_code(attribute: Any, value: str) -> bool:
    """A short column holding a lower-case identifier ("rejected", "call") is a code, not data to show."""
    length = getattr(attribute.columns[0].type, "length", None)
    return bool(length and length <= 40 and CODE.match(value))


class Findings:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.words = locale_words("nl") | NOT_TRANSLATED
        self.problems: list[str] = []

    def data(self) -> list[str]:
        # longest first, so that "Walter Walkerson" goes before "Walter"; the configured time zone's name and mail
        # address too (the statement of a fresh install gives that address for the privacy officer)
        return sorted(database_texts(self.app) | {TZ.key, self.app.config["SMTP_FROM"]}, key=len, reverse=True)

    def check(self, where: str, texts: list[str], data: list[str] | None = None, dates_allowed: bool = False) -> None:
        data = self.data() if data is None else data
        for text in texts:
            rest = leftover(text, data, self.words)
            if BRACKET_PLURAL.search(text):
                self.problems.append(f"{where}: a plural in brackets instead of ngettext in {text[:120]!r}")
            if rest:
                self.problems.append(f"{where}: {rest!r} in {text[:120]!r}")
            elif not dates_allowed and ISO_DATE.search(re.sub(r"[\u27e6\u27e7]", "", text)) and not any(
                    ISO_DATE.search(v) for v in data if v in text):
                self.problems.append(f"{where}: ISO date in {text[:120]!r}")


def _pages(app: Any) -> list[str]:
    skip = {"static", "bootstrap.static", "main.health", "feeds.calendar"}
    urls = []
    for rule, _method in rules(app, ("GET",)):
        if rule.endpoint not in skip and "export" not in rule.endpoint and "csv" not in rule.endpoint:
            urls.append(url_for_rule(rule, "1"))
    return urls


@pytest.fixture
def findings(app: Any) -> Findings:
    return Findings(app)


def _html(findings: Findings, where: str, response: Any, data: list[str]) -> None:
    if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
        texts = visible_texts(response.get_data(as_text=True))
        findings.check(where, texts, data)
        one_register(findings, where, texts, formal=where == "/privacy" or where.startswith(PUBLIC_PAGES))


#: pages for people outside the company speak to them with "u"; the staff pages with "je"
PUBLIC_PAGES = ("/privacy?", "client ", "/client/login", "/consent", "/r/")
INFORMAL = re.compile(r"\b(je|jij|jou|jouw)\b", re.IGNORECASE)
FORMAL = re.compile(r"\b(u|uw)\b", re.IGNORECASE)


def one_register(findings: Findings, where: str, texts: list[str], *, formal: bool) -> None:
    wrong = INFORMAL if formal else FORMAL
    for text in texts:
        if "\u27e6" in text and wrong.search(text):  # our own words only; data is as someone typed it
            findings.problems.append(f"{where}: {'je' if formal else 'u'} where the page says "
                                     f"{'u' if formal else 'je'}: {text[:120]!r}")


def test_every_page_shows_only_dutch_catalogue_text_and_data(app, login_as, make_office, client_login, findings):
    seed_records(app)
    client = login_as(*ALL_ROLES)
    client_area = client_login(office_id=1)
    data = findings.data()
    with pseudo_locale(app):
        for url in [*_pages(app), "/offices/?q=Walter"]:
            _html(findings, url, client.get(url), data)
        for url in ("/client/", "/client/wishes/1"):
            _html(findings, f"client {url}", client_area.get(url), data)
        # the data-subject pages are posted (no name in a URL): the search, then the overview of what we hold
        search = {"name": "Walter Walkerson", "email": "", "phone": ""}
        _html(findings, "subject search", client.post("/privacy-officer/subjects", data=search), data)
        for person in ("walter@walk.test",):
            overview = client.post("/privacy-officer/subjects/access", data={**search, "person": person})
            assert overview.status_code == 200, person
            _html(findings, f"subject access {person}", overview, data)
    assert not findings.problems, "\n".join(findings.problems)


def _token_urls(app: Any) -> list[str]:
    """Real secret links of every kind the access matrix marks TOKEN (the walk's dummy tokens find nothing)."""
    from praclox.applicants import consent
    from praclox.applicants.models import Applicant
    from praclox.auth import reset, unlock
    from praclox.auth.models import User
    from praclox.client.services import login_token
    from praclox.extensions import db
    from praclox.registrations import mailing
    from praclox.registrations.models import Registration

    with app.test_request_context():
        applicant, registration = db.session.get(Applicant, 1), db.session.get(Registration, 1)
        user = db.session.scalars(db.select(User).order_by(User.id)).first()
        urls = [consent.give_link(applicant), consent.withdraw_link(applicant), mailing.confirm_url(registration),
                mailing.unsubscribe_url(registration), f"/reset/{reset.issue(user)}",
                f"/unlock/{unlock.make_token(user)}", f"/client/login/{login_token(registration)}"]
        db.session.commit()
    return [re.sub(r"^https?://[^/]+", "", url) for url in urls]


def test_secret_link_pages_show_only_dutch_catalogue_text_and_data(app, findings):
    seed_records(app)
    urls = _token_urls(app)
    data = findings.data()
    with pseudo_locale(app):
        for url in urls:
            response = app.test_client().get(url)
            assert response.status_code == 200, (url, response.status_code)
            _html(findings, url, response, data)
    assert not findings.problems, "\n".join(findings.problems)


def test_csv_files_have_dutch_headers_and_values(app, login_as, make_office, findings):
    seed_records(app)
    client = login_as(*ALL_ROLES)
    data = findings.data()
    urls = [url_for_rule(rule, "1") for rule, _m in rules(app, ("GET",)) if "csv" in rule.rule or "export" in rule.rule]
    assert len(urls) >= 4, urls
    with pseudo_locale(app):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and response.mimetype == "text/csv", url
            table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
            assert table and table[0], url
            header, technical = table[0], [i for i, name in enumerate(table[0]) if name in TECHNICAL_COLUMNS]
            findings.check(f"{url} header", header, data)
            cells = [cell for row in table[1:] for i, cell in enumerate(row) if cell and i not in technical]
            findings.check(f"{url} values", cells, data, dates_allowed=True)
            moments = [cell for cell in cells if ISO_MOMENT.search(cell)]
            assert not moments, f"{url}: times with a zone offset, not local: {moments[:3]}"
            for i, name in enumerate(header):
                if any(ISO_TIME.search(row[i]) for row in table[1:] if len(row) > i):
                    assert f"({TZ.key})" in name, f"{url}: the time column {name!r} names no time zone"
    assert not findings.problems, "\n".join(findings.problems)
