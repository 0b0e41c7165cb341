from __future__ import annotations

from itertools import groupby

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from praclox.auth.access import require_roles_for_blueprint
from praclox.auth.sessions import require_recent_auth
from praclox.extensions import db
from praclox.settings import services

bp = Blueprint("settings", __name__, url_prefix="/admin/settings")
bp.before_request(require_roles_for_blueprint("admin"))


@bp.route("/", methods=["GET", "POST"])
@require_recent_auth  # lockout limits, session timeouts, two-step login for all live here
def index() -> str | Response | tuple[str, int]:
    form = FlaskForm()  # CSRF only; the fields come from the declarations
    specs = sorted(services.specs().values(), key=lambda s: (str(s.section), s.key))
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        for spec in specs:
            raw = request.form.get(spec.key, "off" if spec.type is bool else None)
            if raw is None:
                continue
            try:
                services.set_value(spec.key, raw, actor=current_user)
            except services.SettingError as exc:
                errors[spec.key] = str(exc)
        if errors:
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("Settings saved."), "success")
            return redirect(url_for(".index"))
    values = {s.key: request.form.get(s.key, services.get(s.key)) if errors else services.get(s.key)
              for s in specs}
    sections = [(section, list(items)) for section, items in groupby(specs, key=lambda s: str(s.section))]
    return render_template("settings/index.html", form=form, sections=sections, values=values, errors=errors), (
        422 if errors else 200
    )
