"""Website registrations: the JSON API, the newsletter with double opt-in, and their retention."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from praclox.domain import Demo, Domain, JobSpec, Nav, Section, SettingSpec, WatchErased, roles
from praclox.registrations import api, cli, demo, models, privacy, public, retention, services, views

_REGISTRATIONS = _l("Website registrations")


def _office_section(office: Any) -> dict[str, Any]:
    return {"registrations": services.for_office(office.id)}


DOMAIN = Domain(
    name="registrations",
    blueprints=(views.bp, api.bp, public.bp),
    cli=(cli.registrations_cli,),
    nav=(Nav(_l("Registrations"), "registrations.index", roles("staff", "admin"), order=40),),
    sections=(Section("office_sidebar", "registrations/_office_section.html", _office_section,
                      roles("staff", "admin")),),
    settings=(
        SettingSpec(retention.PURGE_AFTER, int, 30, _l("Purge unsubscribed and closed registrations after (days)"),
                    _REGISTRATIONS, minimum=1, maximum=3650),
        SettingSpec(retention.UNCONFIRMED_AFTER, int, 30, _l("Purge never-confirmed registrations after (days)"),
                    _REGISTRATIONS, minimum=1, maximum=3650),
    ),
    jobs=(
        JobSpec(cli.JOB_ID, retention.purge_job, _l("Purge registrations past their retention"),
                {"hour": 3, "minute": 20}),
    ),
    privacy=privacy,
    # staff see the warning on the registration; the website or API caller never learns of an erasure
    watch_erased=(WatchErased(models.Registration, flash_warning=False),),
    demo=Demo(demo.generate, after=("offices",)),
    template_globals={"registration_status_choices": models.Status.choices,
                      "registration_status_label": models.Status.label_of},
)
