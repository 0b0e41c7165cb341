"""Double opt-in and one-click unsubscribe, through a real local SMTP server."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from praclox.extensions import db
from praclox.registrations import mailing, services
from praclox.registrations.models import Registration


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


class RawSink:
    """Keeps each message as parsed and as the exact bytes the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list = []
        self.raw: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        from email import message_from_bytes
        from email.policy import default

        self.raw.append(envelope.original_content)
        message = message_from_bytes(envelope.content, policy=default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def delivered(self) -> list:
        """The scheduler's outbox job runs (``outbox.send``), then what this server received."""
        from praclox_testsupport import deliver_outbox

        deliver_outbox()
        return self.messages


@pytest.fixture
def smtp_server():
    """The conftest's real local SMTP server, keeping the raw bytes as well."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = RawSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.port = port
    yield sink
    controller.stop()


def register(client, api_key, email="anna@example.nl", newsletter=True, name="Anna"):
    # the confirmation is mailed once the answer has been sent, i.e. when the response closes
    with client.post("/api/registrations", json={"name": name, "email": email, "newsletter": newsletter},
                     headers={"Authorization": f"Bearer {api_key}"}) as response:
        assert response.status_code == 202


def link_in(message, kind: str) -> str:
    match = re.search(rf"http://crm\.test(/r/{kind}/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def registration(app, email="anna@example.nl") -> Registration:
    with app.app_context():
        found = db.session.scalar(select(Registration).where(Registration.email == email))
        if found is not None:
            db.session.expunge(found)
        return found


def test_registration_mails_a_link_and_confirming_puts_the_address_on_the_list(app, client, api_key, smtp_server):
    register(client, api_key)
    assert len(smtp_server.delivered()) == 1
    message = smtp_server.delivered()[0]
    assert message.envelope_to == ["anna@example.nl"]
    assert message["Subject"] == "Bevestig uw registratie bij Praclox"
    url = link_in(message, "confirm")
    assert not registration(app).on_list
    # opening the link (as a mail scanner would) confirms nothing; the button does
    page = client.get(url)
    assert page.status_code == 200 and not registration(app).newsletter_confirmed_at
    assert client.post(url).status_code == 200
    confirmed = registration(app)
    assert confirmed.status == "active" and confirmed.on_list and confirmed.newsletter_confirmed_at
    with app.app_context():
        assert [r.email for r in services.confirmed_list()] == ["anna@example.nl"]


def test_the_request_only_writes_the_confirmation_to_the_outbox_and_the_scheduler_mails_it(app, client, api_key,
                                                                                          smtp_server):
    response = client.post("/api/registrations", json={"name": "Anna", "email": "anna@example.nl"},
                           headers={"Authorization": f"Bearer {api_key}"})
    response.close()
    # the request itself never talks to the relay, not even after its answer has gone out
    assert response.status_code == 202 and smtp_server.messages == []
    assert registration(app).confirmation_sent_at is not None
    assert len(smtp_server.delivered()) == 1


def test_a_confirmation_link_is_valid_for_seven_days_only(app, client, api_key, smtp_server):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        register(client, api_key)
    url = link_in(smtp_server.delivered()[0], "confirm")
    with time_machine.travel(start + timedelta(days=7, minutes=1), tick=False):
        assert client.post(url).status_code == 404
    assert not registration(app).on_list
    with time_machine.travel(start + timedelta(days=6, hours=23), tick=False):
        assert client.post(url).status_code == 200
    assert registration(app).on_list


def test_a_tampered_or_foreign_link_confirms_nothing(app, client, api_key, smtp_server):
    register(client, api_key)
    url = link_in(smtp_server.delivered()[0], "confirm")
    tampered = client.post(url[:-2] + ("AA" if not url.endswith("AA") else "BB"))
    assert tampered.status_code == 404 and b"PRAC<span>LOX" in tampered.data and b"navbar" not in tampered.data
    unsubscribe_salted = url.replace("/r/confirm/", "/r/unsubscribe/")
    assert client.get(unsubscribe_salted).status_code == 404
    assert not registration(app).on_list


def test_a_changed_address_invalidates_the_old_link(app, client, api_key, smtp_server, make_user):
    register(client, api_key)
    url = link_in(smtp_server.delivered()[0], "confirm")
    staff = make_user("staff")
    with app.test_request_context():
        found = db.session.scalar(select(Registration))
        services.update_by_staff(found, {"name": "Anna", "email": "anna@other.nl", "newsletter": True,
                                         "status": found.status}, actor=staff)
        db.session.commit()
    assert client.post(url).status_code == 404


def test_repeating_the_registration_does_not_flood_the_inbox(app, client, api_key, smtp_server):
    register(client, api_key)
    register(client, api_key)
    register(client, api_key)
    assert len(smtp_server.delivered()) == 1


def test_a_newsletter_mail_has_a_one_click_unsubscribe_link_and_header(app, client, api_key, smtp_server):
    register(client, api_key)
    client.post(link_in(smtp_server.delivered()[0], "confirm"))
    with app.test_request_context():
        counts = mailing.send_newsletter("Nieuws uit Praclox", "Beste lezer,\n\nDit is nieuws.")
        db.session.commit()
    assert counts == {"queued": 1, "failed": 0}
    newsletter = smtp_server.delivered()[-1]
    assert "Dit is nieuws." in newsletter.get_content()
    url = link_in(newsletter, "unsubscribe")
    # on the wire, not as a parser decodes it: the plain <URL> of RFC 2369 and the RFC 8058 companion
    raw = smtp_server.raw[-1]
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert f"List-Unsubscribe: <http://crm.test{url}>".encode() in head, raw[:1500]
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in head
    assert b"=?" not in b"\r\n".join(line for line in head if line.lower().startswith(b"list-unsubscribe"))
    # opening the link (a link scanner, a preview) changes nothing; the button's POST unsubscribes, no login
    for method in ("HEAD", "GET"):
        response = client.open(url, method=method)
        assert response.status_code == 200 and registration(app).status == "active", method
    assert "<form" in client.get(url).get_data(as_text=True)
    response = client.post(url)
    assert response.status_code == 200 and "nieuwsbrief niet meer" in response.get_data(as_text=True)
    gone = registration(app)
    assert gone.status == "unsubscribed" and not gone.on_list and not gone.newsletter
    with app.test_request_context():
        assert mailing.send_newsletter("Nog meer nieuws", "Tekst") == {"queued": 0, "failed": 0}


def test_the_mail_programs_one_click_post_unsubscribes_without_a_csrf_token(app, api_key, smtp_server):
    client = app.test_client(csrf_token=False)  # a mail program has no page, so no token
    register(client, api_key)
    client.post(link_in(smtp_server.delivered()[0], "confirm"))
    with app.test_request_context():
        url = mailing.unsubscribe_url(db.session.scalar(select(Registration))).replace("http://crm.test", "")
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and registration(app).status == "unsubscribed"


def test_the_export_holds_only_confirmed_addresses_with_formulas_neutralised(
        app, client, api_key, smtp_server, staff_client):
    register(client, api_key, email="eve@example.nl", name='=HYPERLINK("http://evil")')
    register(client, api_key, email="pending@example.nl")
    register(client, api_key, email="nonews@example.nl", newsletter=False)
    client.post(link_in(smtp_server.delivered()[0], "confirm"))
    client.post(link_in(smtp_server.delivered()[2], "confirm"))
    response = staff_client.get("/registrations/newsletter.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["e-mailadres", "naam", "bevestigd op", "afmeldlink"]
    assert [r[0] for r in rows[1:]] == ["eve@example.nl"]
    assert rows[1][1].startswith("'=")
    assert rows[1][3].startswith("http://crm.test/r/unsubscribe/")


def test_staff_ticking_the_newsletter_mails_a_confirmation_but_does_not_confirm(app, staff_client, smtp_server):
    response = staff_client.post("/registrations/new", data={
        "name": "Bert", "email": "Bert@Example.nl", "office_id": "", "contact_id": "", "newsletter": "y",
        "status": "pending"})
    assert response.status_code == 302
    assert len(smtp_server.delivered()) == 1 and smtp_server.delivered()[0].envelope_to == ["bert@example.nl"]
    found = registration(app, "bert@example.nl")
    assert found.newsletter and not found.on_list and "staff" in found.newsletter_evidence


def test_unreachable_relay_keeps_the_mail_in_the_outbox_and_a_later_run_sends_it(app, client, api_key, smtp_server):
    import time_machine

    from praclox.outbox.models import OutboxMail

    app.config["SMTP_PORT"] = 1  # nothing listens there
    register(client, api_key)
    assert smtp_server.delivered() == []
    with app.app_context():
        row = db.session.scalar(select(OutboxMail))
        assert (row.status, row.attempts, row.last_error) == ("failed", 1, "ConnectionRefusedError")
    app.config["SMTP_PORT"] = smtp_server.port
    assert smtp_server.delivered() == []  # not before its backoff has passed
    with time_machine.travel(row.next_attempt_at, tick=False):
        assert len(smtp_server.delivered()) == 1


def test_links_do_not_carry_the_address_in_readable_form(app, client, api_key, smtp_server):
    import base64

    register(client, api_key, email="anna@example.nl")
    url = link_in(smtp_server.delivered()[0], "confirm")
    payload = url.rsplit("/", 1)[1].split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert b"anna" not in decoded and b"example" not in decoded


def test_registering_again_after_unsubscribing_needs_a_fresh_confirmation(app, client, api_key, smtp_server):
    register(client, api_key)
    client.post(link_in(smtp_server.delivered()[0], "confirm"))
    with app.test_request_context():
        client.post(mailing.unsubscribe_url(db.session.scalar(select(Registration))).replace("http://crm.test", ""))
    assert registration(app).status == "unsubscribed"
    register(client, api_key)
    again = registration(app)
    assert again.status == "pending" and again.newsletter and not again.on_list
    assert len(smtp_server.delivered()) == 2
    client.post(link_in(smtp_server.delivered()[1], "confirm"))
    assert registration(app).on_list


def test_registering_again_after_closing_reopens_without_client_access(
        app, client, api_key, smtp_server, make_registration, make_office):
    make_registration(email="anna@example.nl", status="closed", client_access=True,
                      office_id=make_office(kind="client"))
    register(client, api_key, newsletter=False, name="Anna Nieuw")
    reopened = registration(app)
    assert reopened.status == "pending" and not reopened.client_access and reopened.name == "Anna Nieuw"
    assert len(smtp_server.delivered()) == 1
    client.post(link_in(smtp_server.delivered()[0], "confirm"))
    assert registration(app).status == "active"
