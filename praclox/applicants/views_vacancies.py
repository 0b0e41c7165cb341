"""Vacancies (recruiters) and the list of rejection reasons (admins), on the applicants blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from praclox.applicants import services
from praclox.applicants.forms import ReasonForm, VacancyForm
from praclox.applicants.models import Applicant, RejectionReason, Vacancy
from praclox.applicants.views import bp, error_message
from praclox.auth.access import roles_required
from praclox.extensions import db


@bp.route("/vacancies", methods=["GET", "POST"])
def vacancies() -> str | Response | tuple[str, int]:
    form = VacancyForm()
    if form.validate_on_submit():
        services.create_vacancy(form.title.data, form.is_open.data, actor=current_user)
        db.session.commit()
        flash(_("Vacancy added."), "success")
        return redirect(url_for(".vacancies"))
    counts = dict(db.session.execute(select(Applicant.vacancy_id, func.count()).group_by(Applicant.vacancy_id)).all())
    rows = db.session.scalars(select(Vacancy).order_by(Vacancy.is_open.desc(), Vacancy.title)).all()
    status = 422 if request.method == "POST" else 200
    return render_template("applicants/vacancies.html", form=form, vacancies=rows, counts=counts), status


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
def edit_vacancy(vacancy_id: int) -> str | Response | tuple[str, int]:
    vacancy = db.get_or_404(Vacancy, vacancy_id)
    form = VacancyForm(obj=vacancy)
    if form.validate_on_submit():
        services.update_vacancy(vacancy, form.title.data, form.is_open.data, actor=current_user)
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for(".vacancies"))
    status = 422 if request.method == "POST" else 200
    return render_template("applicants/vacancy_form.html", form=form, vacancy=vacancy), status


@bp.route("/reasons", methods=["GET", "POST"])
@roles_required("admin")
def reasons() -> str | Response | tuple[str, int]:
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.create_reason(form.label.data, actor=current_user)
        except services.ApplicantError as exc:
            db.session.rollback()
            flash(error_message(exc.code), "danger")
        else:
            db.session.commit()
            flash(_("Rejection reason added."), "success")
            return redirect(url_for(".reasons"))
    rows = db.session.scalars(select(RejectionReason).order_by(RejectionReason.active.desc(),
                                                              RejectionReason.label)).all()
    status = 422 if request.method == "POST" else 200
    return render_template("applicants/reasons.html", form=form, reasons=rows, confirm=FlaskForm()), status


@bp.route("/reasons/<int:reason_id>/toggle", methods=["POST"])
@roles_required("admin")
def toggle_reason(reason_id: int) -> Response:
    reason = db.get_or_404(RejectionReason, reason_id)
    if FlaskForm().validate_on_submit():
        services.set_reason_active(reason, not reason.active, actor=current_user)
        db.session.commit()
    return redirect(url_for(".reasons"))
