"""Staff pages for registrations, the confirmed-list export, and the admin's API keys."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from praclox.auth.access import require_roles_for_blueprint, roles_required
from praclox.auth.sessions import require_recent_auth
from praclox.clock import today
from praclox.csvutil import csv_response, write_csv
from praclox.extensions import db
from praclox.forms import ConfirmForm
from praclox.paging import paginate
from praclox.privacy.suppression import erased_address_warning
from praclox.registrations import mailing, retention, services
from praclox.registrations.forms import ApiKeyForm, RegistrationForm
from praclox.registrations.models import STATUS_VALUES, ApiKey, Registration

bp = Blueprint("registrations", __name__, url_prefix="/registrations")
bp.before_request(require_roles_for_blueprint("staff", "admin"))

FORM_FIELDS = ("name", "email", "office_id", "contact_id", "newsletter", "client_access", "status")


def _data(form: RegistrationForm) -> dict[str, object]:
    return {name: getattr(form, name).data for name in FORM_FIELDS}


def _error_message(reason: str) -> str:
    return {
        "email_taken": _("A registration with this e-mail address already exists."),
        "office": _("This office does not exist."),
        "contact": _("This contact does not work at the chosen office."),
    }.get(reason, _("The registration could not be saved."))


def _send_confirmation(registration: Registration) -> None:
    if mailing.send_confirmation(registration):
        db.session.commit()
        flash(_("A confirmation link will be mailed within a minute."), "info")
    else:
        flash(_("A confirmation link is already on its way."), "info")


@bp.route("/")
def index() -> str:
    query = request.args.get("q", "")[:100]
    status = request.args.get("status", "")
    status = status if status in STATUS_VALUES else ""
    page = paginate(services.search(query, status), per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "registrations/index.html", page=page, q=query, status=status, listed=len(services.confirmed_list()),
        purges=retention.purge_counts_by_month()[:6],
    )


@bp.route("/new", methods=["GET", "POST"])
def create() -> str | Response | tuple[str, int]:
    form = RegistrationForm(status="pending")
    if form.validate_on_submit():
        try:
            registration, due = services.create_by_staff(_data(form), actor=current_user)
        except services.RegistrationError as exc:
            db.session.rollback()
            form.email.errors.append(_error_message(str(exc)))
            return render_template("registrations/form.html", form=form, registration=None), 422
        db.session.commit()
        flash(_("Registration saved."), "success")
        if due and registration.newsletter:
            _send_confirmation(registration)
        return redirect(url_for(".edit", registration_id=registration.id))
    return render_template("registrations/form.html", form=form, registration=None), 422 if form.errors else 200


@bp.route("/<int:registration_id>", methods=["GET", "POST"])
def edit(registration_id: int) -> str | Response | tuple[str, int]:
    registration = db.get_or_404(Registration, registration_id)
    form = RegistrationForm(obj=registration)
    if form.validate_on_submit():
        try:
            _changed, due = services.update_by_staff(registration, _data(form), actor=current_user)
        except services.RegistrationError as exc:
            db.session.rollback()
            form.email.errors.append(_error_message(str(exc)))
            return _edit_page(form, registration, 422)
        db.session.commit()
        flash(_("Changes saved."), "success")
        if due:
            _send_confirmation(registration)
        return redirect(url_for(".edit", registration_id=registration.id))
    return _edit_page(form, registration, 422 if form.errors else 200)


def _edit_page(form: RegistrationForm, registration: Registration, status: int) -> tuple[str, int]:
    erased = erased_address_warning(registration.email)
    return render_template("registrations/form.html", form=form, registration=registration, confirm=ConfirmForm(),
                           erased=erased), status


@bp.route("/<int:registration_id>/resend", methods=["POST"])
def resend(registration_id: int) -> Response:
    registration = db.get_or_404(Registration, registration_id)
    if ConfirmForm().validate_on_submit() and registration.status != "closed":
        _send_confirmation(registration)
    return redirect(url_for(".edit", registration_id=registration.id))


@bp.route("/<int:registration_id>/close", methods=["POST"])
def close(registration_id: int) -> Response:
    registration = db.get_or_404(Registration, registration_id)
    if ConfirmForm().validate_on_submit() and registration.status != "closed":
        services.close(registration, actor=current_user)
        db.session.commit()
        flash(_("The account is closed; it will be purged after the retention period."), "success")
    return redirect(url_for(".edit", registration_id=registration.id))


@bp.route("/newsletter.csv")
def export() -> Response:
    """The confirmed list for the mailing tool, each with their own unsubscribe link."""
    rows = [(r.email, r.name, r.newsletter_confirmed_at.date().isoformat() if r.newsletter_confirmed_at else "",
             mailing.unsubscribe_url(r)) for r in services.confirmed_list()]
    from praclox.audit.services import record

    record("export", None, record_type="registrations", fields=["email", "name"], actor=current_user)
    db.session.commit()
    body = write_csv([_("e-mail address"), _("name"), _("confirmed on"), _("unsubscribe link")], rows)
    filename = f"newsletter-{today().isoformat()}.csv"
    return csv_response(body, filename)


@bp.route("/api-keys", methods=["GET", "POST"])
@roles_required("admin")
@require_recent_auth
def api_keys() -> str | tuple[str, int]:
    form = ApiKeyForm()
    if form.validate_on_submit():
        key, plain = services.create_api_key(form.name.data, actor=current_user)
        db.session.commit()
        return render_template("registrations/api_key_created.html", key=key, plain=plain)
    return render_template(
        "registrations/api_keys.html", form=form, keys=services.api_keys(), confirm=ConfirmForm()
    ), 422 if form.errors else 200


@bp.route("/api-keys/<int:key_id>/revoke", methods=["POST"])
@roles_required("admin")
def revoke_api_key(key_id: int) -> Response:
    key = db.get_or_404(ApiKey, key_id)
    if ConfirmForm().validate_on_submit() and services.revoke_api_key(key, actor=current_user):
        db.session.commit()
        flash(_("The key has been revoked; the website can no longer use it."), "success")
    return redirect(url_for(".api_keys"))
