"""The walks reach real pages: id 1 in the URLs of every domain finds a seeded record."""

from __future__ import annotations

from security_walk import ALL_ROLES, seed_records


def test_the_seeded_ids_open_real_pages_in_every_domain(app, login_as):
    seed_records(app)
    client = login_as(*ALL_ROLES)
    for url in ("/dates/1/edit", "/dates/1/end", "/dates/1/delete", "/privacy-officer/requests/1",
                "/privacy-officer/requests/2", "/registrations/1", "/wishes/1/edit", "/offices/1",
                "/offices/1/interactions/1/edit", "/offices/1/contacts/1",
                "/follow-ups/1/edit", "/follow-ups/office/1/new",
                "/privacy-officer/records/contacts/1", "/privacy-officer/erasures/1"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Walk follow-up" in client.get("/follow-ups/?owner=all").get_data(as_text=True)
    assert "Walk orphan" in client.get("/follow-ups/orphaned").get_data(as_text=True)
    assert "Walk wish" in client.get("/wishes/").get_data(as_text=True)
    assert "Walter Walkerson" in client.get("/contacts/?q=walk").get_data(as_text=True)
    assert "Walk website" in client.get("/registrations/api-keys").get_data(as_text=True)
