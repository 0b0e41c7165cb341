"""Pages for recruiters (and admins): vacancies, applicants, status, documents, consent, legal hold."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from praclox.applicants import consent as consent_links
from praclox.applicants import documents, services
from praclox.applicants.consent import GIVE_MAX_AGE
from praclox.applicants.forms import (
    ApplicantForm,
    ConsentForm,
    DocumentForm,
    HoldForm,
    StatusForm,
    status_labels,
)
from praclox.applicants.models import (
    TRANSITIONS,
    Applicant,
    Consent,
    ConsentMethod,
    Document,
    DocumentKind,
    RejectionReason,
    Vacancy,
)
from praclox.audit.services import record as audit
from praclox.auth.access import require_roles_for_blueprint, roles_required
from praclox.auth.sessions import require_recent_auth
from praclox.extensions import db
from praclox.paging import bounded_int, paginate
from praclox.privacy.suppression import erased_address_warning

bp = Blueprint("applicants", __name__, url_prefix="/applicants")
bp.before_request(require_roles_for_blueprint("recruiter", "admin"))


def error_message(code: str) -> str:
    """A clear sentence for each ApplicantError code."""
    return {
        "future": _("A date in the future is not allowed here."),
        "before_applied": _("The decision date lies before the application date."),
        "transition": _("This status change is not possible from the current status."),
        "reason": _("Choose a rejection reason."),
        "vacancy": _("Choose an existing vacancy."),
        "name": _("A name is required."),
        "method": _("Choose how the consent was given."),
        "evidence": _("Describe the evidence of the consent."),
        "email": _("This applicant has no e-mail address."),
        "duplicate": _("This reason is already in the list."),
        "empty": _("The file is empty."),
        "size": _("The file is larger than %(mb)d MB.", mb=documents.MAX_MB),
        "type": _("The file is not a PDF, DOCX or ODT document."),
        "mismatch": _("The file's content does not match its name (extension)."),
        "archive": _("The document unpacks to more than 100 MB or holds more than 1000 parts; it is refused."),
        "kind": _("Choose the kind of document."),
    }.get(code, _("This cannot be done."))


def _applicant_or_404(applicant_id: int) -> Applicant:
    return db.get_or_404(Applicant, applicant_id)


def _vacancies() -> list[Vacancy]:
    return list(db.session.scalars(select(Vacancy).order_by(Vacancy.is_open.desc(), Vacancy.title)))


def _reasons() -> list[RejectionReason]:
    return list(db.session.scalars(select(RejectionReason).where(RejectionReason.active.is_(True))
                                   .order_by(RejectionReason.label)))


def _detail(applicant: Applicant, status: int = 200, **forms: Any) -> tuple[str, int]:
    context = {
        "status_form": StatusForm(targets=TRANSITIONS[applicant.status], reasons=_reasons()),
        "consent_form": ConsentForm(), "document_form": DocumentForm(),
        "hold_form": HoldForm(reason=applicant.legal_hold_reason), "confirm": FlaskForm(), **forms,
    }
    return render_template(
        "applicants/detail.html", applicant=applicant, labels=status_labels(), methods=dict(ConsentMethod.choices()),
        kinds=dict(DocumentKind.choices()), consent_days=GIVE_MAX_AGE.days,
        current_consent=services.current_consent(applicant),
        erased=erased_address_warning(applicant.email), **context,
    ), status


@bp.route("/")
def index() -> str:
    query = request.args.get("q", "")[:100]
    status = request.args.get("status", "")
    vacancy_id = bounded_int("vacancy")
    page = paginate(services.applicant_search(query, status, vacancy_id), per_page=current_app.config["PAGE_SIZE"])
    return render_template("applicants/index.html", page=page, q=query, status=status, vacancy_id=vacancy_id,
                           vacancies=_vacancies(), labels=status_labels())


@bp.route("/new", methods=["GET", "POST"])
def create() -> str | Response | tuple[str, int]:
    form = ApplicantForm(vacancies=_vacancies())
    if form.validate_on_submit():
        try:
            applicant = services.create_applicant({n: getattr(form, n).data for n in services.APPLICANT_FIELDS},
                                                  actor=current_user)
        except services.ApplicantError as exc:
            db.session.rollback()
            flash(error_message(exc.code), "danger")
        else:
            db.session.commit()
            flash(_("Applicant added."), "success")
            return redirect(url_for(".detail", applicant_id=applicant.id))
    return render_template("applicants/form.html", form=form, applicant=None), 422 if request.method == "POST" else 200


@bp.route("/<int:applicant_id>")
def detail(applicant_id: int) -> tuple[str, int]:
    applicant = _applicant_or_404(applicant_id)
    audit("view", applicant, actor=current_user)
    db.session.commit()
    return _detail(applicant)


@bp.route("/<int:applicant_id>/edit", methods=["GET", "POST"])
def edit(applicant_id: int) -> str | Response | tuple[str, int]:
    applicant = _applicant_or_404(applicant_id)
    form = ApplicantForm(obj=applicant, vacancies=_vacancies())
    if form.validate_on_submit():
        try:
            services.update_applicant(applicant, {n: getattr(form, n).data for n in services.APPLICANT_FIELDS},
                                      actor=current_user)
        except services.ApplicantError as exc:
            db.session.rollback()
            flash(error_message(exc.code), "danger")
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for(".detail", applicant_id=applicant.id))
    status = 422 if request.method == "POST" else 200
    return render_template("applicants/form.html", form=form, applicant=applicant), status


@bp.route("/<int:applicant_id>/status", methods=["POST"])
def change_status(applicant_id: int) -> Response | tuple[str, int]:
    applicant = _applicant_or_404(applicant_id)
    form = StatusForm(targets=TRANSITIONS[applicant.status], reasons=_reasons())
    if not form.validate_on_submit():
        return _detail(applicant, 422, status_form=form)
    reason = db.session.get(RejectionReason, form.reason_id.data) if form.reason_id.data else None
    try:
        services.change_status(applicant, form.to_status.data, decided_on=form.decided_on.data, reason=reason,
                               actor=current_user)
    except services.ApplicantError as exc:
        db.session.rollback()
        flash(error_message(exc.code), "danger")
        return _detail(_applicant_or_404(applicant_id), 422)
    db.session.commit()
    flash(_("Status changed."), "success")
    return redirect(url_for(".detail", applicant_id=applicant.id))


@bp.route("/<int:applicant_id>/documents", methods=["POST"])
def upload(applicant_id: int) -> Response | tuple[str, int]:
    applicant = _applicant_or_404(applicant_id)
    form = DocumentForm()
    if not form.validate_on_submit():
        return _detail(applicant, 422, document_form=form)
    data = form.file.data.read(documents.MAX_BYTES + 1)
    try:
        documents.store_document(applicant, filename=form.file.data.filename or "", data=data, kind=form.kind.data,
                                 actor=current_user)
    except services.ApplicantError as exc:
        db.session.rollback()
        flash(error_message(exc.code), "danger")
        return _detail(_applicant_or_404(applicant_id), 422)
    db.session.commit()
    flash(_("Document uploaded."), "success")
    return redirect(url_for(".detail", applicant_id=applicant.id))


def _document_or_404(applicant: Applicant, document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None or document.applicant_id != applicant.id:
        abort(404)
    return document


@bp.route("/<int:applicant_id>/documents/<int:document_id>")
def download(applicant_id: int, document_id: int) -> Response:
    document = _document_or_404(_applicant_or_404(applicant_id), document_id)
    data = documents.read_document(document)
    audit("view", document, actor=current_user)
    db.session.commit()
    mimetypes = {"pdf": "application/pdf", "odt": "application/vnd.oasis.opendocument.text",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    # no-store and nosniff come from praclox/security.py, which sets them on every response
    return send_file(io.BytesIO(data), mimetype=mimetypes[document.file_type], as_attachment=True,
                     download_name=document.original_name, max_age=0)


@bp.route("/<int:applicant_id>/documents/<int:document_id>/delete", methods=["POST"])
@require_recent_auth
def delete_document(applicant_id: int, document_id: int) -> Response:
    applicant = _applicant_or_404(applicant_id)
    document = _document_or_404(applicant, document_id)
    if FlaskForm().validate_on_submit():
        documents.delete_document(document, actor=current_user)
        db.session.commit()
        flash(_("Document deleted."), "success")
    return redirect(url_for(".detail", applicant_id=applicant.id))


@bp.route("/<int:applicant_id>/consent", methods=["POST"])
def record_consent(applicant_id: int) -> Response | tuple[str, int]:
    applicant = _applicant_or_404(applicant_id)
    form = ConsentForm()
    if not form.validate_on_submit():
        return _detail(applicant, 422, consent_form=form)
    try:
        services.record_consent(applicant, given_on=form.given_on.data, method=form.method.data,
                                evidence=form.evidence.data, actor=current_user)
    except services.ApplicantError as exc:
        db.session.rollback()
        flash(error_message(exc.code), "danger")
        return _detail(_applicant_or_404(applicant_id), 422)
    db.session.commit()
    flash(_("Consent recorded."), "success")
    return redirect(url_for(".detail", applicant_id=applicant.id))


@bp.route("/<int:applicant_id>/consent/<int:consent_id>/withdraw", methods=["POST"])
def withdraw_consent(applicant_id: int, consent_id: int) -> Response:
    applicant = _applicant_or_404(applicant_id)
    consent = db.session.get(Consent, consent_id)
    if consent is None or consent.applicant_id != applicant.id:
        abort(404)
    if FlaskForm().validate_on_submit() and services.withdraw_consent(consent, actor=current_user):
        db.session.commit()
        flash(_("Consent withdrawn; the data is purged at the next run."), "success")
    return redirect(url_for(".detail", applicant_id=applicant.id))


@bp.route("/<int:applicant_id>/consent/request", methods=["POST"])
def request_consent(applicant_id: int) -> Response:
    applicant = _applicant_or_404(applicant_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        consent_links.send_request(applicant, actor=current_user)
    except services.ApplicantError as exc:
        db.session.rollback()
        flash(error_message(exc.code), "danger")
    else:
        db.session.commit()
        flash(_("Consent request sent."), "success")
    return redirect(url_for(".detail", applicant_id=applicant.id))


@bp.route("/<int:applicant_id>/hold", methods=["POST"])
@roles_required("admin")
@require_recent_auth
def legal_hold(applicant_id: int) -> Response | tuple[str, int]:
    applicant = _applicant_or_404(applicant_id)
    form = HoldForm()
    if not form.validate_on_submit():
        return _detail(applicant, 422, hold_form=form)
    services.set_legal_hold(applicant, form.reason.data, actor=current_user)
    db.session.commit()
    flash(_("Legal hold placed.") if applicant.legal_hold else _("Legal hold lifted."), "success")
    return redirect(url_for(".detail", applicant_id=applicant.id))
