from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from praclox.domain import registry
from praclox.urls import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index() -> str:
    panels = [(p, p.context()) for p in registry().panels_for(current_user)]
    return render_template("main/dashboard.html", panels=panels)


@bp.route("/language", methods=["POST"])
def language() -> Response:
    """Switch the interface language (CSRF-protected like every POST)."""
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LOCALES"]:
        abort(400)
    session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))


@bp.route("/favicon.ico")
def favicon() -> Response:
    """The icon browsers ask for at the site's root: 147 bytes, read whole (no open file left to a client that
    never reads the body), cached for a day."""
    icon = Path(current_app.static_folder or "", "favicon.ico").read_bytes()
    return Response(icon, mimetype="image/vnd.microsoft.icon", headers={"Cache-Control": "public, max-age=86400"})


@bp.route("/health")
def health() -> tuple[str, int, dict[str, str]]:
    """Liveness for the load balancer: no data, no session (the same answer as ``/health/live``)."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.route("/health/live")
def health_live() -> tuple[str, int, dict[str, str]]:
    """Liveness: the process answers. Never touches the database, so an outage does not restart workers."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.route("/health/ready")
def health_ready() -> tuple[str, int, dict[str, str]]:
    """Readiness: the process answers and the database does (a load balancer sends no traffic otherwise)."""
    from praclox.main.outage import RETRY_AFTER_SECONDS, database_ready

    if database_ready():
        return "ready", 200, {"Content-Type": "text/plain"}
    return "database unavailable", 503, {"Content-Type": "text/plain", "Retry-After": str(RETRY_AFTER_SECONDS)}
