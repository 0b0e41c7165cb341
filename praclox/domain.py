"""The contract between the app and its domains: what a domain may contribute, declared as data.

Each domain package has a ``domain.py`` with one ``DOMAIN = Domain(...)``; ``praclox.DOMAINS`` names the
packages and ``create_app`` hands them to ``wire``. Nothing else plugs a domain in: the navigation, the
dashboard, other domains' pages, the settings page, the scheduler, the privacy officer's toolkit, key
rotation, support grants and ``praclox demo-data`` all read the ``Registry`` built here.
``praclox domains`` prints what every domain contributes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, current_app

if TYPE_CHECKING:
    import click
    from apscheduler.triggers.cron import CronTrigger

EXTENSION_KEY = "praclox_registry"


@dataclass(frozen=True)
class Nav:
    """A link in the top navigation, shown to users holding one of ``roles``."""

    label: Any  # a lazy string
    endpoint: str
    roles: frozenset[str]
    order: int = 50


@dataclass(frozen=True)
class Panel:
    """A block on the dashboard: ``template`` rendered with what ``context()`` returns."""

    template: str
    context: Callable[[], dict[str, Any]]
    roles: frozenset[str]
    order: int = 50


@dataclass(frozen=True)
class Section:
    """A block on another domain's page (``office_main``, ``office_sidebar``, ``contact_main``, …).

    ``context(subject)`` gets the page's record (the office or the contact) and returns what the template
    shows; the template reads it as ``section.data``, so it never queries the database itself.
    """

    page: str
    template: str
    context: Callable[[Any], dict[str, Any]]
    roles: frozenset[str]
    order: int = 50


@dataclass(frozen=True)
class RenderedSection:
    template: str
    data: dict[str, Any]


@dataclass(frozen=True)
class SettingSpec:
    """A setting the administrator edits in the browser; ``praclox.settings.services.get(key)`` reads it."""

    key: str
    type: type  # int, bool or str
    default: Any
    label: Any  # lazy string
    section: Any  # lazy string
    help: Any = ""
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class JobSpec:
    """A scheduled job: ``func`` runs in an app context at the cron times given (the configured time zone)."""

    id: str
    func: Callable[[], Mapping[str, int] | None]
    description: Any  # a lazy string: shown in the reader's language
    cron: Mapping[str, Any]

    @property
    def trigger(self) -> CronTrigger:
        from apscheduler.triggers.cron import CronTrigger

        from praclox.clock import zone

        return CronTrigger(timezone=zone(), **self.cron)


@dataclass(frozen=True)
class SupportScope:
    """What a time-limited support grant may open: endpoints starting with one of ``prefixes``."""

    key: str
    label: Any
    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class WatchErased:
    """Count (and, with ``flash_warning``, tell staff) when ``model`` is saved with an erased person's e-mail.

    Rows that also come from outside (website, API) use ``flash_warning=False``: their staff page shows the
    warning instead, and the outside caller never learns of an erasure.
    """

    model: type
    flash_warning: bool = True


@dataclass
class DemoRun:
    """What ``praclox demo-data`` passes from step to step: ``made[domain]`` is what that domain's step returned."""

    rng: random.Random
    offices: int
    made: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Demo:
    """A domain's part of ``praclox demo-data``; runs after the domains named in ``after``."""

    generate: Callable[[DemoRun], Any]
    after: tuple[str, ...] = ()


#: ``fn(batch_size) -> {"rotated": n, "current": m}``: re-encrypt a domain's stored files under the newest key;
#: data derived from a key rather than encrypted with it (the search index) says ``{"rebuilt": n}``
FileRotator = Callable[[int], Mapping[str, int]]
#: ``fn(keys: MultiFernet, *, sample: bool) -> {"checked": n, "unreadable": m, "missing": k}``: try to decrypt a
#: domain's stored files with ``keys`` (``sample``: the oldest and newest only, for the start-up check)
FileChecker = Callable[..., Mapping[str, int]]


@dataclass(frozen=True)
class Domain:
    """Everything one domain contributes to the app. Every field but ``name`` is optional."""

    name: str
    blueprints: tuple[Blueprint, ...] = ()
    cli: tuple[click.Command, ...] = ()
    nav: tuple[Nav, ...] = ()
    panels: tuple[Panel, ...] = ()
    sections: tuple[Section, ...] = ()
    settings: tuple[SettingSpec, ...] = ()
    jobs: tuple[JobSpec, ...] = ()
    #: the domain's privacy module (``FIELDS``, ``find``, ``export``, ``erase``; see privacy/registry.py)
    privacy: Any = None
    watch_erased: tuple[WatchErased, ...] = ()
    file_rotators: tuple[FileRotator, ...] = ()
    #: each file store with a rotator needs a checker too: the rotation's read-back and the start-up check
    file_checkers: tuple[FileChecker, ...] = ()
    support_scopes: tuple[SupportScope, ...] = ()
    #: ``check(user, endpoint, method) -> bool``: may let a user without the role open a page
    access_grants: tuple[Callable[[Any, str | None, str], bool], ...] = ()
    demo: Demo | None = None
    #: helpers templates call to show values (labels), never to query
    template_globals: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    template_filters: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    #: URL prefixes that get no session cookie at all (token URLs such as calendar feeds)
    sessionless_paths: tuple[str, ...] = ()
    #: wiring that is code rather than data: request hooks, model listeners, signal receivers
    setup: Callable[[Flask], None] | None = None


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


@dataclass
class Registry:
    """All domains' contributions, collected once at start. Keys (settings, jobs, …) must be unique."""

    domains: tuple[Domain, ...]
    settings: dict[str, SettingSpec] = field(default_factory=dict)
    jobs: dict[str, JobSpec] = field(default_factory=dict)
    privacy: dict[str, Any] = field(default_factory=dict)
    support_scopes: dict[str, SupportScope] = field(default_factory=dict)
    file_rotators: list[FileRotator] = field(default_factory=list)
    file_checkers: list[FileChecker] = field(default_factory=list)
    access_grants: list[Callable[[Any, str | None, str], bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for domain in self.domains:
            _add_unique(self.settings, {s.key: s for s in domain.settings}, "setting")
            _add_unique(self.jobs, {j.id: j for j in domain.jobs}, "job")
            _add_unique(self.support_scopes, {s.key: s for s in domain.support_scopes}, "support scope")
            if domain.privacy is not None:
                _add_unique(self.privacy, {domain.name: domain.privacy}, "privacy domain")
            self.file_rotators.extend(domain.file_rotators)
            self.file_checkers.extend(domain.file_checkers)
            self.access_grants.extend(domain.access_grants)

    def nav_for(self, user: Any) -> list[Nav]:
        items = [n for d in self.domains for n in d.nav if user.has_role(*n.roles)]
        return sorted(items, key=lambda n: n.order)

    def panels_for(self, user: Any) -> list[Panel]:
        panels = [p for d in self.domains for p in d.panels if user.has_role(*p.roles)]
        return sorted(panels, key=lambda p: p.order)

    def sections_for(self, page: str, subject: Any, user: Any) -> list[RenderedSection]:
        found = [s for d in self.domains for s in d.sections if s.page == page and user.has_role(*s.roles)]
        return [RenderedSection(s.template, s.context(subject)) for s in sorted(found, key=lambda s: s.order)]

    def sessionless_paths(self) -> tuple[str, ...]:
        return tuple(p for d in self.domains for p in d.sessionless_paths)

    def demo_order(self) -> list[Domain]:
        """Domains with demo data, each after the ones it names in ``after`` (else in ``DOMAINS`` order)."""
        pending = [d for d in self.domains if d.demo is not None]
        known = {d.name for d in pending}
        done: list[Domain] = []
        while pending:
            ready = next((d for d in pending if all(a in {x.name for x in done} for a in d.demo.after)), None)  # type: ignore[union-attr]
            if ready is None:
                missing = {d.name: [a for a in d.demo.after if a not in known] for d in pending}  # type: ignore[union-attr]
                raise ValueError(f"demo data depends on missing or circular domains: {missing}")
            done.append(ready)
            pending.remove(ready)
        return done


def _add_unique(target: dict[str, Any], new: Mapping[str, Any], what: str) -> None:
    for key, value in new.items():
        if key in target:
            raise ValueError(f"{what} {key!r} is declared twice")
        target[key] = value


def wire(app: Flask, domains: tuple[Domain, ...]) -> Registry:
    """Plug every domain into the app: blueprints, CLI, template globals, listeners, then its ``setup``."""
    from praclox.privacy.suppression import watch

    registry = Registry(domains)
    app.extensions[EXTENSION_KEY] = registry
    for domain in domains:
        for blueprint in domain.blueprints:
            app.register_blueprint(blueprint)
        for command in domain.cli:
            app.cli.add_command(command)
        app.jinja_env.globals.update(domain.template_globals)
        app.jinja_env.filters.update(domain.template_filters)
        for watched in domain.watch_erased:
            watch(watched.model, flash_warning=watched.flash_warning)
        if domain.setup is not None:
            domain.setup(app)
    return registry


def registry(app: Flask | None = None) -> Registry:
    return (app or current_app).extensions[EXTENSION_KEY]


def describe(found: Registry) -> list[str]:
    """``praclox domains``: one block per domain, one line per kind of contribution it declares."""
    lines: list[str] = []
    for d in found.domains:
        parts = {
            "blueprints": [b.name for b in d.blueprints],
            "commands": [c.name or "" for c in d.cli],
            "navigation": [f"{n.endpoint} ({', '.join(sorted(n.roles))})" for n in d.nav],
            "dashboard panels": [p.template for p in d.panels],
            "page sections": [f"{s.page}: {s.template}" for s in d.sections],
            "settings": [s.key for s in d.settings],
            "jobs": [f"{j.id} ({' '.join(f'{k}={v}' for k, v in j.cron.items())})" for j in d.jobs],
            "personal data": sorted({f.table for f in d.privacy.FIELDS}) if d.privacy is not None else [],
            "erased-address watch": [w.model.__name__ for w in d.watch_erased],
            "file rotators": [getattr(r, "__name__", repr(r)) for r in d.file_rotators],
            "file checkers": [getattr(c, "__name__", repr(c)) for c in d.file_checkers],
            "support scopes": [s.key for s in d.support_scopes],
            "access grants": [getattr(g, "__name__", repr(g)) for g in d.access_grants],
            "demo data": ([f"after {', '.join(d.demo.after)}" if d.demo.after else "first"] if d.demo else []),
            "template helpers": sorted(d.template_globals) + sorted(f"|{f}" for f in d.template_filters),
            "sessionless paths": list(d.sessionless_paths),
            "setup": [d.setup.__module__ + "." + d.setup.__name__] if d.setup else [],
        }
        lines.append(d.name)
        lines.extend(f"  {kind}: {', '.join(values)}" for kind, values in parts.items() if values)
    return lines
