"""The public privacy statement, the processing register, and the blueprints of the privacy pages."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user

from praclox import csvutil
from praclox.auth.access import roles_required
from praclox.csvutil import write_csv
from praclox.privacy import register
from praclox.privacy.models import OFFICER_ADDRESS_KEY, OFFICER_EMAIL_KEY, OFFICER_NAME_KEY
from praclox.settings import services as settings

#: the public statement: no login
public = Blueprint("statement", __name__)
#: the privacy officer's pages; each view names its roles
bp = Blueprint("privacy", __name__, url_prefix="/privacy-officer")

OFFICER = ("privacy_officer",)
REGISTER_ROLES = ("privacy_officer", "admin")


def csv_response(body: str, filename: str) -> Response:
    return csvutil.csv_response(body, filename, bom=True)


@public.route("/privacy")
def show() -> str:
    """The privacy statement, generated from the declared fields and the live settings."""
    from praclox.backup.retention import KEEP_DAYS

    return render_template("privacy/statement.html", sections=register.statement_sections(), officer=public_officer(),
                           backup_days=settings.get(KEEP_DAYS))


def officer() -> dict[str, str]:
    return {"name": settings.get(OFFICER_NAME_KEY), "address": settings.get(OFFICER_ADDRESS_KEY),
            "email": settings.get(OFFICER_EMAIL_KEY)}


def public_officer() -> dict[str, str]:
    """The privacy officer as the public statement names them. Until the administrator fills in an address or
    e-mail (the dashboard says so), a reader can still write: to the address the CRM's own mail comes from."""
    found = officer()
    if not (str(found["address"] or "").strip() or str(found["email"] or "").strip()):
        found["email"] = current_app.config["SMTP_FROM"]
    return found


@bp.route("/register")
@roles_required(*REGISTER_ROLES)
def processing_register() -> str:
    return render_template("privacy/register.html", rows=register.rows(), exports=register.exports(),
                           officer=officer())


@bp.route("/register.csv")
@roles_required(*REGISTER_ROLES)
def register_csv() -> Response:
    from praclox.audit.services import record
    from praclox.extensions import db

    record("export", None, record_type="processing_register", actor=current_user)
    db.session.commit()
    header = [str(h) for h in register.HEADER]
    return csv_response(write_csv(header, register.csv_rows()), "processing-register.csv")
