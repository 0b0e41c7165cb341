"""The frame every page shares: the dashboard, the language switch, error pages, ``praclox i18n``."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext

from praclox.domain import Domain, describe, registry
from praclox.form_html import TEMPLATE_GLOBALS as FORM_GLOBALS
from praclox.forms import one_line
from praclox.i18n import month_label
from praclox.i18n_tools import i18n_cli
from praclox.main import errors, frame, views


def _frame_context() -> dict[str, Any]:
    """What base.html needs on every page: the navigation, the account menu, gettext and the page sections.

    Run for every ``render_template``: it only binds the request's user and catalogue; base.html asks for the
    navigation (``frame.nav_html``, built once per worker for each role set and language) when it shows it.
    """
    from flask_babel import get_locale, get_translations
    from flask_login import current_user

    from praclox.auth.forms import role_labels

    user = current_user._get_current_object()  # one look-up, not one per use in the templates
    translations = get_translations()
    common = {"role_label": lambda role: dict(role_labels()).get(role, role), "get_locale": get_locale,
              "current_user": user, **frame.request_gettext(translations)}
    if user is None or not user.is_authenticated:  # None: rendered outside a request (a job's mail)
        return {**common, "sections": lambda page, subject: []}
    found = registry()
    return {
        **common,
        "frame_nav": lambda: frame.nav_html(user, translations),
        "frame_account": lambda: frame.account_html(user, translations),
        "sections": lambda page, subject: found.sections_for(page, subject, user),
    }


@click.command("domains")
@with_appcontext
def domains_command() -> None:
    """List every domain and what it contributes: routes, commands, pages, settings, jobs, privacy, demo data."""
    for line in describe(registry()):
        click.echo(line)


def _setup(app: Flask) -> None:
    errors.init_app(app)
    app.context_processor(_frame_context)


DOMAIN = Domain(
    name="main",
    blueprints=(views.bp,),
    cli=(i18n_cli, domains_command),
    # mail templates pass every user-given value through one_line: no value can start a line of its own
    template_filters={"month_label": month_label, "one_line": one_line},
    template_globals=FORM_GLOBALS,  # render_field, render_form: every form's fields
    setup=_setup,
)
