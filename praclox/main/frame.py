"""The frame every page shares (base.html): what it needs, worked out once per worker where it can be.

The links of the top navigation and of the account menu depend only on the user's roles, the catalogue of the
request's language and the application's root: their HTML is built once per worker for each such combination
(``nav_html``), and each request only marks its own page's link active. What is personal stays per request:
the user's name and the CSRF token of the logout and language forms.

Templates translate through ``gettext``/``ngettext`` bound to the request's catalogue (``request_gettext``), not
through Flask-Babel's lookup of the request, its locale and its catalogue for every string.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from praclox.domain import registry

#: the account menu's own links (endpoint, message id); domains add none today
ACCOUNT_LINKS = (("auth.password", _l("Change password")), ("auth.two_factor", _l("Two-step login")),
                 ("auth.sessions_page", _l("Active sessions")))
_MAX_ENTRIES = 256  # role sets × languages × roots: a handful; the bound only guards against surprises


def _safe(html: str) -> Markup:
    """Markup built here from escaped labels and ``url_for`` addresses."""
    return Markup(html)  # noqa: S704  # nosec B704


def _links(roles: frozenset[str]) -> tuple[tuple[str, str, str], ...]:
    """(endpoint, inactive item, active item) for every nav link these roles may open, in order (the labels in
    the request's language)."""
    items = sorted((n for d in registry().domains for n in d.nav if roles.intersection(n.roles)),
                   key=lambda n: n.order)
    out = []
    for item in items:
        href, text = escape(url_for(item.endpoint)), escape(str(item.label))
        out.append((item.endpoint,
                    f'<li class="nav-item"><a class="nav-link" href="{href}">{text}</a></li>',
                    f'<li class="nav-item"><a class="nav-link active" aria-current="page" href="{href}">'
                    f"{text}</a></li>"))
    return tuple(out)


def _account() -> str:
    return "".join(f'<li><a class="dropdown-item" href="{escape(url_for(endpoint))}">{escape(str(text))}</a></li>'
                   for endpoint, text in ACCOUNT_LINKS)


def _cached(roles: frozenset[str], translations: Any) -> tuple[tuple[tuple[str, str, str], ...], str]:
    cache: dict[tuple[Any, ...], Any] = current_app.extensions.setdefault("praclox_frame", {})
    # the catalogue object itself is in the key: a language (or a swapped catalogue) never reads another's links
    key = (roles, translations, request.script_root)
    found = cache.get(key)
    if found is None:
        if len(cache) >= _MAX_ENTRIES:
            cache.clear()
        found = cache[key] = (_links(roles), _account())
    return found


def nav_html(user: Any, translations: Any) -> Markup:
    """The navigation's ``<li>`` items for ``user``, the current page's marked active."""
    links, _account_links = _cached(frozenset(user.role_names), translations)
    endpoint = request.endpoint
    return _safe("".join(active if name == endpoint else plain for name, plain, active in links))


def account_html(user: Any, translations: Any) -> Markup:
    """The account menu's links (before the logout form)."""
    return _safe(_cached(frozenset(user.role_names), translations)[1])


def request_gettext(translations: Any) -> dict[str, Callable[..., Any]]:
    """``gettext``/``ngettext`` for templates, bound to one catalogue, with Jinja's new-style semantics (the
    result is Markup where autoescaping is on, and always ``%``-formatted with the keyword arguments)."""

    @pass_context
    def gettext(context: Context, string: str, /, **variables: Any) -> str:
        text = translations.ugettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704  # nosec B704

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, /, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704  # nosec B704

    return {"gettext": gettext, "ngettext": ngettext}
