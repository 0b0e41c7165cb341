"""The request register: list, register, extend, close."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from praclox.auth.access import roles_required
from praclox.auth.models import User
from praclox.extensions import db
from praclox.forms import PHONE
from praclox.privacy import requests, review
from praclox.privacy.forms import CloseForm, ExtendForm, RequestForm
from praclox.privacy.labels import erasure_summary
from praclox.privacy.models import PrivacyRequest
from praclox.privacy.views import OFFICER, bp


def request_error(code: str) -> str:
    messages = {
        "no_identity": _("Enter the requester's name or a way to reach them: a request needs someone who asked."),
        "kind": _("Choose the kind of request."),
        "received_future": _("The date of receipt cannot be in the future."),
        "due_before_received": _("The due date cannot be before the date the request was received."),
        "due_too_late": _("The due date can be at most one month after receipt; extend the request instead."),
        "closed": _("This request is already closed."),
        "already_extended": _("This request was already extended once; the law allows one extension."),
        "reason_missing": _("Give the reason for the extension."),
        "status": _("Choose completed or rejected."),
        "completed_before_received": _("A request cannot be closed before it was received."),
        "review_open": _("An erasure for this request left records to decide about; the request closes when "
                         "each one is done."),
        "outcome_missing": _("Note which fields were rectified (the change itself is made on the record's own "
                             "page and is in the audit trail)."),
    }
    return messages.get(code, _("This cannot be done."))


@bp.route("/requests")
@roles_required(*OFFICER)
def requests_index() -> str:
    return render_template("privacy/requests.html", items=requests.all_requests(), deadlines=requests.deadlines(),
                           erasures=[(t, erasure_summary(counts)) for t, counts in requests.erasures()],
                           users=dict(db.session.execute(select(User.id, User.name)).all()))


@bp.route("/requests/new", methods=["GET", "POST"])
@roles_required(*OFFICER)
def new_request() -> str | Response | tuple[str, int]:
    form = RequestForm()
    if form.validate_on_submit():
        try:
            item = requests.create_request(
                requester_name=form.requester_name.data, requester_contact=form.requester_contact.data,
                kind=form.kind.data, received_on=form.received_on.data, due_on=form.due_on.data,
                actor=current_user,
            )
        except requests.RequestError as exc:
            db.session.rollback()
            form.form_errors.append(request_error(str(exc)))
            return render_template("privacy/request_form.html", form=form), 422
        db.session.commit()
        due = format_date(item.due_on, "long")
        flash(_("Request #%(id)d registered; due on %(due)s.", id=item.id, due=due), "success")
        return redirect(url_for(".request_detail", request_id=item.id))
    return render_template("privacy/request_form.html", form=form), 422 if form.errors else 200


def _detail(item: PrivacyRequest, extend: ExtendForm | None = None, close: CloseForm | None = None,
            status: int = 200) -> tuple[str, int]:
    return render_template(
        "privacy/request.html", item=item, extend_form=extend or ExtendForm(),
        close_form=close or CloseForm(), search=_search_fields(item),
        review_items=review.open_items(request_id=item.id),
    ), status


def _search_fields(item: PrivacyRequest) -> dict[str, str]:
    """The person search prefilled from what the requester gave (posted, so nothing lands in a URL)."""
    contact = item.requester_contact or ""
    return {
        "name": item.requester_name or "",
        "email": contact if "@" in contact else "",
        "phone": contact if contact and "@" not in contact and PHONE.match(contact) else "",
    }


@bp.route("/requests/<int:request_id>")
@roles_required(*OFFICER)
def request_detail(request_id: int) -> tuple[str, int]:
    return _detail(db.get_or_404(PrivacyRequest, request_id))


@bp.route("/requests/<int:request_id>/extend", methods=["POST"])
@roles_required(*OFFICER)
def extend_request(request_id: int) -> Response | tuple[str, int]:
    item = db.get_or_404(PrivacyRequest, request_id)
    form = ExtendForm()
    if not form.validate_on_submit():
        return _detail(item, extend=form, status=422)
    try:
        requests.extend_request(item, form.reason.data, actor=current_user)
    except requests.RequestError as exc:
        db.session.rollback()
        form.reason.errors = [request_error(str(exc))]
        return _detail(db.get_or_404(PrivacyRequest, request_id), extend=form, status=422)
    db.session.commit()
    flash(_("The deadline is now %(due)s.", due=format_date(item.due_on, "long")), "success")
    return redirect(url_for(".request_detail", request_id=item.id))


@bp.route("/requests/<int:request_id>/close", methods=["POST"])
@roles_required(*OFFICER)
def close_request(request_id: int) -> Response | tuple[str, int]:
    item = db.get_or_404(PrivacyRequest, request_id)
    form = CloseForm()
    if not form.validate_on_submit():
        return _detail(item, close=form, status=422)
    try:
        requests.close_request(item, status=form.status.data, outcome=form.outcome.data, actor=current_user)
    except requests.RequestError as exc:
        db.session.rollback()
        form.outcome.errors = [request_error(str(exc))]
        return _detail(db.get_or_404(PrivacyRequest, request_id), close=form, status=422)
    db.session.commit()
    flash(_("Request closed."), "success")
    return redirect(url_for(".request_detail", request_id=item.id))
