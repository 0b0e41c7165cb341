"""The links in registrants' mails: confirm the address, unsubscribe with one click. No login."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from werkzeug.wrappers import Response

from praclox.extensions import csrf, db
from praclox.registrations import mailing, services

bp = Blueprint("registrations_public", __name__, url_prefix="/r")
# the signed token in the URL is the secret; a mail program's one-click POST carries no CSRF token
csrf.exempt(bp)


@bp.errorhandler(404)
def not_found(exc: Exception) -> tuple[str, int]:
    """An unknown, tampered or expired link: the site's own look, nothing about the CRM."""
    return render_template("client/error.html", code=404, public_page=True), 404


@bp.route("/confirm/<secret:token>", methods=["GET", "POST"])
def confirm(token: str) -> str | Response:
    """GET shows a button, POST confirms: link scanners that fetch every URL confirm nothing."""
    from flask import request

    registration = mailing.registration_from_confirm_token(token)
    if registration is None or registration.status == "closed":
        abort(404)
    if request.method == "POST":
        services.confirm(registration)
        db.session.commit()
        return render_template("registrations/public_done.html", what="confirmed", registration=registration)
    return render_template("registrations/public_confirm.html", token=token, registration=registration)


@bp.route("/unsubscribe/<secret:token>", methods=["GET", "POST"])
def unsubscribe(token: str) -> str:
    """GET (and HEAD) shows a button and changes nothing: link scanners fetch every URL in a mail. The POST,
    from that button or from the mail program's RFC 8058 one-click button, unsubscribes."""
    from flask import request

    registration = mailing.registration_from_unsubscribe_token(token)
    if registration is None:
        abort(404)
    if request.method != "POST":
        return render_template("registrations/public_unsubscribe.html", token=token)
    services.unsubscribe(registration)
    db.session.commit()
    return render_template("registrations/public_done.html", what="unsubscribed", registration=registration)
