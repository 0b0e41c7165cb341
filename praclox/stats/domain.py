"""Use analysis: charts with their numbers about contact moments, wishes, clients, follow-ups, recruitment,
website registrations and the CRM's own use; aggregates only, never a person."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from praclox.domain import Domain, JobSpec, Nav, SettingSpec
from praclox.stats import counter, pages, privacy, services, views

_SECTION = _l("Use analysis")

DOMAIN = Domain(
    name="stats",
    blueprints=(views.bp,),
    nav=(Nav(_l("Analysis"), "stats.index", pages.EVERYONE, order=70),),
    settings=(
        SettingSpec(services.THRESHOLD_KEY, int, 5, _l("Hide counts of people below this number"), _SECTION,
                    help=_l("Smaller counts then show as less than this number, on the analysis pages and in their CSV "
                             "files."),
                    minimum=2, maximum=100),
        SettingSpec(services.RETENTION_KEY, int, 24, _l("Keep the page-use counts for (months)"), _SECTION,
                    minimum=1, maximum=120),
    ),
    jobs=(JobSpec("stats_purge_usage", services.purge_job, _l("Purge page-use counts past their retention"),
                  {"hour": 3, "minute": 40}),),
    privacy=privacy,
    setup=counter.setup,
)
