"""The client area at ``/client/``: a registrant of a client office reads their office's open wishes.

Everything here decides access by the client cookie alone; the staff session and flask-login play no
part, so a staff cookie opens nothing here and this cookie opens nothing in the CRM.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response
from wtforms import SubmitField

from praclox.client import services
from praclox.extensions import csrf, db
from praclox.forms import email_field
from praclox.registrations.models import Registration
from praclox.wishes import services as wishes
from praclox.wishes.models import OPEN_STATUSES, Wish

bp = Blueprint("client", __name__, url_prefix="/client")
# client forms carry their own token bound to the client cookie (see services.csrf_token)
csrf.exempt(bp)

#: endpoints reachable without a client session
OPEN_ENDPOINTS = {"client.login", "client.magic"}


class LinkRequestForm(FlaskForm):
    class Meta:
        csrf = False  # asking for a link only mails the address's owner, and the answer is always the same

    email = email_field(_l("E-mail"), required=True)
    submit = SubmitField(_l("Send me a login link"))


@bp.before_request
def load_client() -> Response | None:
    g.client_cookie = request.cookies.get(services.COOKIE_NAME)
    g.client = services.registration_from_cookie(g.client_cookie)
    if g.client is None and request.endpoint not in OPEN_ENDPOINTS:
        response = redirect(url_for("client.login"))
        if g.client_cookie:
            _forget_cookie(response)
        return response
    return None


@bp.errorhandler(HTTPException)
def client_error(exc: HTTPException) -> tuple[str, int]:
    return render_template("client/error.html", code=exc.code or 500), exc.code or 500



def _forget_cookie(response: Response) -> None:
    response.delete_cookie(services.COOKIE_NAME, path=services.COOKIE_PATH, httponly=True, samesite="Lax")


def _set_cookie(response: Response, value: str) -> None:
    response.set_cookie(
        services.COOKIE_NAME, value, max_age=int(services.SESSION_MAX_AGE.total_seconds()),
        path=services.COOKIE_PATH, secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
        samesite="Lax",
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    if g.client is not None:
        return redirect(url_for("client.index"))
    form = LinkRequestForm()
    if form.validate_on_submit():
        recipient = services.link_recipient(form.email.data)
        db.session.commit()
        response = make_response(render_template("client/link_sent.html"))
        if recipient is not None:
            # mailed once the answer is out: its timing does not tell which addresses have access
            response.call_on_close(_link_sender(current_app._get_current_object(), recipient.id))
        return response
    return render_template("client/login.html", form=form), 422 if form.errors else 200


def _link_sender(app: Flask, registration_id: int) -> Callable[[], None]:
    def send() -> None:
        with app.test_request_context():
            registration = db.session.get(Registration, registration_id)
            if registration is not None:
                services.send_link(registration)

    return send


@bp.route("/login/<secret:token>", methods=["GET", "POST"])
def magic(token: str) -> str | Response | tuple[str, int]:
    """GET shows a button, POST signs in: a mail scanner that opens links uses nothing up.

    The POST counts only from the browser that opened the link (login CSRF: an attacker's page must not sign
    a visitor in to the attacker's account): its Origin, when sent, is this site, and it carries the nonce
    that the GET put both in the page and in a same-site cookie, which a cross-site POST does not send.
    """
    if not services.link_is_valid(token):
        return render_template("client/link_invalid.html"), 404
    if request.method == "GET":
        return _button_page(token, 200)
    if not services.same_browser(request.headers.get("Origin"), request.host_url,
                                 request.cookies.get(services.LINK_COOKIE), request.form.get("nonce")):
        return _button_page(token, 403, again=True)
    registration = services.use_link(token)
    if registration is None:
        return render_template("client/link_invalid.html"), 404
    db.session.commit()
    response = redirect(url_for("client.index"))
    _set_cookie(response, services.session_value(registration))
    response.delete_cookie(services.LINK_COOKIE, path=services.LINK_COOKIE_PATH, httponly=True, samesite="Strict")
    return response


def _button_page(token: str, status: int, again: bool = False) -> Response:
    nonce = services.new_link_nonce()
    response = make_response(render_template("client/magic.html", token=token, nonce=nonce, again=again), status)
    response.set_cookie(
        services.LINK_COOKIE, nonce, max_age=int(services.LINK_MAX_AGE.total_seconds()),
        path=services.LINK_COOKIE_PATH, secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
        samesite="Strict",
    )
    return response


@bp.route("/")
def index() -> str:
    office_id = g.client.office_id
    return render_template(
        "client/index.html", wishes=wishes.open_for_office(office_id), office_name=g.client.office.name,
        csrf_token=services.csrf_token(g.client_cookie),
    )


@bp.route("/wishes/<int:wish_id>")
def wish(wish_id: int) -> str:
    item = db.session.get(Wish, wish_id)
    if item is None or item.office_id != g.client.office_id or item.status not in OPEN_STATUSES:
        abort(404)
    return render_template("client/wish.html", wish=item, csrf_token=services.csrf_token(g.client_cookie))


@bp.route("/<path:rest>", methods=["GET", "POST"])
def not_found(rest: str) -> str:
    """Unknown client-area addresses answer in the client area's own look."""
    abort(404)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    response = redirect(url_for("client.login"))
    if services.csrf_ok(g.client_cookie, request.form.get("csrf_token")):
        services.logout(g.client)
        db.session.commit()
        _forget_cookie(response)
        return response
    return redirect(url_for("client.index"))
