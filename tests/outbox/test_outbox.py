"""The outbox on a real database and a real SMTP server (aiosmtpd): retries with backoff, giving up,
deduplication by key (also under concurrent writers), retention of sent mail, and erasure."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from praclox_testsupport import run_outbox
from sqlalchemy import func, select

from praclox import mail
from praclox.extensions import db
from praclox.outbox import services
from praclox.outbox.models import OutboxMail

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def queue(app, to="anna@example.nl", key=None, **kw):
    with app.app_context():
        queued = mail.queue_mail(to, "Onderwerp", "Tekst", kind="test", key=key, **kw)
        db.session.commit()
    return queued


def rows(app):
    with app.app_context():
        found = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id))
        return [(r.recipient, r.status, r.attempts) for r in found]


def counts(run):
    return json.loads(run.counts)


def test_each_failure_waits_twice_as_long_and_the_mail_is_given_up_after_the_last_try(app, smtp_server):
    app.config["SMTP_PORT"] = 1  # nothing listens there
    with time_machine.travel(START, tick=False) as clock:
        queue(app)
        waits = []
        for _ in range(services.MAX_ATTEMPTS):
            run_outbox(app)
            with app.app_context():
                row = db.session.scalar(select(OutboxMail))
                if row.status == "failed":
                    waits.append(row.next_attempt_at - START)
                    assert counts(run_outbox(app))["failed"] == 0  # not due again before its wait has passed
                    clock.move_to(row.next_attempt_at)
        assert waits[:4] == [timedelta(minutes=m) for m in (1, 3, 7, 15)]  # 1, 2, 4, 8 minutes after each try
        assert rows(app) == [("anna@example.nl", "given_up", services.MAX_ATTEMPTS)]
    app.config["SMTP_PORT"] = smtp_server.port
    run_outbox(app)
    assert smtp_server.messages == []  # given up stays given up


def test_the_same_key_twice_is_one_mail_and_the_second_callers_work_is_kept(app, smtp_server, make_user):
    from praclox.auth.models import User

    assert queue(app, key="k1") is True
    with app.app_context():
        user = make_user("staff", email="bewaard@example.nl")
        assert mail.queue_mail("anna@example.nl", "Onderwerp", "Tekst", kind="test", key="k1") is False
        db.session.get(User, user.id).name = "Bewaard Gebleven"  # the caller's own change in the transaction
        db.session.commit()
        assert db.session.get(User, user.id).name == "Bewaard Gebleven"
    assert len(smtp_server.delivered()) == 1


def test_eight_concurrent_writers_of_one_key_leave_one_mail(app, smtp_server):
    barrier = threading.Barrier(8)
    results: list[bool] = []

    def writer() -> None:
        with app.app_context():
            barrier.wait()
            results.append(mail.queue_mail("samen@example.nl", "Bevestig", "Tekst", kind="test", key="samen"))
            db.session.commit()

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMail.id))) == 1
    assert len(smtp_server.delivered()) == 1


def test_sent_mail_is_deleted_after_the_retention_setting(app, smtp_server):
    with app.app_context():
        from praclox.settings.services import get

        days = int(get(services.SENT_RETENTION))
    with time_machine.travel(START, tick=False) as clock:
        queue(app, to="oud@example.nl")
        run_outbox(app)
        clock.shift(timedelta(days=days, hours=1))
        queue(app, to="nieuw@example.nl")
        app.config["SMTP_PORT"] = 1
        run_outbox(app)  # the new one fails and waits; the old sent one is past its retention
    assert rows(app) == [("nieuw@example.nl", "failed", 1)]


def test_an_erased_persons_queued_mail_is_dropped_and_never_sent(app, smtp_server):
    from praclox.privacy import subjects
    from praclox.privacy.registry import SubjectQuery

    queue(app, to="weg@example.nl")
    queue(app, to="blijft@example.nl")
    with app.test_request_context():
        query = SubjectQuery(email="weg@example.nl")
        found = subjects.person(query, "weg@example.nl")
        assert {h.domain for h in found.hits} == {"outbox"}
        exported = subjects.export_person(found, actor=None)
        assert "Tekst" in json.dumps(exported)
        subjects.erase_person(found, actor=None)
        db.session.commit()
    assert [m.envelope_to for m in smtp_server.delivered()] == [["blijft@example.nl"]]
