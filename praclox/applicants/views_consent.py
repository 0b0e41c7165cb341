"""The applicant's own pages, reached from the e-mail: give or withdraw consent, no login.

A GET only shows what will happen; the consent is recorded by the POST of a button, so a mail scanner
that opens links cannot consent on the applicant's behalf.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from praclox.applicants import consent
from praclox.extensions import db

bp = Blueprint("consent", __name__, url_prefix="/consent")


def _refused(error: consent.ConsentLinkError) -> tuple[str, int]:
    messages = {
        "expired": _("This link has expired (links are valid for %(days)d days). Ask the recruiter for a new one.",
                     days=consent.GIVE_MAX_AGE.days),
        "used": _("This link has already been used; your answer was recorded. Nothing was changed."),
        "invalid": _("This link is not valid. Nothing was changed."),
    }
    status = {"expired": 410, "used": 410}.get(error.code, 404)
    return render_template("applicants/consent_public.html", state="refused", message=messages[error.code]), status


@bp.route("/<secret:token>", methods=["GET", "POST"])
def give(token: str) -> str | Response | tuple[str, int]:
    form = FlaskForm()
    try:
        applicant = consent.peek(token)
        if form.validate_on_submit():
            record = consent.give_by_link(token)
            db.session.commit()
            return render_template("applicants/consent_public.html", state="given", consent=record,
                                   withdraw=consent.withdraw_link(applicant))
    except consent.ConsentLinkError as exc:
        db.session.rollback()
        return _refused(exc)
    return render_template("applicants/consent_public.html", state="ask", form=form, applicant=applicant)


@bp.route("/<secret:token>/withdraw", methods=["GET", "POST"])
def withdraw(token: str) -> str | Response | tuple[str, int]:
    form = FlaskForm()
    try:
        consent.withdraw_target(token)
        if form.validate_on_submit():
            consent.withdraw_by_link(token)
            db.session.commit()
            return render_template("applicants/consent_public.html", state="withdrawn")
    except consent.ConsentLinkError as exc:
        db.session.rollback()
        return _refused(exc)
    return render_template("applicants/consent_public.html", state="ask_withdraw", form=form)
