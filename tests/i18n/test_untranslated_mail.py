"""Every kind of e-mail the CRM sends, received by a real local SMTP server while the pseudo-locale build of
the Dutch catalogues is in place: subject and body are catalogue text and data only (links aside), with dates
in the locale's words. The messages are built and sent by the services the app's own pages and jobs call."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from pseudo_locale import pseudo_locale
from security_walk import seed_records
from test_untranslated_text import Findings, one_register

from praclox.extensions import db

STAFF = "mail.reader@praclox.nl"
URL = re.compile(r"https?://[^\s\u27e6\u27e7]+")
MONDAY = datetime(2026, 3, 9, 6, 0, tzinfo=UTC)  # 07:00 in Amsterdam, five days before the seeded birthday


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def _send_every_kind(app, make_user) -> None:
    from praclox.applicants import consent, report_mail
    from praclox.applicants.models import Applicant
    from praclox.auth import notices, reset, unlock
    from praclox.auth.models import User
    from praclox.client import services as client_services
    from praclox.dates import reminders
    from praclox.registrations import mailing
    from praclox.registrations.models import Registration

    staff = make_user("staff", "privacy_officer", email=STAFF, name="Mara Mailer")
    with app.test_request_context():
        user = db.session.get(User, staff.id)
        notices.send_notice(user, "password_changed")
        reset.request_reset(user.email)
        unlock.tell_user_of_attempts(user)
        registration = db.session.get(Registration, 1)
        mailing.send_confirmation(registration)
        client_services.send_link(registration)
        registration.status, registration.newsletter_confirmed_at = "active", datetime(2026, 1, 3, tzinfo=UTC)
        db.session.commit()
        mailing.send_newsletter("Nieuws", "Walk news body")
        consent.send_request(db.session.get(Applicant, 1), actor=None)
        consent.send_request(db.session.get(Applicant, 1), renewal=True, actor=None)
        reminders.set_frequency(user.id, "weekly")
        report_mail.toggle_subscription(user)
        db.session.commit()
        assert reminders.send_digests()["queued"] == 1
        assert report_mail.send_monthly_reports()["sent"] == 1
        db.session.commit()


def test_every_mail_is_catalogue_text_and_data(app, make_user, make_office, smtp_server):
    with time_machine.travel(MONDAY, tick=False):
        seed_records(app)
        findings = Findings(app)
        data = findings.data() + ["Walk news body", "Nieuws"]
        with pseudo_locale(app):
            _send_every_kind(app, make_user)
    assert len(smtp_server.delivered()) >= 9
    for message in smtp_server.delivered():
        subject = str(message["Subject"])
        body = message.get_body(("plain",)).get_content()
        findings.check(f"mail {subject[:40]!r} subject", [subject], data)
        findings.check(f"mail {subject[:40]!r}", [URL.sub(" ", body)], data)
        # staff get "je", applicants and registrants "u"
        one_register(findings, f"mail {subject[:40]!r}", [subject, body], formal=message["To"] != STAFF)
    assert not findings.problems, "\n".join(findings.problems)
