"""Applicants: vacancies, the status pipeline, consent to keep data, the retention purge and its report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from praclox.applicants import (  # noqa: F401  (views_vacancies adds its routes to the applicants blueprint)
    cli,
    documents,
    models,
    privacy,
    purge,
    services,
    views,
    views_consent,
    views_report,
    views_vacancies,
)
from praclox.applicants.consent import send_renewal_requests
from praclox.applicants.report_mail import send_monthly_reports
from praclox.domain import Domain, JobSpec, Nav, Panel, SettingSpec, WatchErased, roles

_RETENTION = _l("Retention of applicants")

DOMAIN = Domain(
    name="applicants",
    blueprints=(views.bp, views_consent.bp, views_report.bp),
    cli=(cli.retention_cli,),
    nav=(
        Nav(_l("Applicants"), "applicants.index", roles("recruiter", "admin"), order=30),
        Nav(_l("Retention"), "retention.index", roles("privacy_officer", "admin"), order=80),
    ),
    panels=(Panel("applicants/_panel_overdue.html", views_report.panel_context, roles("privacy_officer", "admin"),
                  order=5),),
    settings=(
        SettingSpec(services.REJECTED_DAYS, int, 28, _l("Days after a rejection or withdrawal before purging"),
                    _RETENTION, minimum=1, maximum=3650),
        SettingSpec(services.HIRED_DAYS, int, 28, _l("Days after a hire before purging (the file moves to HR)"),
                    _RETENTION, minimum=1, maximum=3650),
        SettingSpec(services.CONSENT_MONTHS, int, 12, _l("Months a consent to keep the data holds"),
                    _RETENTION, minimum=1, maximum=60),
        SettingSpec(services.RENEWAL_MONTHS, int, 1, _l("Months before a consent expires to ask for renewal"),
                    _RETENTION, minimum=0, maximum=11),
        SettingSpec(services.STALE_MONTHS, int, 6, _l("Months without activity before an open application is flagged"),
                    _RETENTION, minimum=1, maximum=60),
    ),
    jobs=(
        JobSpec(purge.JOB_ID, purge.scheduled_purge, _l("Purge applicants whose retention period ended"),
                {"hour": 2, "minute": 30}),
        JobSpec("applicants-consent-renewal", send_renewal_requests,
                _l("Ask applicants to renew a consent that expires within a month"), {"hour": 9, "minute": 0}),
        JobSpec("retention-report-mail", send_monthly_reports,
                _l("E-mail the retention report to subscribed privacy officers (once a month)"),
                {"hour": 7, "minute": 0}),
    ),
    privacy=privacy,
    # an erased person who applies again: counted on save, warned about on the applicant's page
    watch_erased=(WatchErased(models.Applicant, flash_warning=False),),
)
