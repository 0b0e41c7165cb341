"""A calendar feed answers only while its owner may see personal dates, by the same rule as the reminder mails;
an administrator sees every user's feeds on the user's page and revokes any (issue 11, finding 1).

The older feed tests changed only ``active``; a role change is the other way to lose the right to see personal
dates, so every such change is walked here, through the admin page an administrator really uses.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from praclox.extensions import db

#: (roles after the change, active after the change): every way out of "may see personal dates"
LOSSES = [(["recruiter"], True), (["privacy_officer"], True), (["support"], True), (["staff"], False)]


@pytest.fixture
def owner_with_feed(app, make_user, make_contact, make_date):
    from praclox.auth.models import User
    from praclox.dates import feeds, reminders

    user = make_user("staff", email="feed-owner@praclox.nl")
    make_date(make_contact("Jan", "Jansen"), "birthday", 5, 5, 1980)
    with app.test_request_context():
        feed, token = feeds.create_feed(db.session.get(User, user.id), "telefoon", actor=None)
        reminders.set_frequency(user.id, "daily")
        db.session.commit()
        return user, feed.id, token


def digest_due(app, user_id):
    from praclox.clock import today
    from praclox.dates import reminders

    with app.test_request_context():
        return user_id in {u.id for u, _frequency in reminders.due_users(today())}


@pytest.mark.parametrize(("roles", "active"), LOSSES, ids=lambda v: str(v))
def test_a_feed_and_the_digest_stop_when_the_owner_may_no_longer_see_personal_dates(
        app, client, admin_client, owner_with_feed, roles, active):
    user, _feed_id, token = owner_with_feed
    assert client.get(f"/feeds/{token}.ics").status_code == 200 and digest_due(app, user.id)
    data = {"name": "Feed Owner", "roles": roles} | ({"active": "y"} if active else {})
    assert admin_client.post(f"/admin/users/{user.id}", data=data).status_code == 302
    answer = client.get(f"/feeds/{token}.ics")
    assert answer.status_code == 404 and b"BEGIN:VCALENDAR" not in answer.data
    assert not digest_due(app, user.id)


def test_an_admin_sees_every_feed_of_a_user_and_revokes_it_audited(app, client, admin_client, owner_with_feed):
    from praclox.audit.models import AuditEntry
    from praclox.dates.models import Feed

    user, feed_id, token = owner_with_feed
    admin_client.post(f"/admin/users/{user.id}", data={"name": "Feed Owner", "roles": ["recruiter"], "active": "y"})
    page = admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "telefoon" in page and f"/admin/users/{user.id}/feeds/{feed_id}/revoke" in page
    assert admin_client.post(f"/admin/users/999/feeds/{feed_id}/revoke").status_code == 404  # through its owner
    assert admin_client.post(f"/admin/users/{user.id}/feeds/{feed_id}/revoke").status_code == 302
    with app.app_context():
        assert db.session.get(Feed, feed_id).revoked_at is not None
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == Feed.__tablename__,
                                                            AuditEntry.record_id == feed_id)
                                   .order_by(AuditEntry.id.desc())).first()
        assert entry.action == "update" and entry.actor_id != user.id
    # back on the staff role, the revoked feed stays dead
    admin_client.post(f"/admin/users/{user.id}", data={"name": "Feed Owner", "roles": ["staff"], "active": "y"})
    assert client.get(f"/feeds/{token}.ics").status_code == 404
