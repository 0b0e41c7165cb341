from __future__ import annotations

import pytest
from praclox_testsupport import run_outbox

from praclox import mail
from praclox.extensions import db


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def test_a_queued_mail_arrives_at_a_real_smtp_server_when_the_outbox_job_runs(app, smtp_server):
    with app.app_context():
        assert mail.queue_mail("anna@example.nl", "Hallo", "Tekst met é", kind="test")
        db.session.commit()
    assert smtp_server.messages == []  # queueing never talks to the relay
    run = run_outbox(app)
    assert run.outcome == "ok" and '"sent": 1' in run.counts
    message = smtp_server.messages[0]
    assert message["Subject"] == "Hallo" and message.envelope_to == ["anna@example.nl"]
    assert "Tekst met é" in message.get_content()


def test_unreachable_relay_raises_mail_failed(app):
    app.config["SMTP_PORT"] = 1  # nothing listens there
    with app.app_context(), pytest.raises(mail.MailFailed):
        mail.send(mail.build_message("anna@example.nl", "Hallo", "Tekst"))
