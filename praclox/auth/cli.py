"""``praclox user ...``: manage staff accounts from the command line."""

from __future__ import annotations

import os

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from praclox.auth import services
from praclox.auth.models import ROLE_VALUES
from praclox.extensions import db
from praclox.i18n import for_cli

user_cli = AppGroup("user", help="Manage user accounts.")


@user_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLE_VALUES), help="Repeatable.")
def create(email: str, name: str, roles: tuple[str, ...]) -> None:
    """Create a user; the password comes from PRACLOX_PASSWORD or is asked twice."""
    _check_email(email)
    password = os.environ.get("PRACLOX_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user, _ = services.create_user(email, name, roles, password, actor=None)
    except services.UserError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(for_cli(_l("Created user %(email)s with roles %(roles)s.", email=user.email,
                           roles=", ".join(sorted(user.role_names)))))


def _check_email(email: str) -> None:
    """The address as the login form checks it (the same email-validator rules): an account the form could
    never log in to is refused here, before anything is asked or stored."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.BadParameter(f"{email!r} is not an address the login form accepts: {exc}",
                                 param_hint="EMAIL") from exc


@user_cli.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Deactivate a user; their sessions and feeds stop at once."""
    user = services.get_by_email(email)
    if user is None:
        raise click.ClickException(for_cli(_l("no user with e-mail %(email)s", email=email)))
    services.deactivate(user, actor=None)
    db.session.commit()
    click.echo(for_cli(_l("Deactivated %(email)s.", email=user.email)))


@user_cli.command("reset-two-factor")
@click.argument("email")
def reset_two_factor(email: str) -> None:
    """Remove a user's second factor (a lost phone); they enrol again at their next login."""
    from praclox.auth import notices, sessions, totp

    user = services.get_by_email(email)
    if user is None:
        raise click.ClickException(for_cli(_l("no user with e-mail %(email)s", email=email)))
    totp.remove(user, actor=None)
    services.end_other_sessions(user)
    sessions.end_all(user)
    notices.send_notice(user, "two_factor_off")
    db.session.commit()
    click.echo(for_cli(_l("Second factor removed; every session of the user has ended.")))
