"""Personal dates: birthdays, children's birthdays and wedding days; calendar pages, iCal feeds, reminders."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from praclox.dates import cli, dashboard, demo, feed_cache, feed_views, feeds, privacy, reminders, services, views
from praclox.dates.models import CongratulationHow, DateKind, EndReason
from praclox.domain import Demo, Domain, JobSpec, Nav, Panel, Section, SettingSpec, roles

_DATES = _l("Personal dates")


def _contact_section(contact: Any) -> dict[str, Any]:
    return {"dates": dashboard.contact_dates(contact)}


def _setup(app: Flask) -> None:
    from praclox.offices.signals import contact_deleting, contact_left

    services.install_listeners()
    feed_cache.init_app(app)
    # weak=False: the receivers are module functions, but keep them for the app's lifetime regardless
    contact_left.connect(services.on_contact_left, weak=False)
    contact_deleting.connect(services.on_contact_deleting, weak=False)


DOMAIN = Domain(
    name="dates",
    blueprints=(views.bp, feed_views.bp),
    cli=(cli.import_cli, cli.feed_cli, cli.dates_cli),
    nav=(Nav(_l("Birthdays"), "dates.month", roles("staff", "admin"), order=20),),
    panels=(Panel("dates/_panel.html", dashboard.panel_context, roles("staff", "admin"), order=5),),
    sections=(Section("contact_main", "dates/_contact_section.html", _contact_section, roles("staff", "admin"),
                      order=20),),
    settings=(
        SettingSpec(services.CUTOFF_SETTING, int, 0, _l("Children's birthdays stop after this age (0: never)"),
                    _DATES, minimum=0, maximum=99),
        SettingSpec(feeds.EXPIRY_SETTING, int, feeds.DEFAULT_EXPIRY_DAYS,
                    _l("An unused calendar feed expires after this many days"), _DATES, minimum=1, maximum=3650),
    ),
    jobs=(
        JobSpec(reminders.JOB_ID, reminders.job,
                _l("Reminder e-mails of coming birthdays and anniversaries (daily digests; weekly on Monday)"),
                {"hour": 7, "minute": 0}),
    ),
    privacy=privacy,
    demo=Demo(demo.generate, after=("offices",)),
    template_globals={"month_name": dashboard.month_name, "end_reason_label": EndReason.label_of,
                      "date_kind_label": DateKind.label_of, "congratulation_label": CongratulationHow.label_of,
                      "congratulation_choices": CongratulationHow.choices},
    sessionless_paths=("/feeds/",),
    setup=_setup,
)
