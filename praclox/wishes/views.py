"""Staff pages for wishes: per office, and one list across offices."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from praclox.auth.access import require_roles_for_blueprint
from praclox.extensions import db
from praclox.forms import ConfirmForm
from praclox.offices.models import Office
from praclox.paging import paginate
from praclox.wishes import services
from praclox.wishes.forms import WishForm
from praclox.wishes.models import STATUS_VALUES, Wish

bp = Blueprint("wishes", __name__, url_prefix="/wishes")
bp.before_request(require_roles_for_blueprint("staff", "admin"))


def _form(office: Office, **kwargs: object) -> WishForm:
    contacts = [c for c in office.contacts if c.active or c.id == getattr(kwargs.get("obj"), "requested_by_id", 0)]
    return WishForm(contacts=contacts, **kwargs)  # type: ignore[arg-type]


def _data(form: WishForm) -> dict[str, object]:
    return {name: getattr(form, name).data for name in services.FIELDS}


def _refused(form: WishForm, reason: str) -> None:
    field = getattr(form, reason, form.title)
    field.errors = [*field.errors, _("This value is not allowed here.")]


@bp.route("/")
def index() -> str:
    status = request.args.get("status", "open")
    status = status if status in (*STATUS_VALUES, "open", "all") else "open"
    page = paginate(services.search(status), per_page=current_app.config["PAGE_SIZE"])
    return render_template("wishes/index.html", page=page, status=status)


@bp.route("/office/<int:office_id>/new", methods=["GET", "POST"])
def create(office_id: int) -> str | Response | tuple[str, int]:
    office = db.get_or_404(Office, office_id)
    form = _form(office)
    if form.validate_on_submit():
        try:
            services.create_wish(office, _data(form), actor=current_user)
        except services.WishError as exc:
            db.session.rollback()
            _refused(form, str(exc))
            return render_template("wishes/form.html", form=form, office=office, wish=None), 422
        db.session.commit()
        flash(_("Wish added."), "success")
        return redirect(url_for("offices.detail", office_id=office.id) + "#wishes")
    return render_template("wishes/form.html", form=form, office=office, wish=None), 422 if form.errors else 200


@bp.route("/<int:wish_id>/edit", methods=["GET", "POST"])
def edit(wish_id: int) -> str | Response | tuple[str, int]:
    wish = db.get_or_404(Wish, wish_id)
    form = _form(wish.office, obj=wish)
    if form.validate_on_submit():
        try:
            services.update_wish(wish, _data(form), actor=current_user)
        except services.WishError as exc:
            db.session.rollback()
            _refused(form, str(exc))
            return render_template("wishes/form.html", form=form, office=wish.office, wish=wish,
                                   confirm=ConfirmForm()), 422
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("offices.detail", office_id=wish.office_id) + "#wishes")
    return render_template(
        "wishes/form.html", form=form, office=wish.office, wish=wish, confirm=ConfirmForm()
    ), 422 if form.errors else 200


@bp.route("/<int:wish_id>/delete", methods=["POST"])
def delete(wish_id: int) -> Response:
    wish = db.get_or_404(Wish, wish_id)
    office_id = wish.office_id
    if ConfirmForm().validate_on_submit():
        services.delete_wish(wish, actor=current_user)
        db.session.commit()
        flash(_("Wish deleted."), "success")
    return redirect(url_for("offices.detail", office_id=office_id) + "#wishes")
