"""The daily lists read a page with a fixed number of statements, however many rows it shows and however many
offices, owners and contacts those rows name (no query per row: issue 13's lists at 20,000 follow-ups)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from praclox.clock import now, today
from praclox.extensions import db


def _statements(app, client, path: str) -> list[str]:
    found: list[str] = []

    def on_execute(conn, cursor, statement, *args) -> None:
        found.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        response = client.get(path)
        assert response.status_code == 200, path
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    return found


def _seed(app, make_user, make_office, rows: int, start: int) -> None:
    """``rows`` of everything the lists show, each with its own office, contact and user."""
    from praclox.dates.models import Congratulation, PersonalDate
    from praclox.followups.models import FollowUp
    from praclox.offices.models import Contact, Interaction, Office, OfficeConversion, Tag, office_tags

    for n in range(start, start + rows):
        user = make_user("staff", name=f"Medewerker {n}")
        office_id = make_office(f"Kantoor {n}", contacts=({"first_name": "Anna", "last_name": f"Smit {n}"},))
        with app.app_context():
            contact = db.session.scalars(db.select(Contact).where(Contact.office_id == office_id)).one()
            db.session.get(Office, office_id).account_manager_id = user.id
            tag = Tag(name=f"Regio {n}", tag_group="region")
            db.session.add(tag)
            db.session.flush()
            db.session.execute(office_tags.insert().values(office_id=office_id, tag_id=tag.id))
            db.session.add_all([
                Interaction(office_id=office_id, contact_id=contact.id, kind="call", occurred_on=today(),
                            summary=f"Gesprek {n}", logged_by_id=user.id),
                FollowUp(office_id=office_id, contact_id=contact.id, owner_id=user.id, title=f"Bellen {n}",
                         due_on=today() + timedelta(days=n)),
                FollowUp(office_id=office_id, contact_id=contact.id, owner_id=user.id, title=f"Klaar {n}",
                         due_on=today(), done_at=now(), done_by_id=user.id),
                OfficeConversion(office_id=office_id, converted_at=now(), converted_by_id=user.id),
            ])
            date = PersonalDate(contact_id=contact.id, kind="birthday", month=1, day=1 + n % 28, year=1980)
            db.session.add(date)
            db.session.flush()
            db.session.add(Congratulation(personal_date_id=date.id, occurrence_year=2026, how="card",
                                          by_id=user.id))
            db.session.commit()


@pytest.mark.parametrize("path", [
    "/follow-ups/?owner=all", "/follow-ups/?owner=all&status=done", "/follow-ups/?owner=all&status=all",
    "/follow-ups/?owner=all&office=kantoor", "/offices/", "/offices/?sort=last_contact", "/timeline/",
    "/contacts/",
])
def test_a_list_page_reads_the_same_number_of_statements_for_two_rows_as_for_six(app, staff_client, make_user,
                                                                                     make_office, path):
    _seed(app, make_user, make_office, 2, 0)
    staff_client.get(path)  # the session's first touch may write
    few = _statements(app, staff_client, path)
    _seed(app, make_user, make_office, 4, 2)
    many = _statements(app, staff_client, path)
    body = staff_client.get(path).get_data(as_text=True)
    assert "Kantoor 5" in body or "Smit 5" in body  # the six rows are on the page (the timeline: 24 entries)
    assert len(many) == len(few), "\n".join(s[:90] for s in ["few:", *few, "many:", *many])
