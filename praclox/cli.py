"""The ``praclox`` command: Flask's commands plus the CRM's own."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import lazy_gettext as _l

from praclox.i18n import for_cli


def _create_app():  # type: ignore[no-untyped-def]
    from praclox import create_app
    from praclox.crypto import KeyConfigurationError

    try:
        return create_app()
    except KeyConfigurationError as exc:  # a clear message, not a traceback
        raise click.ClickException(str(exc)) from exc


class _PracloxGroup(FlaskGroup):
    """Flask's command group without its developer options (``--app``, ``--env-file``, ``--debug`` and Flask's
    version): the app is always ours, and an operator reading ``praclox --help`` sees only what is."""

    def __init__(self, **extra: object) -> None:
        super().__init__(add_version_option=False, **extra)  # type: ignore[arg-type]
        self.params = [p for p in self.params if p.name not in {"app", "env_file", "debug"}]


@click.group(cls=_PracloxGroup, create_app=_create_app, help="Praclox CRM.")
@click.version_option(package_name="praclox", prog_name="Praclox CRM", message="%(prog)s %(version)s")
def main() -> None:
    """Praclox CRM."""


@main.command("setup")
@click.option("--demo/--no-demo", default=True, help="Load demo data into an empty database.")
@with_appcontext
def setup(demo: bool) -> None:
    """Make the missing keys, migrate the database; on first run load demo data and create an admin with a
    one-time password."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from praclox.auth import services as users
    from praclox.auth.models import ROLE_VALUES, User
    from praclox.extensions import db
    from praclox.offices.models import Office
    from praclox.privacy.cli import migrate_with_keys

    migrate_with_keys(upgrade)
    if demo and not db.session.scalar(select(func.count()).select_from(Office)):
        ctx = click.get_current_context()
        from praclox.offices.cli import demo_data

        ctx.invoke(demo_data, count=40, seed=None)
    if not db.session.scalar(select(func.count()).select_from(User)):
        email = os.environ.get("PRACLOX_ADMIN_EMAIL", "admin@praclox.nl")
        user, password = users.create_user(email, "Beheerder", [r for r in ROLE_VALUES if r != "support"], actor=None)
        db.session.commit()
        click.secho("\n  " + for_cli(_l("An administrator account was created (all roles):")), bold=True)
        click.secho("    " + for_cli(_l("e-mail:   %(email)s", email=user.email)), fg="green")
        click.secho("    " + for_cli(_l("password: %(password)s   (one-time: you choose your own at first login)",
                                        password=password)) + "\n", fg="green")
    else:
        click.echo(for_cli(_l("Database up to date; existing accounts kept.")))
    _warn_about_the_privacy_officer()
    click.echo(for_cli(_l("Open %(url)s/ in your browser.", url=current_app.config["BASE_URL"])))


def _warn_about_the_privacy_officer() -> None:
    """The public statement must name the privacy officer; say so at every setup until it does."""
    from praclox.privacy.dashboard import officer_gaps

    gaps = officer_gaps()
    if not gaps:
        return
    url = f"{current_app.config['BASE_URL']}/privacy"
    if gaps == ["name"]:
        warning = _l("WARNING: the privacy officer's name is not set: the public privacy statement (%(url)s) names "
                     "nobody to ask.", url=url)
    elif gaps == ["contact"]:
        warning = _l("WARNING: the privacy officer's contact details (postal address or e-mail) are not set: the "
                     "public privacy statement (%(url)s) names nobody to ask.", url=url)
    else:
        warning = _l("WARNING: the privacy officer's name and contact details (postal address or e-mail) are not "
                     "set: the public privacy statement (%(url)s) names nobody to ask.", url=url)
    how = _l("Set them as administrator under Instellingen (Settings), section Privacy.")
    click.secho(f"\n  {for_cli(warning)}\n  {for_cli(how)}\n", fg="yellow", bold=True)
