"""Tags on offices: the admin's tag list, and tagging one office from its page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from praclox.auth.access import require_roles_for_blueprint, roles_required
from praclox.extensions import db
from praclox.forms import ConfirmForm, flash_errors
from praclox.offices import listing, services
from praclox.offices.forms import OfficeTagForm, TagForm
from praclox.offices.models import Office, Tag, office_tags
from praclox.settings import services as settings

bp = Blueprint("tags", __name__, url_prefix="/offices")
bp.before_request(require_roles_for_blueprint("staff", "admin"))

#: why a tag service refused, in the words the form shows
REFUSALS = {
    "duplicate": lambda: _("A tag of this name exists already."),
    "tag": lambda: _("Only tags from the list may be added here; ask an administrator for a new one."),
}


def _listed_tags() -> list[Tag]:
    return list(db.session.scalars(select(Tag).order_by(Tag.tag_group, Tag.name)))


def _refusal(exc: services.OfficeError) -> str:
    return REFUSALS.get(str(exc), lambda: _("This value is not allowed here."))()


def may_type_tags(user: Any) -> bool:
    """Whether ``user`` may add a tag that is not on the list (admins always; staff when the setting says so)."""
    return bool(user.has_role("admin") or settings.get(services.FREE_TAGS))


def office_section(office: Office) -> dict[str, Any]:
    """The office page's block: its account manager, whether it is flagged, its tags and the add-tag form."""
    return {
        "tags": office.tags, "form": OfficeTagForm(tags=[t for t in _listed_tags() if t not in office.tags]),
        "may_type": may_type_tags(current_user), "stale": bool(listing.stale_among([office.id])),
        "stale_months": settings.get(listing.STALE_MONTHS), "confirm": ConfirmForm(),
    }


@bp.route("/<int:office_id>/tags", methods=["POST"])
def add_to_office(office_id: int) -> Response:
    office = db.get_or_404(Office, office_id)
    form = OfficeTagForm(tags=_listed_tags())
    back = url_for("offices.detail", office_id=office.id)
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(back)
    try:
        tag = (services.free_tag(form.name.data, actor=current_user) if (form.name.data or "").strip()
               else db.get_or_404(Tag, form.tag_id.data))
        added = services.add_tag(services.one_office(office), tag, actor=current_user)
    except services.OfficeError as exc:
        db.session.rollback()
        flash(_refusal(exc), "danger")
        return redirect(back)
    db.session.commit()
    if added:
        flash(_("Tag %(name)s added.", name=tag.name), "success")
    return redirect(back)


@bp.route("/<int:office_id>/tags/<int:tag_id>/remove", methods=["POST"])
def remove_from_office(office_id: int, tag_id: int) -> Response:
    office = db.get_or_404(Office, office_id)
    tag = db.get_or_404(Tag, tag_id)
    if ConfirmForm().validate_on_submit() and services.remove_tag(services.one_office(office), tag, actor=current_user):
        db.session.commit()
        flash(_("Tag %(name)s removed.", name=tag.name), "success")
    return redirect(url_for("offices.detail", office_id=office.id))


@bp.route("/tags/", methods=["GET", "POST"])
@roles_required("admin")
def index() -> str | Response | tuple[str, int]:
    """The tag list by group, with how many offices carry each tag; a form to add one."""
    form = TagForm()
    if form.validate_on_submit():
        try:
            tag = services.create_tag(form.name.data, form.tag_group.data, actor=current_user)
        except services.OfficeError as exc:
            db.session.rollback()
            form.name.errors = [_refusal(exc)]
        else:
            db.session.commit()
            flash(_("Tag %(name)s added.", name=tag.name), "success")
            return redirect(url_for(".index"))
    counts = dict(db.session.execute(select(office_tags.c.tag_id, func.count()).group_by(office_tags.c.tag_id)).all())
    return render_template("offices/tags.html", form=form, tags=_listed_tags(), counts=counts,
                           confirm=ConfirmForm()), 422 if form.errors else 200


@bp.route("/tags/<int:tag_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit(tag_id: int) -> str | Response | tuple[str, int]:
    tag = db.get_or_404(Tag, tag_id)
    form = TagForm(obj=tag)
    if form.validate_on_submit():
        try:
            services.update_tag(tag, form.name.data, form.tag_group.data, actor=current_user)
        except services.OfficeError as exc:
            db.session.rollback()
            form.name.errors = [_refusal(exc)]
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for(".index"))
    return render_template("offices/tag_form.html", form=form, tag=tag), 422 if form.errors else 200


@bp.route("/tags/<int:tag_id>/delete", methods=["POST"])
@roles_required("admin")
def delete(tag_id: int) -> Response:
    tag = db.get_or_404(Tag, tag_id)
    if ConfirmForm().validate_on_submit():
        name = tag.name
        count = services.delete_tag(tag, actor=current_user)
        db.session.commit()
        flash(ngettext("Tag %(name)s deleted; %(num)d office no longer carries it.",
                       "Tag %(name)s deleted; %(num)d offices no longer carry it.", count, name=name), "success")
    return redirect(url_for(".index"))

