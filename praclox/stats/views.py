"""The analysis pages and their CSV downloads: staff pages, and the recruitment page for recruiters."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from praclox.auth.access import roles_required
from praclox.clock import today
from praclox.csvutil import csv_response, write_csv
from praclox.extensions import db
from praclox.stats import pages
from praclox.stats.charts import layout
from praclox.stats.filters import parse

bp = Blueprint("stats", __name__, url_prefix="/stats")


@bp.route("/")
@roles_required(*pages.EVERYONE)
def index() -> str:
    return render_template("stats/index.html", pages=pages.visible(current_user))


def _page(key: str, allowed: frozenset[str]) -> pages.Page:
    page = pages.PAGES.get(key)
    if page is None or page.roles != allowed:
        abort(404)
    return page


def _office_choices(page: pages.Page) -> dict[str, object]:
    """The account managers and tags the filter offers: the office list's own choices."""
    if not page.office_filters:
        return {"managers": [], "tags": []}
    from praclox.offices.listing import manager_filter_choices
    from praclox.offices.models import Tag

    return {"managers": list(db.session.scalars(manager_filter_choices())),
            "tags": list(db.session.scalars(select(Tag).order_by(Tag.tag_group, Tag.name)))}


def _show(page: pages.Page) -> tuple[str, int]:
    filters = parse(request.args)
    found = pages.charts(page, filters)
    return render_template("stats/page.html", page=page, charts=found, layout=layout, filters=filters,
                           pages=pages.visible(current_user), threshold=pages.threshold(),
                           **_office_choices(page)), 422 if filters.errors else 200


def _csv(page: pages.Page, chart_key: str) -> Response:
    filters = parse(request.args)
    chart = next((c for c in pages.charts(page, filters) if c.key == chart_key), None)
    if chart is None:
        abort(404)
    body = write_csv(chart.headers, ([category, *values] for category, values in chart.rows(",")), delimiter=";")
    return csv_response(body, f"praclox-{page.key}-{chart.key}-{today().isoformat()}.csv", bom=True)


@bp.route("/recruitment")
@roles_required(*pages.RECRUITERS)
def recruitment() -> tuple[str, int]:
    return _show(_page("recruitment", pages.RECRUITERS))


@bp.route("/recruitment/<figure>.csv")
@roles_required(*pages.RECRUITERS)
def recruitment_csv(figure: str) -> Response:
    return _csv(_page("recruitment", pages.RECRUITERS), figure)


@bp.route("/<section>")
@roles_required(*pages.STAFF)
def page(section: str) -> tuple[str, int]:
    return _show(_page(section, pages.STAFF))


@bp.route("/<section>/<chart>.csv")
@roles_required(*pages.STAFF)
def page_csv(section: str, chart: str) -> Response:
    return _csv(_page(section, pages.STAFF), chart)
