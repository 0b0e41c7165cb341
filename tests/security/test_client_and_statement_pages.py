"""The client area (signed in as a client, which the walks as staff do not reach) and the public privacy
statement: the security headers with ``Cache-Control: no-store``, and no inline code the policy would block."""

from __future__ import annotations

from datetime import date

from test_security_headers import InlineCodeFinder, assert_security_headers

from praclox.extensions import db


def _checked(response, endpoint: str, where: str) -> None:
    assert_security_headers(response, endpoint, where)
    finder = InlineCodeFinder()
    finder.feed(response.get_data(as_text=True))
    assert not finder.problems, (where, finder.problems)


def test_the_client_area_pages_are_not_stored_and_carry_no_inline_code(app, client_login, make_office):
    from praclox.offices.models import Office
    from praclox.wishes import services

    office_id = make_office("Klant Kopgroep", kind="client")
    with app.test_request_context():
        wish = services.create_wish(db.session.get(Office, office_id), {
            "title": "Koppeling met de bank", "status": "new", "priority": "normal", "requested_on": date(2026, 3, 1),
        }, actor=None)
        db.session.commit()
        wish_id = wish.id
    signed_in = client_login(office_id=office_id)
    for url, expected in (("/client/", 200), (f"/client/wishes/{wish_id}", 200), ("/client/nothing-here", 404)):
        response = signed_in.get(url)
        assert response.status_code == expected, url
        assert response.mimetype == "text/html"
        _checked(response, "client", url)
    assert "Koppeling met de bank" in signed_in.get("/client/").get_data(as_text=True)
    anonymous = app.test_client().get("/client/login")
    assert anonymous.status_code == 200
    _checked(anonymous, "client.login", "/client/login")


def test_the_privacy_statement_is_not_stored_and_carries_no_inline_code(client, staff_client):
    for who, c in (("anonymous", client), ("staff", staff_client)):
        response = c.get("/privacy")
        assert response.status_code == 200 and response.mimetype == "text/html", who
        _checked(response, "statement.show", who)
