"""Applicants: vacancies, the status pipeline, consent to keep data, the retention purge and its report."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def _declare_settings(app: Flask) -> None:
    from praclox.applicants import services
    from praclox.settings.services import declare

    section = _l("Retention of applicants")
    declare(app, services.REJECTED_DAYS, int, 28, _l("Days after a rejection or withdrawal before purging"),
            section, minimum=1, maximum=3650)
    declare(app, services.HIRED_DAYS, int, 28, _l("Days after a hire before purging (the file moves to HR)"),
            section, minimum=1, maximum=3650)
    declare(app, services.CONSENT_MONTHS, int, 12, _l("Months a consent to keep the data holds"),
            section, minimum=1, maximum=60)
    declare(app, services.RENEWAL_MONTHS, int, 1, _l("Months before a consent expires to ask for renewal"),
            section, minimum=0, maximum=11)
    declare(app, services.STALE_MONTHS, int, 6, _l("Months without activity before an open application is flagged"),
            section, minimum=1, maximum=60)


def init_app(app: Flask) -> None:
    from praclox.applicants import (  # noqa: F401
        cli,
        models,
        privacy,
        purge,
        views,
        views_consent,
        views_report,
        views_vacancies,  # noqa: F401  (routes on the applicants blueprint)
    )
    from praclox.applicants.consent import send_renewal_requests
    from praclox.applicants.report_mail import send_monthly_reports
    from praclox.main import add_dashboard_panel, add_nav
    from praclox.privacy.registry import register_domain
    from praclox.scheduler import register_job

    _declare_settings(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(views_consent.bp)
    app.register_blueprint(views_report.bp)
    app.cli.add_command(cli.retention_cli)
    add_nav(app, _l("Applicants"), "applicants.index", {"recruiter", "admin"}, order=30)
    add_nav(app, _l("Retention"), "retention.index", {"privacy_officer", "admin"}, order=80)
    add_dashboard_panel(app, "applicants/_panel_overdue.html", views_report.panel_context,
                        {"privacy_officer", "admin"}, order=5)
    register_domain(app, "applicants", privacy)
    from praclox.applicants.models import Applicant
    from praclox.privacy.suppression import watch

    # an erased person who applies again: counted on save, warned about on the applicant's page
    watch(Applicant, flash_warning=False)
    register_job(app, purge.JOB_ID, purge.scheduled_purge,
                 _l("Purge applicants whose retention period ended"), hour=2, minute=30)
    register_job(app, "applicants-consent-renewal", send_renewal_requests,
                 _l("Ask applicants to renew a consent that expires within a month"), hour=9, minute=0)
    register_job(app, "retention-report-mail", send_monthly_reports,
                 _l("E-mail the retention report to subscribed privacy officers (once a month)"), hour=7, minute=0)
