"""Writing mail into the outbox (any process, inside the caller's transaction) and sending it (the scheduler).

No web request talks to the relay: a hung or failing relay delays mail, never a page. Services flush,
callers commit, so a mail exists exactly when the change that caused it was committed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from praclox import mail
from praclox.clock import now
from praclox.extensions import db
from praclox.outbox.models import STATUSES, OutboxMail

log = logging.getLogger("praclox.outbox")

JOB_ID = "outbox.send"
SENT_RETENTION = "outbox.sent_retention_days"
#: tries before a mail is given up: with the backoff below that spans about a day and a half
MAX_ATTEMPTS = 12
LONGEST_WAIT = timedelta(hours=6)
#: mails sent in one run; the next run (a minute later) takes the rest
BATCH = 200


def enqueue(to: str, subject: str, text: str, *, kind: str, key: str | None = None,
            headers: Mapping[str, str] | None = None, send_before: datetime | None = None) -> bool:
    """Put one mail in the outbox in the caller's transaction; False when ``key`` is already there.

    The insert runs in a savepoint so a duplicate key (another request's mail, even a concurrent one on
    PostgreSQL: the unique index makes it wait for that transaction) leaves the caller's work intact.
    """
    row = OutboxMail(dedup_key=key, kind=kind, recipient=to, subject=subject, body=text,
                     headers=json.dumps(dict(headers)) if headers else None, send_before=send_before,
                     next_attempt_at=now())
    if key is not None and db.session.scalar(select(OutboxMail.id).where(OutboxMail.dedup_key == key)):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        log.info("outbox: a %s mail with this key is already queued", kind)
        return False
    return True


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 1, 2, 4, 8 … minutes (the first is a setting), at most six hours."""
    first = timedelta(seconds=int(current_app.config["OUTBOX_FIRST_RETRY_SECONDS"]))
    return min(first * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def _due() -> list[int]:
    return list(db.session.scalars(
        select(OutboxMail.id).where(OutboxMail.status.in_(("queued", "failed")), OutboxMail.next_attempt_at <= now())
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(BATCH)
    ))


def _message(row: OutboxMail) -> mail.EmailMessage:
    headers = json.loads(row.headers) if row.headers else None
    return mail.build_message(row.recipient, row.subject, row.body, headers=headers)


def _fail(row: OutboxMail, reason: str) -> str:
    row.attempts += 1
    row.last_error = reason[:200]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "given_up"
        log.error("outbox: a %s mail was given up after %d attempts (%s)", row.kind, row.attempts, reason)
        return "given_up"
    row.status, row.next_attempt_at = "failed", now() + backoff(row.attempts)
    return "failed"


def send_due() -> dict[str, int]:
    """The scheduler's job: send what is due, one commit per mail; a relay that fails ends the run.

    The first failure stops the batch: the relay is down or hangs, and trying every other mail would
    make one run take the relay's timeout times the queue.
    """
    counts = {"sent": 0, "failed": 0, "given_up": 0, "expired": 0}
    if not mail.is_configured():
        counts["waiting"] = len(_due())
        log.info("outbox: no SMTP host configured; %d mail(s) wait", counts["waiting"])
        return counts
    for row_id in _due():
        row = db.session.get(OutboxMail, row_id)
        if row is None or row.status not in ("queued", "failed"):
            continue  # erased or handled since the list was read
        if row.send_before is not None and row.send_before <= now():
            row.status, row.last_error = "given_up", "expired"
            counts["expired"] += 1
            log.warning("outbox: a %s mail was not sent before its time passed; given up", row.kind)
            db.session.commit()
            continue
        try:
            mail.send(_message(row))
        except mail.MailFailed as exc:
            counts[_fail(row, str(exc))] += 1
            db.session.commit()
            break
        row.status, row.sent_at, row.last_error = "sent", now(), None
        row.attempts += 1
        db.session.commit()
        counts["sent"] += 1
    counts["purged"] = purge_sent()
    db.session.commit()
    return counts


def purge_sent(days: int | None = None) -> int:
    """Delete sent and given-up mails older than the retention setting: their content is personal data."""
    from praclox.settings.services import get

    cutoff = now() - timedelta(days=days if days is not None else int(get(SENT_RETENTION)))
    sent = db.session.execute(delete(OutboxMail).where(OutboxMail.status == "sent", OutboxMail.sent_at < cutoff))
    given_up = db.session.execute(
        delete(OutboxMail).where(OutboxMail.status == "given_up", OutboxMail.created_at < cutoff)
    )
    return (sent.rowcount or 0) + (given_up.rowcount or 0)


def status_counts() -> dict[str, int]:
    """How many mails are in each state, for the jobs page."""
    found = dict(db.session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
    return {status: int(found.get(status, 0)) for status in STATUSES}


def given_up_recently(limit: int = 20) -> list[OutboxMail]:
    """Mails the outbox gave up (too many tries, or a digest whose day passed): kind, when and why only."""
    return list(db.session.scalars(
        select(OutboxMail).where(OutboxMail.status == "given_up").order_by(OutboxMail.id.desc()).limit(limit)
    ))


def drop_for(recipient: str) -> int:
    """Delete every mail to ``recipient`` (erasure): queued mail to an erased person is never sent."""
    result = db.session.execute(delete(OutboxMail).where(func.lower(OutboxMail.recipient) == recipient.lower()))
    return result.rowcount or 0
