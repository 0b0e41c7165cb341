"""The outbox: mail written with the change that causes it, sent by the scheduler with retries."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from praclox.domain import Domain, JobSpec, Section, SettingSpec, roles
from praclox.outbox import models, privacy, services  # noqa: F401


def _jobs_section(_subject: Any) -> dict[str, Any]:
    return {"counts": services.status_counts(), "given_up": services.given_up_recently()}


DOMAIN = Domain(
    name="outbox",
    settings=(
        SettingSpec(services.SENT_RETENTION, int, 7, _l("Delete sent mails from the outbox after (days)"),
                    _l("Outgoing mail"), minimum=1, maximum=90),
    ),
    jobs=(JobSpec(services.JOB_ID, services.send_due, _l("Send the mails in the outbox"), {"minute": "*/1"}),),
    sections=(Section("job_runs", "outbox/_jobs_section.html", _jobs_section, roles("admin")),),
    privacy=privacy,
)
