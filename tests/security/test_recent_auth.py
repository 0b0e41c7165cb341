"""Every security-relevant action asks for the password again after the re-authentication window (ASVS 3.7.1).

Issue 11 (finding 8): saving the security settings, making an API key and granting support access needed no
re-authentication while adding a user did. Each sensitive view had its own test, so a view nobody thought of
had none. Here every POST endpoint a logged-in user can reach must be classified: SENSITIVE ones must carry
``require_recent_auth`` and are walked with a stale session; an admin-only endpoint is sensitive unless
ORDINARY says why not. A new endpoint fails ``test_every_post_endpoint_is_classified`` until someone decides.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from security_walk import ALL_ROLES, SESSION_TOUCH, seed_records, snapshot, url_for_rule
from test_access_matrix import ACCESS, LOGGED_IN

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

#: who may get in, with what, and who may see which data: the password again first
SENSITIVE = {
    "admin.create_user", "admin.edit_user", "admin.revoke_feed", "auth.admin_reset_two_factor",
    "settings.index", "support.grants", "registrations.api_keys", "applicants.legal_hold",
    "applicants.delete_document", "privacy.subject_erase",
    "auth.recovery_codes", "auth.two_factor_remove", "auth.two_factor_start", "auth.two_factor_confirm",
}
#: POST endpoints of logged-in users that need no fresh password, and why
ORDINARY = {
    "auth.logout": "ends access",
    "auth.reauth": "is the re-authentication",
    "auth.password": "asks for the current password itself",
    "auth.end_session": "ends access",
    "auth.end_other_sessions": "ends access",
    "support.revoke": "ends access; a fresh password would only slow the answer to a misuse",
    "registrations.revoke_api_key": "ends access; a fresh password would only slow the answer to a leaked key",
    "applicants.reasons": "the list of rejection reasons: wording, no access or personal data",
    "applicants.toggle_reason": "the list of rejection reasons: wording, no access or personal data",
    "followups.orphaned": "hands a departed colleague's follow-ups to another: work on records, no access",
    "tags.index": "the list of office tags: segment names, no access or personal data",
    "tags.edit": "the list of office tags: segment names, no access or personal data",
    "tags.delete": "the list of office tags: segment names, no access or personal data",
}
#: roles and session kinds whose POST endpoints are ordinary work on records (offices, dates, applicants,
#: requests …), each audited; only the endpoints above decide about access
WORK_ROLES = {"staff", "recruiter", "privacy_officer"}



def post_endpoints(app):
    for rule in app.url_map.iter_rules():
        access = ACCESS[rule.endpoint]
        if "POST" in (rule.methods or ()) and (access == LOGGED_IN or isinstance(access, set)):
            yield rule, access


def test_every_post_endpoint_is_classified(app):
    unclassified, admin_only = [], []
    for rule, access in post_endpoints(app):
        name = rule.endpoint
        if name in SENSITIVE or name in ORDINARY:
            continue
        if access == {"admin"}:
            admin_only.append(name)
        elif access == LOGGED_IN or not (access & WORK_ROLES):
            unclassified.append(name)
    assert not admin_only, f"admin-only POST endpoints must re-authenticate or say why not: {admin_only}"
    assert not unclassified, f"classify these POST endpoints in SENSITIVE or ORDINARY: {unclassified}"
    assert not SENSITIVE & set(ORDINARY)


def test_every_sensitive_endpoint_carries_the_check(app):
    missing = [name for name in sorted(SENSITIVE) if not getattr(app.view_functions[name], "requires_recent_auth",
                                                                 False)]
    assert not missing, missing


def test_a_stale_session_is_sent_to_reauthenticate_by_every_sensitive_endpoint_and_nothing_changes(
        app, login_as, make_office):
    seed_records(app)
    with time_machine.travel(START, tick=False) as traveller:
        client = login_as(*ALL_ROLES)
        traveller.shift(timedelta(minutes=11))  # past the 10-minute window, well within the 30 idle minutes
        client.get("/")
        before = snapshot(app, SESSION_TOUCH)
        for rule, _access in sorted(post_endpoints(app), key=lambda item: item[0].rule):
            if rule.endpoint not in SENSITIVE:
                continue
            response = client.post(url_for_rule(rule, "1"), data={"confirm": "y", "name": "x", "hours": "1"})
            assert response.status_code == 302, (rule.rule, response.status_code)
            assert "/account/confirm?" in response.headers["Location"], (rule.rule, response.headers["Location"])
            assert snapshot(app, SESSION_TOUCH) == before, rule.rule


def test_saving_settings_making_an_api_key_and_granting_support_need_the_password_again(app, login_as, make_user):
    from sqlalchemy import func, select

    from praclox.extensions import db
    from praclox.privacy.models import SupportGrant
    from praclox.registrations.models import ApiKey
    from praclox.settings import services as settings

    engineer = make_user("support")
    with time_machine.travel(START, tick=False) as traveller:
        admin = login_as("admin")
        traveller.shift(timedelta(minutes=11))
        answers = [
            admin.post("/admin/settings/", data={"auth.lockout_account_failures": "20"}),
            admin.post("/registrations/api-keys", data={"name": "website"}),
            admin.post("/admin/support/", data={"user_id": engineer.id, "hours": 8, "reason": "ticket 12",
                                                "scope": "offices"}),
        ]
        assert all("/account/confirm?" in a.headers.get("Location", "") for a in answers), [a.status for a in answers]
    with app.app_context():
        assert settings.get("auth.lockout_account_failures") == 5
        assert db.session.scalar(select(func.count(ApiKey.id))) == 0
        assert db.session.scalar(select(func.count(SupportGrant.id))) == 0
