from __future__ import annotations

import pytest

from praclox import mail


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def test_mail_arrives_at_a_real_smtp_server(app, smtp_server):
    with app.app_context():
        mail.send_mail("anna@example.nl", "Hallo", "Tekst met é")
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "Hallo" and message.envelope_to == ["anna@example.nl"]
    assert "Tekst met é" in message.get_content()


def test_unreachable_relay_raises_mail_failed(app):
    app.config["SMTP_PORT"] = 1  # nothing listens there
    with app.app_context(), pytest.raises(mail.MailFailed):
        mail.send_mail("anna@example.nl", "Hallo", "Tekst")
