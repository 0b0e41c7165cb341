"""``praclox search reindex``."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from praclox.extensions import db
from praclox.i18n import for_cli
from praclox.search import index

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("reindex")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100000))
def reindex(batch_size: int) -> None:
    """Build the search index again from every office, contact and contact moment, under the newest key.

    One transaction: searches keep the old index until the new one is complete.
    """
    from praclox.jobs.services import JobLocked, job_lock
    from praclox.progress import progress

    try:
        with job_lock("search_reindex"), progress(for_cli(_l("Indexing records")), index.count_records()) as bar:
            done = index.rebuild(batch_size=batch_size, on_progress=bar.advance)
            db.session.commit()
    except JobLocked as exc:
        busy = _l("another reindex is running; try again when it has finished")
        raise click.ClickException(for_cli(busy)) from exc
    click.echo(for_cli(_l("Indexed %(num)d record(s).", num=done)))
