"""Every endpoint × anonymous and each role × GET/POST, against one table of who may do what.

A new endpoint without a line in ACCESS fails ``test_every_endpoint_is_in_the_table``.
"""

from __future__ import annotations

import re

import pytest

ROLES = ("staff", "recruiter", "privacy_officer", "admin", "support")

PUBLIC = "public"  # anyone, no login (the login page, static files, the public privacy statement)
LOGGED_IN = "logged_in"  # any logged-in user, whatever the role
TOKEN = "token"  # no session; a secret in the URL decides (unknown secret: 404)
API = "api"  # no session; an API key decides (none: 401)
CLIENT = "client"  # the client area: only its own cookie counts (anonymous or staff: to /client/login)
LOGIN_STEP = "login_step"  # the second step of a login: without a pending login, back to the login page

# endpoint: PUBLIC | LOGGED_IN | TOKEN | API | set of roles that may open it
ACCESS: dict[str, object] = {
    "static": PUBLIC,
    "bootstrap.static": PUBLIC,
    "main.health": PUBLIC,
    "main.health_live": PUBLIC,
    "main.health_ready": PUBLIC,
    "main.favicon": PUBLIC,
    "main.language": PUBLIC,
    "main.index": LOGGED_IN,
    "auth.login": PUBLIC,
    "auth.logout": LOGGED_IN,
    "auth.password": LOGGED_IN,
    # --- security (issue 7): second factor, sessions, re-authentication, password reset
    "auth.login_verify": LOGIN_STEP,
    "auth.reset_request": PUBLIC,
    "auth.reset_password": TOKEN,
    "auth.unlock_browser": TOKEN,
    "auth.reauth": LOGGED_IN,
    "auth.sessions_page": LOGGED_IN,
    "auth.end_session": LOGGED_IN,
    "auth.end_other_sessions": LOGGED_IN,
    "auth.two_factor": LOGGED_IN,
    "auth.two_factor_start": LOGGED_IN,
    "auth.two_factor_qr": LOGGED_IN,
    "auth.two_factor_confirm": LOGGED_IN,
    "auth.recovery_codes": LOGGED_IN,
    "auth.two_factor_remove": LOGGED_IN,
    "auth.admin_reset_two_factor": {"admin"},
    # --- offices
    "offices.index": {"staff", "admin"},
    "offices.create": {"staff", "admin"},
    "offices.detail": {"staff", "admin"},
    "offices.edit": {"staff", "admin"},
    "offices.convert": {"staff", "admin"},
    "offices.delete": {"staff", "admin"},
    "offices.log_interaction": {"staff", "admin"},
    "offices.delete_interaction": {"staff", "admin"},
    "offices.edit_interaction": {"staff", "admin"},  # and then only its author or an admin
    "offices.create_contact": {"staff", "admin"},
    "offices.contact": {"staff", "admin"},
    "offices.edit_contact": {"staff", "admin"},
    "offices.contact_left": {"staff", "admin"},
    "offices.contact_reactivate": {"staff", "admin"},
    "offices.delete_contact": {"staff", "admin"},
    "offices.import_upload": {"staff", "admin"},
    "offices.bulk": {"staff", "admin"},
    "tags.add_to_office": {"staff", "admin"},
    "tags.remove_from_office": {"staff", "admin"},
    "tags.index": {"admin"},
    "tags.edit": {"admin"},
    "tags.delete": {"admin"},
    "contacts.index": {"staff", "admin"},
    # --- data in and out (issue 14): exports, duplicates, merging
    "dataio.export_offices": {"staff", "admin"},
    "dataio.duplicates": {"staff", "admin"},
    "dataio.merge_offices": {"staff", "admin"},
    "dataio.merge_contacts": {"staff", "admin"},
    # --- dates
    "dates.month": {"staff", "admin"},
    "dates.create": {"staff", "admin"},
    "dates.edit": {"staff", "admin"},
    "dates.end": {"staff", "admin"},
    "dates.restore": {"staff", "admin"},
    "dates.delete": {"staff", "admin"},
    "dates.congratulate": {"staff", "admin"},
    "dates.uncongratulate": {"staff", "admin"},
    "dates.account": {"staff", "admin"},
    "dates.create_feed": {"staff", "admin"},
    "dates.update_feed": {"staff", "admin"},
    "dates.revoke_feed": {"staff", "admin"},
    "dates.save_reminders": {"staff", "admin"},
    "dates.import_vcard": {"staff", "admin"},
    "feeds.calendar": TOKEN,
    # --- applicants (recruiters and admins only; the legal hold and the reasons list: admins)
    "applicants.index": {"recruiter", "admin"},
    "applicants.create": {"recruiter", "admin"},
    "applicants.detail": {"recruiter", "admin"},
    "applicants.edit": {"recruiter", "admin"},
    "applicants.change_status": {"recruiter", "admin"},
    "applicants.upload": {"recruiter", "admin"},
    "applicants.download": {"recruiter", "admin"},
    "applicants.delete_document": {"recruiter", "admin"},
    "applicants.record_consent": {"recruiter", "admin"},
    "applicants.withdraw_consent": {"recruiter", "admin"},
    "applicants.request_consent": {"recruiter", "admin"},
    "applicants.legal_hold": {"admin"},
    "applicants.vacancies": {"recruiter", "admin"},
    "applicants.edit_vacancy": {"recruiter", "admin"},
    "applicants.reasons": {"admin"},
    "applicants.toggle_reason": {"admin"},
    "consent.give": TOKEN,
    "consent.withdraw": TOKEN,
    # --- retention report (privacy officer and admin)
    "retention.index": {"privacy_officer", "admin"},
    "retention.printable": {"privacy_officer", "admin"},
    "retention.export_csv": {"privacy_officer", "admin"},
    "retention.subscription": {"privacy_officer", "admin"},
    # --- admin
    "admin.users": {"admin"},
    "admin.create_user": {"admin"},
    "admin.edit_user": {"admin"},
    "admin.revoke_feed": {"admin"},
    "admin.job_runs": {"admin"},
    "settings.index": {"admin"},
    # --- registrations, newsletter, API keys
    "registrations.index": {"staff", "admin"},
    "registrations.create": {"staff", "admin"},
    "registrations.edit": {"staff", "admin"},
    "registrations.resend": {"staff", "admin"},
    "registrations.close": {"staff", "admin"},
    "registrations.export": {"staff", "admin"},
    "registrations.api_keys": {"admin"},
    "registrations.revoke_api_key": {"admin"},
    "registrations_api.create_registration": API,
    "registrations_public.confirm": TOKEN,
    "registrations_public.unsubscribe": TOKEN,
    # --- wishes
    "wishes.index": {"staff", "admin"},
    "wishes.create": {"staff", "admin"},
    "wishes.edit": {"staff", "admin"},
    "wishes.delete": {"staff", "admin"},
    # --- follow-ups
    "followups.index": {"staff", "admin"},
    "followups.create": {"staff", "admin"},
    "followups.edit": {"staff", "admin"},
    "followups.complete": {"staff", "admin"},
    "followups.reopen": {"staff", "admin"},
    "followups.orphaned": {"admin"},
    # --- attachments of offices and contacts
    "attachments.upload_to_office": {"staff", "admin"},
    "attachments.upload_to_contact": {"staff", "admin"},
    "attachments.download": {"staff", "admin"},
    "attachments.delete": {"staff", "admin"},
    "timeline.index": {"staff", "admin"},
    # --- search (issues 14 and 16): one box over offices, contacts and contact moments
    "search.index": {"staff", "admin"},
    # --- the client area (its own cookie, never the staff session)
    "client.login": PUBLIC,
    "client.magic": TOKEN,
    "client.index": CLIENT,
    "client.wish": CLIENT,
    "client.logout": CLIENT,
    "client.not_found": CLIENT,
    # --- use analysis (issue 15): staff pages for staff and admins, recruitment for recruiters and admins
    "stats.index": {"staff", "recruiter", "admin"},
    "stats.page": {"staff", "admin"},
    "stats.page_csv": {"staff", "admin"},
    "stats.recruitment": {"recruiter", "admin"},
    "stats.recruitment_csv": {"recruiter", "admin"},
    # --- privacy (issue 5)
    "statement.show": PUBLIC,
    "privacy.processing_register": {"privacy_officer", "admin"},
    "privacy.register_csv": {"privacy_officer", "admin"},
    "privacy.requests_index": {"privacy_officer"},
    "privacy.new_request": {"privacy_officer"},
    "privacy.request_detail": {"privacy_officer"},
    "privacy.extend_request": {"privacy_officer"},
    "privacy.close_request": {"privacy_officer"},
    "privacy.subjects_search": {"privacy_officer"},
    "privacy.subject_access": {"privacy_officer"},
    "privacy.subject_export": {"privacy_officer"},
    "privacy.subject_erase": {"privacy_officer"},
    # rectification from a hit, and what an erasure left to decide (issue 10 point 3)
    "privacy.record": {"privacy_officer"},
    "privacy.review_keep": {"privacy_officer"},
    "privacy.erasure": {"privacy_officer"},
    "privacy.audit": {"privacy_officer"},
    "privacy.audit_csv": {"privacy_officer"},
    "privacy.support_overview": {"privacy_officer"},
    "support.grants": {"admin"},
    "support.revoke": {"admin"},
}


def _url_for_rule(rule) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{name}>", "999999" if "int" in rule._converters[name].__class__.__name__.lower()
                     else "x" * 43, url)
    return url


def _rules(app):
    for rule in app.url_map.iter_rules():
        for method in sorted({"GET", "POST"} & rule.methods):
            yield rule, method


def test_every_endpoint_is_in_the_table(app):
    missing = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - set(ACCESS))
    assert not missing, f"endpoints without an access rule: {missing}"


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def _is_client_login_redirect(response) -> bool:
    return response.status_code == 302 and response.headers.get("Location", "").endswith("/client/login")


def test_anonymous_requests_are_refused_everywhere_but_public_pages(app, client):
    for rule, method in _rules(app):
        expected = ACCESS[rule.endpoint]
        response = client.open(_url_for_rule(rule), method=method)
        if expected == PUBLIC:
            assert not _is_login_redirect(response) and response.status_code not in (401, 403), rule
        elif expected == TOKEN:
            assert response.status_code == 404, (rule, response.status_code)
        elif expected == API:
            assert response.status_code == 401, (rule, response.status_code)
            assert response.is_json, rule
        elif expected == CLIENT:
            assert _is_client_login_redirect(response) or response.status_code == 404, (rule, method)
        else:
            assert _is_login_redirect(response), (rule, method, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_403_exactly_where_it_does_not_belong(app, login_as, role):
    client = login_as(role)
    for rule, method in _rules(app):
        expected = ACCESS[rule.endpoint]
        if expected in (PUBLIC, TOKEN, API) or rule.endpoint in ("auth.logout", "main.language"):
            continue
        response = client.open(_url_for_rule(rule), method=method)
        if expected == CLIENT:
            # a staff session opens nothing in the client area
            assert _is_client_login_redirect(response), (rule, method, role, response.status_code)
            continue
        if expected in (LOGGED_IN, LOGIN_STEP) or role in expected:
            assert response.status_code != 403 and not _is_login_redirect(response), (rule, method, role)
            assert response.status_code < 500, (rule, method, role)
        else:
            assert response.status_code == 403, (rule, method, role, response.status_code)


def test_a_signed_in_client_is_refused_by_every_crm_endpoint(app, client_login):
    """The client cookie is only sent to /client; even sent everywhere it opens nothing in the CRM."""
    from praclox.client.services import COOKIE_NAME

    client = client_login()
    cookie = client.get_cookie(COOKIE_NAME, path="/client")
    assert cookie is not None and client.get("/client/").status_code == 200
    client.set_cookie(COOKIE_NAME, cookie.value, path="/")  # as if the browser sent it everywhere
    for rule, method in _rules(app):
        expected = ACCESS[rule.endpoint]
        if expected in (PUBLIC, TOKEN, CLIENT):
            continue
        response = client.open(_url_for_rule(rule), method=method)
        if expected == API:
            assert response.status_code == 401, (rule, method)
        else:
            assert _is_login_redirect(response) and "/client" not in response.headers["Location"], (
                rule, method, response.status_code)
