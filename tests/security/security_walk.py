"""Walking every endpoint of the app with real records behind the ids: shared by the security tests."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.seeders import collect

ALL_ROLES = ("staff", "recruiter", "privacy_officer", "admin")


#: string arguments that name a kind of thing rather than carry a secret: a real value reaches a real page
NAMED_ARGUMENTS = {"record_type": "contacts", "section": "contacts", "chart": "moments",
                   "figure": "funnel"}


def url_for_rule(rule: Any, number: str = "1") -> str:
    """The rule's URL with ``number`` for every int argument, a real value for the arguments in
    NAMED_ARGUMENTS and a 43-character token for the others."""
    url = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__.lower()
        value = number if ("int" in converter or "float" in converter) else NAMED_ARGUMENTS.get(name, "x" * 43)
        url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
    return url


def rules(app: Flask, methods: tuple[str, ...] = ("GET", "POST")) -> Iterator[tuple[Any, str]]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (is_destructive(r), r.rule)):
        for method in sorted(set(methods) & (rule.methods or set())):
            yield rule, method


def snapshot(app: Flask, ignore: dict[str, set[str]] | None = None,
             skip_rows: dict[str, Callable[[Any], bool]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table.

    ``ignore`` names columns per table that may change (``"*"``: the whole table); ``skip_rows`` gives per table
    a test for rows that do not count (e.g. audit entries of the action "view", which a GET may write).
    """
    from praclox.extensions import db

    ignore, skip_rows = ignore or {}, skip_rows or {}
    state = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            skip = ignore.get(table.name, set())
            if "*" in skip:
                continue
            rows = db.session.execute(select(table)).all()
            drop = skip_rows.get(table.name)
            kept = [r for r in rows if not (drop and drop(r._mapping))]
            names = [c.name for c in table.columns if c.name not in skip]
            state[table.name] = sorted((tuple(r._mapping[n] for n in names) for r in kept), key=repr)
        db.session.remove()
    return state


def is_destructive(rule: Any) -> bool:
    """Endpoints that remove the seeded records; walked last so that the others still find them."""
    return any(word in rule.rule for word in ("delete", "purge", "erase", "remove"))


#: what a GET or a refused POST may still change: the session's last-seen time
SESSION_TOUCH = {"user_sessions": {"last_seen_at"}}


def seed_records(app: Flask) -> None:
    """Records with id 1 for every domain, so that ``1`` in a URL finds something: each domain's
    ``seed_walk`` from its tests/<domain>/seeders.py (collected by tests/seeders.py)."""
    for seeder in collect("seed_walk"):
        seeder(app)


# --- real secrets for the routes whose parameter is a secret (``<secret:...>``) ---------------------------
#: endpoint: ``provider(app) -> path`` with a valid secret for the seeded records (call after seed_records).
#: With made-up tokens a walk only ever sees the 404 of a token route, never what a good token does (issue 11
#: finding 12: GET on the unsubscribe link unsubscribed, and no walk had a real link to notice).
#: ``test_get_is_safe.py`` fails for a secret route without a provider here.
TOKEN_URLS: dict[str, Callable[[Flask], str]] = {}


def _first(model: Any) -> Any:
    from praclox.extensions import db

    return db.session.scalars(select(model).order_by(model.id)).first()


def _issue(make: Callable[[], str]) -> str:
    from urllib.parse import urlsplit

    from praclox.extensions import db

    made = make()
    db.session.commit()
    return urlsplit(made).path if made.startswith("http") else made


def token_url(app: Flask, endpoint: str) -> str:
    with app.test_request_context():
        return TOKEN_URLS[endpoint](app)


def _reset(app: Flask) -> str:
    from praclox.auth import reset
    from praclox.auth.models import User

    return _issue(lambda: f"/reset/{reset.issue(_first(User))}")


def _unlock(app: Flask) -> str:
    from praclox.auth import unlock
    from praclox.auth.models import User

    return _issue(lambda: f"/unlock/{unlock.make_token(_first(User))}")


def _client_link(app: Flask) -> str:
    from praclox.client.services import login_token
    from praclox.registrations.models import Registration

    return _issue(lambda: f"/client/login/{login_token(_first(Registration))}")


def _consent(kind: str) -> Callable[[Flask], str]:
    def provider(app: Flask) -> str:
        from praclox.applicants import consent
        from praclox.applicants.models import Applicant

        link = consent.give_link if kind == "give" else consent.withdraw_link
        return _issue(lambda: link(_first(Applicant)))

    return provider


def _feed(app: Flask) -> str:
    from praclox.auth.models import User
    from praclox.dates import feeds

    return _issue(lambda: f"/feeds/{feeds.create_feed(_first(User), 'Walk token feed', actor=None)[1]}.ics")


def _registration_link(kind: str) -> Callable[[Flask], str]:
    def provider(app: Flask) -> str:
        from praclox.registrations import mailing
        from praclox.registrations.models import Registration

        link = mailing.confirm_url if kind == "confirm" else mailing.unsubscribe_url
        return _issue(lambda: link(_first(Registration)))

    return provider


TOKEN_URLS.update({
    "auth.reset_password": _reset,
    "auth.unlock_browser": _unlock,
    "client.magic": _client_link,
    "consent.give": _consent("give"),
    "consent.withdraw": _consent("withdraw"),
    "feeds.calendar": _feed,
    "registrations_public.confirm": _registration_link("confirm"),
    "registrations_public.unsubscribe": _registration_link("unsubscribe"),
})


def secret_arguments(rule: Any) -> set[str]:
    """The rule's parameters declared ``<secret:...>``."""
    from praclox.urls import SecretConverter

    return {name for name, conv in rule._converters.items() if isinstance(conv, SecretConverter)}
