"""Dutch by default, English on request, and no untranslated Dutch message."""

from __future__ import annotations

from praclox.i18n_tools import missing, project_messages


def test_every_message_has_a_dutch_translation():
    assert len(project_messages()) > 100
    gaps = missing("nl")
    assert not gaps, "untranslated: " + "; ".join(f"{v[0]}: {k!r}" for k, v in sorted(gaps.items())[:20])


def test_interface_is_dutch_by_default_and_english_on_request(client):
    assert "Inloggen" in client.get("/login").get_data(as_text=True)
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Log in" in page and 'lang="en"' in page
    assert client.post("/language", data={"lang": "xx"}).status_code == 400
    assert client.post("/language", data={"lang": "en", "next": "//evil.example"}).headers["Location"] == "/"


def test_error_pages_share_the_look_and_never_show_a_traceback(app, login_as):
    def boom():
        raise RuntimeError("secret detail")

    app.add_url_rule("/boom", "boom", boom)
    staff_client = login_as("staff")
    page = staff_client.get("/offices/999999")
    assert page.status_code == 404 and "Pagina niet gevonden" in page.get_data(as_text=True)
    response = staff_client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "secret detail" not in body and "Traceback" not in body
    assert "incidentnummer" in body


def test_public_pages_honour_lang_in_the_url_and_the_browser_language(client):
    assert 'lang="en"' in client.get("/privacy?lang=en").get_data(as_text=True)
    assert "Privacy statement" in client.get("/privacy?lang=en").get_data(as_text=True)
    english_browser = {"Accept-Language": "en-GB,en;q=0.9"}
    assert "Your rights" in client.get("/privacy", headers=english_browser).get_data(as_text=True)
    assert "Log in" in client.get("/login", headers=english_browser).get_data(as_text=True)
    # the URL beats the browser, and an unknown language falls back to Dutch
    assert "Uw rechten" in client.get("/privacy?lang=nl", headers=english_browser).get_data(as_text=True)
    assert "Uw rechten" in client.get("/privacy?lang=xx", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_signed_in_users_keep_their_own_language(login_as):
    staff = login_as("staff")
    page = staff.get("/privacy?lang=en", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="nl"' in page and "Uw rechten" in page
    staff.post("/language", data={"lang": "en", "next": "/"})
    assert 'lang="en"' in staff.get("/privacy?lang=nl", headers={"Accept-Language": "nl"}).get_data(as_text=True)


def test_an_open_vacancy_reads_open_not_the_verb(login_as):
    page = login_as("recruiter").get("/applicants/vacancies").get_data(as_text=True)
    assert "<th>Open</th>" in page and "Openen" not in page


def test_counts_read_as_dutch_plurals(app, login_as):
    from datetime import date

    from praclox.privacy import requests

    officer = login_as("privacy_officer")
    with app.test_request_context():
        requests.create_request(requester_name="Een Verzoeker", requester_contact="een@verzoek.nl", kind="access",
                                received_on=date(2026, 1, 2), actor=None)
        from praclox.extensions import db

        db.session.commit()
    page = officer.get("/privacy-officer/requests").get_data(as_text=True)  # received in January: overdue
    assert "1 verzoek is over de termijn." in page and "(en)" not in page


def test_messages_give_dates_in_words_not_iso(login_as):
    officer = login_as("privacy_officer")
    response = officer.post("/privacy-officer/requests/new", data={
        "requester_name": "Iso Vrij", "requester_contact": "iso@vrij.nl", "kind": "access",
        "received_on": "2026-11-02"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "2 december 2026" in page and "2026-12-02" not in page
