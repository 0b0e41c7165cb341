"""Backups: encrypted copies of the database and documents, restores that redo every erasure, and their retention."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from praclox.backup import ledger, retention
from praclox.backup.cli import backup_cli
from praclox.domain import Domain, JobSpec, SettingSpec


def _setup(app: Flask) -> None:
    ledger.install()


DOMAIN = Domain(
    name="backup",
    cli=(backup_cli,),
    settings=(
        SettingSpec(retention.KEEP_DAYS, int, 28, _l("Days a backup is kept before it is deleted"), _l("Backups"),
                    help=_l("A backup holds what the database held when it was made, people erased since "
                            "included, until it is deleted; the privacy statement gives this period."),
                    minimum=1, maximum=3650),
    ),
    jobs=(JobSpec(retention.JOB_ID, retention.scheduled_prune, _l("Delete backups older than their retention period"),
                  {"hour": 3, "minute": 40}),),
    setup=_setup,
)
