from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_template,
    url_for,
)
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from praclox import listpage
from praclox.auth.access import require_roles_for_blueprint
from praclox.auth.models import User
from praclox.extensions import db
from praclox.followups import services as followups
from praclox.forms import ConfirmForm, flash_errors
from praclox.offices import importer, listing, services, twins
from praclox.offices.forms import (
    BulkForm,
    ContactForm,
    ImportForm,
    InteractionEditForm,
    LeftForm,
    LogInteractionForm,
    OfficeForm,
)
from praclox.offices.models import Contact, Interaction, InteractionKind, Office, OfficeKind, Tag
from praclox.paging import paginate
from praclox.settings import services as settings

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


def _managers(office: Office | None) -> list[User]:
    """The account manager choices: every eligible user, and the office's own (even when deactivated)."""
    users = list(db.session.scalars(services.account_managers()))
    if office is not None and office.account_manager is not None and office.account_manager not in users:
        users.append(office.account_manager)
    return users


def _valid(form: OfficeForm) -> bool:
    """The form's checks, then the service's rule for the account manager (checked again when saving)."""
    if not form.validate_on_submit():
        return False
    try:
        services.check_account_manager({"account_manager_id": form.account_manager_id.data},
                                       form.account_manager_id.object_data)
    except services.OfficeError:
        form.account_manager_id.errors = [_("This value is not allowed here.")]
        return False
    return True


@bp.route("/")
def index() -> str:
    wanted = listing.OfficeFilter.from_args(request.args)
    managers = list(db.session.scalars(listing.manager_filter_choices()))
    # counted from the filter alone: the sorts by last contact or next follow-up join an aggregate the count
    # does not need (it doubled those pages at 10,000 offices); a row is the few columns it shows
    page = paginate(listing.office_rows(wanted, current_user), per_page=current_app.config["PAGE_SIZE"],
                    total=listing.selection_count(wanted, current_user), rows=True)
    ids = [row.id for row in page.items]
    tags = {t.id: t for t in db.session.scalars(select(Tag).order_by(Tag.tag_group, Tag.name))}
    last, next_due = listing.page_dates(ids)
    stale = listing.stale_of(page.items, last)
    page.items = _office_lines(page.items, {u.id: u.name for u in managers}, tags, (last, next_due), stale)
    return render_template(
        "offices/index.html", page=page, f=wanted, q=wanted.q,
        matched=services.matched_contacts(ids, wanted.q), stale_months=settings.get(listing.STALE_MONTHS),
        tags=tags, tag_counts=listing.tag_counts(wanted, current_user),
        managers=managers, bulk=BulkForm(managers=managers, tags=list(tags.values()), expected=page.total),
        can_export="offices.export" in current_app.view_functions,
    )


@dataclass(frozen=True, slots=True)
class _OfficeLine:
    """One row of the office list, every text worked out (``praclox.listpage``: once per page, not per row)."""

    id: int
    name: str
    url: str
    tick_label: str
    tags: list[str]
    is_client: bool
    kind_label: str
    city: str
    manager: str
    last_contact: str
    stale: bool
    next_follow_up: str


def _office_lines(rows: list[Any], managers: dict[int, str], tags: dict[int, Tag],
                  dates: tuple[dict[int, Any], dict[int, Any]], stale: set[int]) -> list[_OfficeLine]:
    detail, day = listpage.url_maker(".detail", "office_id"), listpage.day_texts()
    kinds = {kind: OfficeKind.label_of(kind) for kind in OfficeKind.values()}
    tick, tag_ids = _("Tick %(name)s"), listing.tag_ids_of([row.id for row in rows])
    last, next_due = dates
    return [_OfficeLine(
        row.id, row.name, detail(row.id), listpage.filled(tick, name=row.name),
        [tags[t].name for t in tag_ids.get(row.id, ()) if t in tags], row.kind == OfficeKind.CLIENT.value,
        kinds.get(row.kind, row.kind), row.visit_city or "", managers.get(row.account_manager_id, "—"),
        day(last.get(row.id)), row.id in stale, day(next_due.get(row.id)),
    ) for row in rows]


@bp.route("/bulk", methods=["POST"])
def bulk() -> Response:
    """Change the ticked offices of the filtered list, or every office of it when none is ticked (the filter
    travels in the query string, as on the list)."""
    wanted = listing.OfficeFilter.from_args(request.args)
    back = url_for(".index", **wanted.args())
    form = BulkForm(managers=list(db.session.scalars(services.account_managers())),
                    tags=list(db.session.scalars(select(Tag))))
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(back)
    if form.expected.data != str(listing.selection_count(wanted, current_user)):
        flash(_("The list changed since you saw it; nothing was changed. Check it and try again."), "warning")
        return redirect(back)
    selection = select(Office.id).where(*listing.conditions(wanted, current_user))
    ticked = listing.ticked_ids(request.form.getlist("ids"))
    if ticked is None:
        flash(_("The ticked offices could not be read; nothing was changed."), "danger")
        return redirect(back)
    if ticked:  # the ticked rows only, each of which must be in the filtered list
        selection = selection.where(Office.id.in_(ticked))
        if len(db.session.scalars(selection).all()) != len(ticked):
            flash(_("A ticked office is not in this list; nothing was changed. Check it and try again."), "danger")
            return redirect(back)
    try:
        if form.action.data == "manager":
            changed = services.assign_account_manager(selection, form.account_manager_id.data, actor=current_user)
        else:
            tag = db.get_or_404(Tag, form.tag_id.data)
            change = services.add_tag if form.action.data == "add_tag" else services.remove_tag
            changed = change(selection, tag, actor=current_user)
    except services.OfficeError:
        db.session.rollback()
        flash(_("This value is not allowed here."), "danger")
        return redirect(back)
    db.session.commit()
    flash(ngettext("%(num)d office changed.", "%(num)d offices changed.", changed), "success")
    return redirect(back)


@bp.route("/new", methods=["GET", "POST"])
def create() -> str | Response | tuple[str, int]:
    form = OfficeForm(managers=_managers(None))
    if request.method == "GET":
        form.account_manager_id.data = current_user.id
    found: list[twins.Pair] = []
    if _valid(form):
        data = _form_data(form, OFFICE_FORM_FIELDS)
        found = [] if request.form.get("create_anyway") else twins.office_twins(data)
        if not found:
            office = services.create_office(data, actor=current_user)
            db.session.commit()
            flash(_("Office %(name)s created.", name=office.name), "success")
            return redirect(url_for(".detail", office_id=office.id))
    return render_template("offices/form.html", form=form, office=None, twins=found), 422 if form.errors else 200


@bp.route("/<int:office_id>")
def detail(office_id: int) -> str:
    office = _office_or_404(office_id)
    return _detail_page(office, LogInteractionForm(contacts=[c for c in office.contacts if c.active]))


def _detail_page(office: Office, form: LogInteractionForm) -> str:
    """The office with one page of its history (``?page=``, newest first): only that page's summaries are
    read and decrypted."""
    history = paginate(services.history_keys(office), per_page=current_app.config["PAGE_SIZE"])
    history.items = services.history_entries(office, history.items)
    editable = {i.id for i in history.items
                if isinstance(i, Interaction) and services.may_edit_interaction(i, current_user)}
    return render_template(
        "offices/detail.html", office=office, interaction_form=form, confirm=ConfirmForm(),
        last_contact=_last_contact(office, history), history=history, editable=editable,
        lines=_HistoryLines.of(office),
    )


def _last_contact(office: Office, history: Any) -> Any:
    """The office's last contact day: on the history's first page its first contact moment (the history is
    newest first by day), read otherwise."""
    if history.page == 1:
        first = next((i for i in history.items if isinstance(i, Interaction)), None)
        if first is not None or len(history.items) < history.per_page:
            return first.occurred_on if first is not None else None
    return services.last_contact_date(office)


@dataclass(frozen=True)
class _HistoryLines:
    """What each line of the history shows the same way, worked out once per page (``praclox.listpage``)."""

    day: Any
    kinds: dict[str, str]
    edit: Any
    delete: Any
    logged_by: Any

    @classmethod
    def of(cls, office: Office) -> _HistoryLines:
        pattern = _("logged by %(name)s")
        return cls(listpage.day_texts(), {kind: InteractionKind.label_of(kind) for kind in InteractionKind.values()},
                   listpage.url_maker(".edit_interaction", "interaction_id", office_id=office.id),
                   listpage.url_maker(".delete_interaction", "interaction_id", office_id=office.id),
                   lambda name: listpage.filled(pattern, name=name))


@bp.route("/<int:office_id>/edit", methods=["GET", "POST"])
def edit(office_id: int) -> str | Response | tuple[str, int]:
    office = _office_or_404(office_id)
    form = OfficeForm(obj=office, managers=_managers(office))
    if _valid(form):
        services.update_office(office, _form_data(form, OFFICE_FORM_FIELDS), actor=current_user)
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for(".detail", office_id=office.id))
    return render_template("offices/form.html", form=form, office=office), 422 if form.errors else 200


@bp.route("/<int:office_id>/convert", methods=["POST"])
def convert(office_id: int) -> Response:
    office = _office_or_404(office_id)
    if ConfirmForm().validate_on_submit() and services.convert_to_client(office, actor=current_user):
        db.session.commit()
        flash(_("%(name)s is now a client.", name=office.name), "success")
    return redirect(url_for(".detail", office_id=office.id))


@bp.route("/<int:office_id>/delete", methods=["GET", "POST"])
def delete(office_id: int) -> str | Response:
    office = _office_or_404(office_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = office.name
        services.delete_office(office, actor=current_user)
        db.session.commit()
        flash(_("Office %(name)s deleted with its contacts and history.", name=name), "success")
        return redirect(url_for(".index"))
    return render_template(
        "offices/confirm_delete.html", form=form, what=office.name,
        detail=_("This deletes %(contacts)s and %(entries)s.",
                 contacts=ngettext("%(num)d contact", "%(num)d contacts", len(office.contacts)),
                 entries=ngettext("%(num)d history entry", "%(num)d history entries", services.history_count(office))),
        cancel=url_for(".detail", office_id=office.id),
    )


@bp.route("/<int:office_id>/interactions", methods=["POST"])
def log_interaction(office_id: int) -> str | Response | tuple[str, int]:
    office = _office_or_404(office_id)
    form = LogInteractionForm(contacts=[c for c in office.contacts if c.active])
    if form.validate_on_submit():
        contact = _contact_or_404(office, form.contact_id.data) if form.contact_id.data else None
        interaction = services.log_interaction(
            office, kind=form.kind.data, occurred_on=form.occurred_on.data, summary=form.summary.data,
            contact=contact, actor=current_user)
        if form.follow_up.data:
            follow_up = followups.after_interaction(interaction, form.follow_up_on.data, form.follow_up_title.data,
                                                    actor=current_user)
        # the message before the commit: after it, the user (for the language) and the office would be loaded again
        message = _("Contact moment logged; follow-up planned for %(day)s.", day=format_date(follow_up.due_on)) \
            if form.follow_up.data else _("Contact moment logged.")
        db.session.commit()
        flash(message, "success")
        return redirect(url_for(".detail", office_id=office_id))
    return _detail_page(office, form), 422


def _interaction_or_404(office: Office, interaction_id: int) -> Interaction:
    interaction = db.session.get(Interaction, interaction_id)
    if interaction is None or interaction.office_id != office.id:
        abort(404)
    return interaction


#: what ``services.edit_interaction`` refuses after the form passed (a summary of spaces only): field, message
_EDIT_REFUSALS = {
    "summary": ("summary", lambda: _("This field is required.")),
    "future": ("occurred_on", lambda: _("This date lies in the future.")),
    "contact": ("contact_id", lambda: _("That contact does not work at this office.")),
}


@bp.route("/<int:office_id>/interactions/<int:interaction_id>/edit", methods=["GET", "POST"])
def edit_interaction(office_id: int, interaction_id: int) -> str | Response | tuple[str, int]:
    office = _office_or_404(office_id)
    interaction = _interaction_or_404(office, interaction_id)
    if not services.may_edit_interaction(interaction, current_user):
        abort(403)
    contacts = [c for c in office.contacts if c.active or c.id == interaction.contact_id]
    form = InteractionEditForm(obj=interaction, contacts=contacts)
    if form.validate_on_submit():
        data = {"kind": form.kind.data, "occurred_on": form.occurred_on.data, "summary": form.summary.data,
                "contact_id": form.contact_id.data or None}
        try:
            changed = services.edit_interaction(interaction, data, actor=current_user)
        except services.OfficeError as exc:
            db.session.rollback()
            field, message = _EDIT_REFUSALS[str(exc)]
            form[field].errors = [*form[field].errors, message()]
        else:
            db.session.commit()
            flash(_("Contact moment saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for(".detail", office_id=office.id))
    return render_template("offices/interaction_form.html", office=office, interaction=interaction,
                           form=form), 422 if request.method == "POST" else 200


@bp.route("/<int:office_id>/interactions/<int:interaction_id>/delete", methods=["POST"])
def delete_interaction(office_id: int, interaction_id: int) -> Response:
    office = _office_or_404(office_id)
    interaction = _interaction_or_404(office, interaction_id)
    if ConfirmForm().validate_on_submit():
        services.delete_interaction(interaction, actor=current_user)
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
            contact = services.create_contact(office, data, actor=current_user)
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
    history = db.session.scalars(select(Interaction).where(Interaction.contact_id == person.id)
                                 .options(selectinload(Interaction.logged_by))
                                 .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())).all()
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
        services.update_contact(person, _form_data(form, CONTACT_FORM_FIELDS), actor=current_user)
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
            services.mark_left(person, form.left_on.data, actor=current_user)
        except services.OfficeError:
            db.session.rollback()
            flash(_("This contact has already left."), "warning")
        else:
            db.session.commit()
            flash(_("%(name)s is marked as having left the office.", name=person.full_name), "success")
    else:
        flash_errors(form)
    return redirect(url_for(".contact", office_id=office.id, contact_id=person.id))


@bp.route("/<int:office_id>/contacts/<int:contact_id>/reactivate", methods=["POST"])
def contact_reactivate(office_id: int, contact_id: int) -> Response:
    office = _office_or_404(office_id)
    person = _contact_or_404(office, contact_id)
    if ConfirmForm().validate_on_submit() and not person.active:
        services.reactivate(person, actor=current_user)
        db.session.commit()
        flash(_("%(name)s is active again.", name=person.full_name), "success")
    return redirect(url_for(".contact", office_id=office.id, contact_id=person.id))


@bp.route("/<int:office_id>/contacts/<int:contact_id>/delete", methods=["GET", "POST"])
def delete_contact(office_id: int, contact_id: int) -> str | Response:
    office = _office_or_404(office_id)
    person = _contact_or_404(office, contact_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_contact(person, actor=current_user)
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
            rows = importer.validate(raw)
        except importer.ImportRejected as exc:
            errors = exc.errors
        else:
            if not form.dry_run.data and len(rows) > current_app.config["IMPORT_PROGRESS_ROWS"]:
                # a large file: the page shows the rows done while they are imported, then the result
                run = ImportRun(total=len(rows), actor=current_user._get_current_object(), update=form.update.data,
                            allow_duplicates=form.allow_duplicates.data)
                return Response(stream_template("offices/import_progress.html", run=run, steps=run.steps(rows)))
            result = importer.ImportResult()
            for _line in importer.import_rows(rows, result, update=form.update.data, actor=current_user):
                pass
            if not form.dry_run.data and (form.allow_duplicates.data or not result.warnings):
                db.session.commit()
                flash(_imported(result), "success")
                return redirect(url_for(".index"))
            db.session.rollback()
    status = 422 if (errors or form.errors) else 200
    return render_template("offices/import.html", form=form, errors=errors, result=result), status


def _imported(result: importer.ImportResult) -> str:
    message = _("Imported: %(offices)s, %(contacts)s.",
                offices=ngettext("%(num)d new office", "%(num)d new offices", result.offices),
                contacts=ngettext("%(num)d new contact", "%(num)d new contacts", result.contacts))
    if result.updated_offices or result.updated_contacts:
        message += " " + _("Updated: %(offices)s, %(contacts)s.",
                           offices=ngettext("%(num)d office", "%(num)d offices", result.updated_offices),
                           contacts=ngettext("%(num)d contact", "%(num)d contacts", result.updated_contacts))
    return message


@dataclass
class ImportRun:
    """A large import while its page streams: how far it is, and how it ended (``summary``, ``failed``, or
    ``refused`` when new offices look like existing ones and the user did not allow that)."""

    total: int
    #: who imports: the rows are written while the page streams
    actor: User | None
    update: bool = False
    allow_duplicates: bool = False
    summary: str = ""
    failed: bool = False
    refused: str = ""

    def steps(self, rows: list[tuple[int, dict[str, str]]]) -> Iterator[int]:
        """The number of rows done, about fifty times over the import; committed once, after the last row."""
        every = max(self.total // 50, 1)
        result = importer.ImportResult()
        try:
            steps = importer.import_rows(rows, result, update=self.update, actor=self.actor)
            for done, _line in enumerate(steps, start=1):
                if done % every == 0:
                    yield done
            if result.warnings and not self.allow_duplicates:
                db.session.rollback()
                self.refused = ngettext(
                    "Nothing was imported: %(num)d new office looks like one you already have. Import the file "
                    "with \"only show what would change\" to see which.",
                    "Nothing was imported: %(num)d new offices look like ones you already have. Import the file "
                    "with \"only show what would change\" to see which.", len(result.warnings))
                yield self.total
                return
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.exception("a streamed office import failed; nothing was imported")
            self.failed = True
            return
        self.summary = _imported(result)
        yield self.total
