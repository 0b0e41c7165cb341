"""``praclox search reindex``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from praclox.extensions import db
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
        with job_lock("search_reindex"), progress("Indexing records", index.count_records()) as bar:
            done = index.rebuild(batch_size=batch_size, on_progress=bar.advance)
            db.session.commit()
    except JobLocked as exc:
        raise click.ClickException("another reindex is running; try again when it has finished") from exc
    click.echo(f"Indexed {done} record(s).")
