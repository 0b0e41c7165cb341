"""Every main page renders for staff with demo data."""

from __future__ import annotations


def test_office_pages_render_for_staff(app, staff_client, make_office):
    office_id = make_office(contacts=({"first_name": "Anna", "last_name": "de Vries", "email": "anna@x.nl"},))
    for url in ("/", "/offices/", f"/offices/{office_id}", "/offices/new", f"/offices/{office_id}/edit",
                "/offices/import", f"/offices/{office_id}/contacts/new", f"/offices/{office_id}/contacts/1",
                f"/offices/{office_id}/contacts/1/edit", f"/offices/{office_id}/delete"):
        response = staff_client.get(url)
        assert response.status_code == 200, (url, response.data[:2000])
