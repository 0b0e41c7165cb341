"""Out of the box the privacy officer is unnamed: the operator (setup) and the administrator (dashboard) are
told until the statement names someone to ask."""

from __future__ import annotations

import pytest

ADMIN = "dpo.admin@praclox.example"
WARNING = "WARNING: the privacy officer's name and contact details"


@pytest.fixture(scope="module")
def fresh(make_instance):
    return make_instance(migrate=False)


def test_setup_and_the_admin_dashboard_say_the_privacy_officer_is_missing(fresh, start_server, login):
    first = fresh.praclox("setup", "--no-demo")
    assert WARNING in first.stdout, first.stdout

    fresh.create_user(ADMIN, "admin", name="Dirk Beheer")
    server = start_server(fresh)
    admin = login(server, fresh, ADMIN)
    dashboard = admin.get("/")
    assert 'id="officer-missing"' in dashboard.text
    assert "De privacyverklaring noemt geen Functionaris Gegevensbescherming." in dashboard.text
    assert "Ter attentie van" in admin.get("/privacy").text or "ter attentie van" in admin.get("/privacy").text

    saved = admin.submit("/admin/settings/", **{"privacy.officer_name": "Fenna Gegevens",
                                                "privacy.officer_email": "fg@praclox.example"})
    assert saved.status == 302, saved.text[:1000]

    assert 'id="officer-missing"' not in admin.get("/").text
    assert "Fenna Gegevens" in admin.get("/privacy").text
    again = fresh.praclox("setup", "--no-demo")
    assert "WARNING" not in again.stdout, again.stdout


def test_a_name_without_any_contact_is_still_reported(fresh, start_server, login):
    server = start_server(fresh)
    admin = login(server, fresh, ADMIN)
    admin.submit("/admin/settings/", **{"privacy.officer_email": "", "privacy.officer_address": ""})
    page = admin.get("/").text
    assert 'id="officer-missing"' in page and "contactgegevens" in page and "De naam" not in page
    assert "contact details (postal address or e-mail) are not set" in fresh.praclox("setup", "--no-demo").stdout
