"""The offices block on the dashboard as the user sees it: the latest contact moments (office, kind, contact),
prospects without contact for two years and contacts who left, each linked; read as plain rows in three
statements (praclox/offices/dashboard.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from praclox.extensions import db
from praclox.offices.models import Contact, Office


def test_the_offices_block_shows_the_latest_moments_stale_prospects_and_leavers(app, staff_client, make_office):
    client_id = make_office("Jansen & Zn <Accountants>", kind="client",
                            contacts=({"first_name": "Petra", "last_name": "Bakker"},))
    old_prospect = make_office("Oude Prospect BV", kind="prospect")
    new_prospect = make_office("Nieuwe Prospect BV", kind="prospect")
    quiet_client = make_office("Stille Klant BV", kind="client")
    with app.app_context():
        three_years_ago = datetime.now(UTC) - timedelta(days=3 * 365)
        db.session.execute(update(Office).where(Office.id.in_([old_prospect, quiet_client]))
                           .values(created_at=three_years_ago))
        db.session.commit()
        contact_id = db.session.scalar(db.select(Contact.id).where(Contact.office_id == client_id))
    assert staff_client.post(f"/offices/{client_id}/interactions", data={
        "kind": "visit", "occurred_on": date.today().isoformat(), "contact_id": str(contact_id),
        "summary": "Geheim verslag"}).status_code == 302
    assert staff_client.post(f"/offices/{client_id}/interactions", data={
        "kind": "call", "occurred_on": date.today().isoformat(), "summary": "Zonder contactpersoon"}).status_code == 302
    assert staff_client.post(f"/offices/{client_id}/contacts/{contact_id}/left",
                             data={"left_on": date.today().isoformat()}).status_code == 302
    page = staff_client.get("/").get_data(as_text=True)
    latest = page.split("Laatste contactmomenten", 1)[1].split("</ul>", 1)[0]
    assert latest.count(f'<a href="/offices/{client_id}">Jansen &amp; Zn &lt;Accountants&gt;</a>') == 2
    assert latest.count("Petra Bakker") == 1 and "Geheim verslag" not in page
    assert "Bezoek" in latest and "Telefoon" in latest
    review = page.split("Te beoordelen", 1)[1].split("</ul>", 1)[0]
    assert f'<a href="/offices/{old_prospect}">Oude Prospect BV</a>' in review
    assert "Nieuwe Prospect BV" not in review and "Stille Klant BV" not in review  # too new; not a prospect
    assert f'<a href="/offices/{client_id}/contacts/{contact_id}">Petra Bakker</a>' in review
    assert date.today().strftime("%Y") in review.split("Petra Bakker", 1)[1]
    assert new_prospect
