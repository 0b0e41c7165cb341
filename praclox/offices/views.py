from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from praclox.auth.access import require_roles_for_blueprint
from praclox.extensions import db
from praclox.forms import ConfirmForm
from praclox.offices import importer, services, twins
from praclox.offices.forms import ContactForm, ImportForm, InteractionForm, LeftForm, OfficeForm
from praclox.offices.models import Contact, Interaction, Office
from praclox.paging import paginate

bp = Blueprint("offices", __name__, url_prefix="/offices")
bp.before_request(require_roles_for_blueprint("staff", "admin"))

OFFICE_FORM_FIELDS = services.OFFICE_FIELDS
CONTACT_FORM_FIELDS = services.CONTACT_FIELDS


def _form_data(form: OfficeForm | ContactForm, fields: tuple[str, ...]) -> dict[str, object]:
    return {name: getattr(form, name).data for name in fields if hasattr(form, name)}


def _office_or_404(office_id: int) -> Office:
    return db.get_or_404(Office, office_id)


def _contact_or_404(office: Office, contact_id: int) -> Contact:
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.office_id != office.id:
        abort(404)
    return contact


@bp.route("/")
def index() -> str:
    query = request.args.get("q", "")[:100]
    kind = request.args.get("kind", "")
    sort = request.args.get("sort", "name")
    page = paginate(services.office_search(query, kind, sort), per_page=current_app.config["PAGE_SIZE"])
    last = services.last_contact_dates([o.id for o in page.items])
    matched = services.matched_contacts([o.id for o in page.items], query)
    return render_template("offices/index.html", page=page, last=last, q=query, kind=kind, sort=sort,
                           matched=matched)


@bp.route("/new", methods=["GET", "POST"])
def create() -> str | Response | tuple[str, int]:
    form = OfficeForm()
    found: list[twins.Pair] = []
    if form.validate_on_submit():
        data = _form_data(form, OFFICE_FORM_FIELDS)
        found = [] if request.form.get("create_anyway") else twins.office_twins(data)
        if not found:
            office = services.create_office(data)
            db.session.commit()
            flash(_("Office %(name)s created.", name=office.name), "success")
            return redirect(url_for(".detail", office_id=office.id))
    return render_template("offices/form.html", form=form, office=None, twins=found), 422 if form.errors else 200


@bp.route("/<int:office_id>")
def detail(office_id: int) -> str:
    office = _office_or_404(office_id)
    form = InteractionForm(contacts=[c for c in office.contacts if c.active])
    return render_template(
        "offices/detail.html", office=office, interaction_form=form, confirm=ConfirmForm(),
        last_contact=services.last_contact_date(office),
    )


@bp.route("/<int:office_id>/edit", methods=["GET", "POST"])
def edit(office_id: int) -> str | Response | tuple[str, int]:
    office = _office_or_404(office_id)
    form = OfficeForm(obj=office)
    if form.validate_on_submit():
        services.update_office(office, _form_data(form, OFFICE_FORM_FIELDS))
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for(".detail", office_id=office.id))
    return render_template("offices/form.html", form=form, office=office), 422 if form.errors else 200


@bp.route("/<int:office_id>/convert", methods=["POST"])
def convert(office_id: int) -> Response:
    office = _office_or_404(office_id)
    if ConfirmForm().validate_on_submit() and services.convert_to_client(office):
        db.session.commit()
        flash(_("%(name)s is now a client.", name=office.name), "success")
    return redirect(url_for(".detail", office_id=office.id))


@bp.route("/<int:office_id>/delete", methods=["GET", "POST"])
def delete(office_id: int) -> str | Response:
    office = _office_or_404(office_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = office.name
        services.delete_office(office)
        db.session.commit()
        flash(_("Office %(name)s deleted with its contacts and history.", name=name), "success")
        return redirect(url_for(".index"))
    return render_template(
        "offices/confirm_delete.html", form=form, what=office.name,
        detail=_("This deletes %(contacts)s and %(entries)s.",
                 contacts=ngettext("%(num)d contact", "%(num)d contacts", len(office.contacts)),
                 entries=ngettext("%(num)d history entry", "%(num)d history entries", len(office.interactions))),
        cancel=url_for(".detail", office_id=office.id),
    )


@bp.route("/<int:office_id>/interactions", methods=["POST"])
def log_interaction(office_id: int) -> str | Response | tuple[str, int]:
    office = _office_or_404(office_id)
    form = InteractionForm(contacts=[c for c in office.contacts if c.active])
    if form.validate_on_submit():
        contact = _contact_or_404(office, form.contact_id.data) if form.contact_id.data else None
        services.log_interaction(
            office, kind=form.kind.data, occurred_on=form.occurred_on.data, summary=form.summary.data,
            contact=contact, logged_by=current_user,
        )
        db.session.commit()
        flash(_("Contact moment logged."), "success")
        return redirect(url_for(".detail", office_id=office.id))
    return render_template(
        "offices/detail.html", office=office, interaction_form=form, confirm=ConfirmForm(),
        last_contact=services.last_contact_date(office),
    ), 422


@bp.route("/<int:office_id>/interactions/<int:interaction_id>/delete", methods=["POST"])
def delete_interaction(office_id: int, interaction_id: int) -> Response:
    office = _office_or_404(office_id)
    interaction = db.session.get(Interaction, interaction_id)
    if interaction is None or interaction.office_id != office.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.delete_interaction(interaction)
        db.session.commit()
        flash(_("History entry deleted."), "success")
    return redirect(url_for(".detail", office_id=office.id))


@bp.route("/<int:office_id>/contacts/new", methods=["GET", "POST"])
def create_contact(office_id: int) -> str | Response | tuple[str, int]:
    office = _office_or_404(office_id)
    form = ContactForm()
    found: list[twins.Pair] = []
    if form.validate_on_submit():
        data = _form_data(form, CONTACT_FORM_FIELDS)
        found = [] if request.form.get("create_anyway") else twins.contact_twins(data, office)
        if not found:
            contact = services.create_contact(office, data)
            db.session.commit()
            flash(_("Contact %(name)s added.", name=contact.full_name), "success")
            return redirect(url_for(".contact", office_id=office.id, contact_id=contact.id))
    return render_template("offices/contact_form.html", form=form, office=office, contact=None, twins=found), (
        422 if form.errors else 200
    )


@bp.route("/<int:office_id>/contacts/<int:contact_id>")
def contact(office_id: int, contact_id: int) -> str:
    office = _office_or_404(office_id)
    person = _contact_or_404(office, contact_id)
    history = [i for i in office.interactions if i.contact_id == person.id]
    return render_template(
        "offices/contact.html", office=office, contact=person, history=history,
        last_contact=services.contact_last_date(person), left_form=LeftForm(), confirm=ConfirmForm(),
    )


@bp.route("/<int:office_id>/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
def edit_contact(office_id: int, contact_id: int) -> str | Response | tuple[str, int]:
    office = _office_or_404(office_id)
    person = _contact_or_404(office, contact_id)
    form = ContactForm(obj=person)
    if form.validate_on_submit():
        services.update_contact(person, _form_data(form, CONTACT_FORM_FIELDS))
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for(".contact", office_id=office.id, contact_id=person.id))
    return render_template("offices/contact_form.html", form=form, office=office, contact=person), (
        422 if form.errors else 200
    )


@bp.route("/<int:office_id>/contacts/<int:contact_id>/left", methods=["POST"])
def contact_left(office_id: int, contact_id: int) -> Response:
    office = _office_or_404(office_id)
    person = _contact_or_404(office, contact_id)
    form = LeftForm()
    if form.validate_on_submit():
        try:
            services.mark_left(person, form.left_on.data)
        except services.OfficeError:
            db.session.rollback()
            flash(_("This contact has already left."), "warning")
        else:
            db.session.commit()
            flash(_("%(name)s is marked as having left the office.", name=person.full_name), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return redirect(url_for(".contact", office_id=office.id, contact_id=person.id))


@bp.route("/<int:office_id>/contacts/<int:contact_id>/reactivate", methods=["POST"])
def contact_reactivate(office_id: int, contact_id: int) -> Response:
    office = _office_or_404(office_id)
    person = _contact_or_404(office, contact_id)
    if ConfirmForm().validate_on_submit() and not person.active:
        services.reactivate(person)
        db.session.commit()
        flash(_("%(name)s is active again.", name=person.full_name), "success")
    return redirect(url_for(".contact", office_id=office.id, contact_id=person.id))


@bp.route("/<int:office_id>/contacts/<int:contact_id>/delete", methods=["GET", "POST"])
def delete_contact(office_id: int, contact_id: int) -> str | Response:
    office = _office_or_404(office_id)
    person = _contact_or_404(office, contact_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_contact(person)
        db.session.commit()
        flash(_("Contact deleted."), "success")
        return redirect(url_for(".detail", office_id=office.id))
    return render_template(
        "offices/confirm_delete.html", form=form, what=person.full_name,
        detail=_("The contact's history entries stay with the office, without the name link."),
        cancel=url_for(".contact", office_id=office.id, contact_id=person.id),
    )


@bp.route("/import", methods=["GET", "POST"])
def import_upload() -> str | Response | tuple[str, int]:
    """Upload a CSV or XLSX file; a dry run (or a file with likely duplicates) shows what would change."""
    form = ImportForm()
    errors: list[importer.RowError] = []
    result = None
    if form.validate_on_submit():
        raw = form.file.data.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
        try:
            result = importer.import_offices(raw, update=form.update.data)
        except importer.ImportRejected as exc:
            db.session.rollback()
            errors = exc.errors
        else:
            if not form.dry_run.data and (form.allow_duplicates.data or not result.warnings):
                db.session.commit()
                flash(_imported_message(result), "success")
                return redirect(url_for(".index"))
            db.session.rollback()
    status = 422 if (errors or form.errors) else 200
    return render_template("offices/import.html", form=form, errors=errors, result=result), status


def _imported_message(result: importer.ImportResult) -> str:
    message = _("Imported: %(offices)s, %(contacts)s.",
                offices=ngettext("%(num)d new office", "%(num)d new offices", result.offices),
                contacts=ngettext("%(num)d new contact", "%(num)d new contacts", result.contacts))
    if result.updated_offices or result.updated_contacts:
        message += " " + _("Updated: %(offices)s, %(contacts)s.",
                           offices=ngettext("%(num)d office", "%(num)d offices", result.updated_offices),
                           contacts=ngettext("%(num)d contact", "%(num)d contacts", result.updated_contacts))
    return message
