"""The frame every page shares: navigation, dashboard, language, error pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy string
    endpoint: str
    roles: frozenset[str]
    order: int = 50


@dataclass(frozen=True)
class DashboardPanel:
    """A block on the dashboard: ``template`` rendered with what ``context()`` returns."""

    template: str
    context: Callable[[], dict[str, Any]]
    roles: frozenset[str]
    order: int = 50
    extra: dict[str, Any] = field(default_factory=dict)


def add_nav(app: Flask, label: Any, endpoint: str, roles: set[str] | frozenset[str], order: int = 50) -> None:
    app.extensions.setdefault("praclox_nav", []).append(NavItem(label, endpoint, frozenset(roles), order))


def add_dashboard_panel(
    app: Flask, template: str, context: Callable[[], dict[str, Any]], roles: set[str], order: int = 50
) -> None:
    app.extensions.setdefault("praclox_panels", []).append(
        DashboardPanel(template, context, frozenset(roles), order)
    )


def add_section(app: Flask, page: str, template: str, roles: set[str], order: int = 50) -> None:
    """Let a domain add a block to another domain's page (``office``, ``contact``, ``account``)."""
    app.extensions.setdefault("praclox_sections", []).append((page, template, frozenset(roles), order))


def sections_for(page: str, user: Any) -> list[str]:
    found = [s for s in current_app.extensions.get("praclox_sections", []) if s[0] == page]
    return [s[1] for s in sorted(found, key=lambda s: s[3]) if user.has_role(*s[2])]


def nav_items_for(user: Any) -> list[NavItem]:
    items = current_app.extensions.get("praclox_nav", [])
    return sorted((i for i in items if user.has_role(*i.roles)), key=lambda i: i.order)


def panels_for(user: Any) -> list[DashboardPanel]:
    panels = current_app.extensions.get("praclox_panels", [])
    return sorted((p for p in panels if user.has_role(*p.roles)), key=lambda p: p.order)


def init_app(app: Flask) -> None:
    from praclox.i18n_tools import i18n_cli
    from praclox.main import errors, views

    app.register_blueprint(views.bp)
    errors.init_app(app)
    app.cli.add_command(i18n_cli)
    from praclox.i18n import month_label

    app.add_template_filter(month_label, "month_label")

    @app.context_processor
    def inject_nav() -> dict[str, Any]:
        from flask_babel import get_locale
        from flask_login import current_user

        from praclox.auth.forms import LogoutForm, role_labels

        common = {"role_label": lambda role: dict(role_labels()).get(role, role), "get_locale": get_locale}
        if current_user.is_authenticated:
            return {
                **common,
                "nav_items": nav_items_for(current_user),
                "logout_form": LogoutForm(formdata=None),  # never reads the request (a 413 page must render)
                "sections": lambda page: sections_for(page, current_user),
            }
        return {**common, "nav_items": [], "sections": lambda page: []}
