"""Every role against every privacy page, with real records behind the URLs."""

from __future__ import annotations

from datetime import date

import pytest

from praclox.extensions import db

ROLES = ("staff", "recruiter", "privacy_officer", "admin", "support")
OFFICER = {"privacy_officer"}
PAGES = {
    "/privacy": None,  # public
    "/privacy-officer/register": {"privacy_officer", "admin"},
    "/privacy-officer/register.csv": {"privacy_officer", "admin"},
    "/privacy-officer/requests": OFFICER,
    "/privacy-officer/requests/new": OFFICER,
    "/privacy-officer/requests/{request_id}": OFFICER,
    "/privacy-officer/subjects": OFFICER,
    "/privacy-officer/audit": OFFICER,
    "/privacy-officer/audit.csv": OFFICER,
    "/privacy-officer/support": OFFICER,
    "/admin/support/": {"admin"},
}


@pytest.fixture
def request_id(app) -> int:
    from praclox.privacy import requests

    with app.test_request_context():
        item = requests.create_request(requester_name="Els", requester_contact=None, kind="access",
                                       received_on=date(2026, 1, 5), actor=None)
        db.session.commit()
        return item.id


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_privacy_pages_it_may(app, login_as, request_id, role):
    client = login_as(role)
    for template, allowed in PAGES.items():
        url = template.format(request_id=request_id)
        status = client.get(url).status_code
        expected = 200 if allowed is None or role in allowed else 403
        assert status == expected, (role, url, status)


def test_anonymous_visitors_see_only_the_statement(app, client, request_id):
    for template, allowed in PAGES.items():
        response = client.get(template.format(request_id=request_id))
        if allowed is None:
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/login" in response.headers["Location"], template


def test_a_support_grant_never_opens_the_privacy_pages(app, login_as, request_id):
    from praclox.auth.models import User
    from praclox.privacy import support

    client = login_as("support")
    with app.test_request_context():
        support.grant(db.session.get(User, client.user.id), hours=2, reason="help", scope="offices", actor=None)
        db.session.commit()
    assert client.get("/offices/").status_code == 200
    for template, allowed in PAGES.items():
        if allowed is not None:
            assert client.get(template.format(request_id=request_id)).status_code == 403, template
