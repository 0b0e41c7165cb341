"""Contact notes (encrypted at rest), editing a logged contact moment, and conversions in the history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from praclox.audit.models import AuditEntry
from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, OfficeConversion


def _log_as(client, office_id: int, summary: str = "Gebeld over de jaarrekening") -> int:
    response = client.post(f"/offices/{office_id}/interactions", data={
        "kind": "call", "occurred_on": "2026-01-05", "contact_id": "0", "summary": summary})
    assert response.status_code == 302
    with client.application.app_context():
        return int(db.session.scalar(select(Interaction.id).order_by(Interaction.id.desc())))


def _audits(app, record_type: str, record_id: int) -> list[tuple[str, str | None, int | None]]:
    with app.app_context():
        return [(a.action, a.fields, a.actor_id) for a in db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == record_type, AuditEntry.record_id == record_id)
            .order_by(AuditEntry.id))]


def _interaction(app, item_id: int) -> tuple:
    with app.app_context():
        item = db.session.get(Interaction, item_id)
        return item.summary, item.kind, item.occurred_on, item.edited_at is not None


def _edit_form(**overrides: str) -> dict[str, str]:
    return {"kind": "meeting", "occurred_on": "2026-01-04", "contact_id": "0",
            "summary": "Afspraak over de jaarrekening", **overrides}


# --- notes on a contact ----------------------------------------------------------------------------------


def test_a_contacts_notes_are_shown_on_their_page_and_stored_encrypted(app, staff_client, make_office):
    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "Aa"},))
    form = staff_client.get(f"/offices/{office_id}/contacts/1/edit").get_data(as_text=True)
    assert "Notities" in form
    response = staff_client.post(f"/offices/{office_id}/contacts/1/edit", data={
        "first_name": "Ann", "last_name": "Aa", "notes": "Belt liever na tienen; dochter studeert in Delft."})
    assert response.status_code == 302
    page = staff_client.get(f"/offices/{office_id}/contacts/1").get_data(as_text=True)
    assert "Belt liever na tienen; dochter studeert in Delft." in page
    with app.app_context():
        stored = db.session.execute(text("SELECT notes FROM contacts WHERE id = 1")).scalar_one()
    assert "Delft" not in stored and stored.startswith("gAAAA")
    assert _audits(app, "contacts", 1)[-1][:2] == ("update", "notes")


def test_notes_longer_than_allowed_are_refused_and_nothing_changes(app, staff_client, make_office):
    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "Aa"},))
    response = staff_client.post(f"/offices/{office_id}/contacts/1/edit", data={
        "first_name": "Ann", "last_name": "Aa", "notes": "x" * 5001})
    assert response.status_code == 422
    assert "Maximaal 5000 tekens." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Contact, 1).notes is None


# --- editing a logged contact moment -------------------------------------------------------------------


def test_the_author_edits_a_contact_moment_and_it_shows_as_edited(app, staff_client, make_office):
    office_id = make_office()
    item_id = _log_as(staff_client, office_id)
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert f"/offices/{office_id}/interactions/{item_id}/edit" in page and "bewerkt" not in page
    assert "Contactmoment bewerken" in staff_client.get(f"/offices/{office_id}/interactions/{item_id}/edit").get_data(
        as_text=True)
    response = staff_client.post(f"/offices/{office_id}/interactions/{item_id}/edit", data=_edit_form())
    assert response.status_code == 302
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert "Afspraak over de jaarrekening" in page and "Gebeld over" not in page and "bewerkt" in page
    assert _interaction(app, item_id)[1:] == ("meeting", date(2026, 1, 4), True)
    action, fields, actor = _audits(app, "interactions", item_id)[-1]
    assert (action, fields, actor) == ("update", "kind,occurred_on,summary", staff_client.user.id)


def test_other_staff_may_not_edit_someone_elses_contact_moment(app, staff_client, login_as, make_office):
    office_id = make_office()
    item_id = _log_as(staff_client, office_id)
    colleague = login_as("staff")
    assert f"/interactions/{item_id}/edit" not in colleague.get(f"/offices/{office_id}").get_data(as_text=True)
    assert colleague.get(f"/offices/{office_id}/interactions/{item_id}/edit").status_code == 403
    assert colleague.post(f"/offices/{office_id}/interactions/{item_id}/edit", data=_edit_form()).status_code == 403
    assert _interaction(app, item_id) == ("Gebeld over de jaarrekening", "call", date(2026, 1, 5), False)
    assert [a for a, _f, _u in _audits(app, "interactions", item_id)] == ["create"]


def test_an_admin_may_edit_anyones_contact_moment(app, staff_client, admin_client, make_office):
    office_id = make_office()
    item_id = _log_as(staff_client, office_id)
    response = admin_client.post(f"/offices/{office_id}/interactions/{item_id}/edit",
                                 data=_edit_form(kind="call", occurred_on="2026-01-05"))
    assert response.status_code == 302
    assert _audits(app, "interactions", item_id)[-1] == ("update", "summary", admin_client.user.id)


def test_a_bad_edit_is_refused_with_a_clear_message_and_nothing_changes(app, staff_client, make_office):
    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "Aa"},))
    other_office = make_office("Ander Kantoor", contacts=({"first_name": "Bob", "last_name": "Bee"},))
    item_id = _log_as(staff_client, office_id)
    url = f"/offices/{office_id}/interactions/{item_id}/edit"
    for bad, message in (({"summary": "  "}, "Dit veld is verplicht."),
                         ({"occurred_on": "2999-01-01"}, "Deze datum ligt in de toekomst."),
                         ({"occurred_on": "gisteren"}, "Ongeldige datum."),
                         ({"kind": "telepathy"}, "Ongeldige keuze."),
                         ({"contact_id": "2"}, "Ongeldige keuze.")):
        response = staff_client.post(url, data=_edit_form(**bad))
        assert response.status_code == 422, bad
        if message:
            assert message in response.get_data(as_text=True), bad
    assert other_office and staff_client.get(f"/offices/{other_office}/interactions/{item_id}/edit").status_code == 404
    assert _interaction(app, item_id) == ("Gebeld over de jaarrekening", "call", date(2026, 1, 5), False)


def test_saving_an_unchanged_contact_moment_does_not_mark_it_edited(app, staff_client, make_office):
    office_id = make_office()
    item_id = _log_as(staff_client, office_id)
    unchanged = _edit_form(kind="call", occurred_on="2026-01-05", summary="Gebeld over de jaarrekening")
    assert staff_client.post(f"/offices/{office_id}/interactions/{item_id}/edit", data=unchanged).status_code == 302
    assert "bewerkt" not in staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert [a for a, _f, _u in _audits(app, "interactions", item_id)] == ["create"]


# --- converting a prospect to a client ----------------------------------------------------------------


def _conversions(app) -> list[tuple[int, int, int | None]]:
    with app.app_context():
        return [(c.id, c.office_id, c.converted_by_id) for c in db.session.scalars(
            select(OfficeConversion).order_by(OfficeConversion.id))]


def test_converting_a_prospect_is_an_entry_in_the_offices_history(app, staff_client, make_office):
    office_id = make_office("De Prospect BV")
    assert staff_client.post(f"/offices/{office_id}/convert").status_code == 302
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert "Klant geworden" in page and f"door {staff_client.user.name}" in page
    assert _conversions(app) == [(1, office_id, staff_client.user.id)]
    assert _audits(app, "office_conversions", 1) == [("create", "converted_at", staff_client.user.id)]
    assert staff_client.post(f"/offices/{office_id}/convert").status_code == 302  # a second click: no second entry
    assert len(_conversions(app)) == 1


def test_making_a_prospect_a_client_on_the_form_is_a_conversion_too(app, staff_client, make_office):
    office_id = make_office("De Prospect BV")
    client_from_start = make_office("Meteen Klant BV", kind="client")
    response = staff_client.post(f"/offices/{office_id}/edit", data={"kind": "client", "name": "De Prospect BV"})
    assert response.status_code == 302
    assert [office for _id, office, _by in _conversions(app)] == [office_id]
    assert "Klant geworden" not in staff_client.get(f"/offices/{client_from_start}").get_data(as_text=True)
