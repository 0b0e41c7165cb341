"""The frame every page shares: the dashboard, the language switch, error pages, ``praclox i18n``."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext

from praclox.domain import Domain, describe, registry
from praclox.forms import one_line
from praclox.i18n import month_label
from praclox.i18n_tools import i18n_cli
from praclox.main import errors, views


def _frame_context() -> dict[str, Any]:
    """What base.html needs on every page: the navigation, the logout form and the page sections."""
    from flask_babel import get_locale
    from flask_login import current_user

    from praclox.auth.forms import LogoutForm, role_labels

    common = {"role_label": lambda role: dict(role_labels()).get(role, role), "get_locale": get_locale}
    if not current_user.is_authenticated:
        return {**common, "nav_items": [], "sections": lambda page, subject: []}
    found = registry()
    return {
        **common,
        "nav_items": found.nav_for(current_user),
        "logout_form": LogoutForm(formdata=None),  # never reads the request (a 413 page must render)
        "sections": lambda page, subject: found.sections_for(page, subject, current_user),
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
    setup=_setup,
)
