"""The privacy officer's retention report: page, CSV, printable view, subscription, dashboard alarm."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from praclox.applicants import report as reports
from praclox.applicants import report_mail
from praclox.applicants.forms import rule_labels, status_labels
from praclox.applicants.models import ConsentMethod
from praclox.auth.access import require_roles_for_blueprint
from praclox.clock import today
from praclox.csvutil import csv_response, write_csv
from praclox.extensions import db

bp = Blueprint("retention", __name__, url_prefix="/retention")
bp.before_request(require_roles_for_blueprint("privacy_officer", "admin"))


def _render(template: str) -> str:
    return render_template(
        template, report=reports.build_report(), rules=rule_labels(), labels=status_labels(),
        methods=dict(ConsentMethod.choices()), window=reports.DUE_WINDOW_DAYS, form=FlaskForm(),
        subscribed=report_mail.is_subscribed(current_user),
    )


@bp.route("/")
def index() -> str:
    return _render("applicants/report.html")


@bp.route("/print")
def printable() -> str:
    return _render("applicants/report_print.html")


@bp.route("/report.csv")
def export_csv() -> Response:
    header, rows = reports.csv_rows(reports.build_report())
    filename = f"retention-report-{today().isoformat()}.csv"
    return csv_response(write_csv(header, rows), filename)


@bp.route("/subscription", methods=["POST"])
def subscription() -> Response:
    if FlaskForm().validate_on_submit():
        subscribed = report_mail.toggle_subscription(current_user)
        db.session.commit()
        flash(_("You receive the report by e-mail each month.") if subscribed
              else _("You no longer receive the report by e-mail."), "success")
    return redirect(url_for(".index"))


def panel_context() -> dict[str, Any]:
    return {"overdue": reports.overdue_count()}
