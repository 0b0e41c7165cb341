"""Consent by e-mail, through a real local SMTP server: signed, single-use, 14 days, no login."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from praclox.applicants.models import Applicant, Consent
from praclox.extensions import db

TZ = ZoneInfo("Europe/Amsterdam")  # the default TIMEZONE, which the tests run with

SENT = datetime(2026, 4, 1, 10, 0, tzinfo=TZ)


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def _links(message) -> tuple[str, str]:
    body = message.get_body(("plain",)).get_content()
    give, withdraw = re.findall(r"http://crm\.test(/consent/\S+)", body)
    return give, withdraw


def _request(login_as, make_applicant, smtp_server, status="rejected"):
    recruiter = login_as("recruiter")
    applicant_id = make_applicant("Noor Bakker", status=status, decided_on=SENT.date(), email="noor@example.nl")
    response = recruiter.post(f"/applicants/{applicant_id}/consent/request")
    assert response.status_code == 302
    assert len(smtp_server.delivered()) == 1
    message = smtp_server.delivered()[0]
    assert message.envelope_to == ["noor@example.nl"]
    return applicant_id, message


def _consents(app) -> list[Consent]:
    with app.app_context():
        rows = list(db.session.scalars(select(Consent)))
        db.session.expunge_all()
        return rows


def test_recruiter_sends_a_request_and_the_link_records_consent_with_evidence_once(app, client, login_as,
                                                                                  make_applicant, smtp_server):
    with time_machine.travel(SENT, tick=False):
        applicant_id, message = _request(login_as, make_applicant, smtp_server)
        give, withdraw = _links(message)
    with time_machine.travel(SENT + timedelta(days=13), tick=False):
        page = client.get(give)
        assert page.status_code == 200 and b"Noor" not in page.data
        assert _consents(app) == []  # opening the link (or a mail scanner) does not consent
        assert client.post(give).status_code == 200
        again = client.post(give)
        assert again.status_code == 410
        assert "al gebruikt" in again.get_data(as_text=True)
    [consent] = _consents(app)
    assert consent.method == "email" and consent.given_on == (SENT + timedelta(days=13)).date()
    assert consent.expires_on == (SENT + timedelta(days=13)).date().replace(year=2027)
    assert "signed e-mail link" in consent.evidence
    with time_machine.travel(SENT + timedelta(days=20), tick=False):
        assert client.post(withdraw).status_code == 200
    [consent] = _consents(app)
    assert consent.withdrawn_on == (SENT + timedelta(days=20)).date()
    with app.app_context():
        assert db.session.get(Applicant, applicant_id) is not None


def test_an_expired_link_is_refused_clearly_and_changes_nothing(app, client, login_as, make_applicant, smtp_server):
    with time_machine.travel(SENT, tick=False):
        _, message = _request(login_as, make_applicant, smtp_server)
        give, _ = _links(message)
    with time_machine.travel(SENT + timedelta(days=14, seconds=1), tick=False):
        response = client.post(give)
    assert response.status_code == 410
    assert "verlopen" in response.get_data(as_text=True)
    assert _consents(app) == []


def test_a_tampered_or_unknown_link_is_not_found(app, client, login_as, make_applicant, smtp_server):
    with time_machine.travel(SENT, tick=False):
        _, message = _request(login_as, make_applicant, smtp_server)
        give, withdraw = _links(message)
        assert client.post(give[:-2] + "xx").status_code == 404
        assert client.post(withdraw.replace("/withdraw", "") ).status_code == 404  # a withdraw token cannot give
    assert _consents(app) == []


def test_no_request_is_sent_without_an_address(app, login_as, make_applicant, smtp_server):
    recruiter = login_as("recruiter")
    applicant_id = make_applicant(email=None)
    response = recruiter.post(f"/applicants/{applicant_id}/consent/request", follow_redirects=True)
    assert "geen e-mailadres" in response.get_data(as_text=True)
    assert smtp_server.delivered() == []


def test_renewal_is_asked_once_a_month_before_expiry(app, make_applicant, smtp_server):
    from praclox.applicants import consent, services

    with time_machine.travel(SENT, tick=False):
        applicant_id = make_applicant(status="rejected", decided_on=SENT.date())
        with app.test_request_context():
            services.record_consent(db.session.get(Applicant, applicant_id), given_on=SENT.date(), method="phone",
                                    evidence="Agreed by phone", actor=None)
            db.session.commit()
    with time_machine.travel(datetime(2027, 2, 28, 9, tzinfo=TZ), tick=False), app.test_request_context():
        assert consent.send_renewal_requests()["asked"] == 0
    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=TZ), tick=False), app.test_request_context():
        assert consent.send_renewal_requests()["asked"] == 1
        assert consent.send_renewal_requests()["asked"] == 0
        assert len(smtp_server.delivered()) == 1  # the outbox run of that day
    assert "Renew" in smtp_server.delivered()[0]["Subject"] or "Verleng" in smtp_server.delivered()[0]["Subject"]
