from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from praclox.auth.access import require_roles_for_blueprint
from praclox.clock import today
from praclox.dates import feeds, importer, reminders, services
from praclox.dates.access import DATE_ROLES
from praclox.dates.forms import (
    CongratulateForm,
    DateForm,
    EndForm,
    FeedForm,
    FeedSettingsForm,
    ReminderForm,
    VcardForm,
)
from praclox.dates.models import EARLIEST_YEAR, KIND_VALUES, Congratulation, DateKind, Feed, PersonalDate
from praclox.extensions import db
from praclox.forms import ConfirmForm, choices
from praclox.offices.forms import office_label
from praclox.offices.models import Contact, Office
from praclox.urls import safe_next

bp = Blueprint("dates", __name__, url_prefix="/dates")
bp.before_request(require_roles_for_blueprint(*DATE_ROLES))


def error_message(code: str) -> str:
    messages = {
        "date": _("This is not a real date (for example 31 April, or 29 February in a common year)."),
        "future": _("This date lies in the future."),
        "too_old": _("The year lies before %(year)d.", year=EARLIEST_YEAR),
        "kind": _("Choose a kind."),
        "person_name": _("The name is too long or contains characters that are not allowed."),
        "already": _("This date has already ended."),
        "how": _("Choose how you congratulated."),
        "reason": _("Choose a reason."),
    }
    return messages.get(code, _("The date could not be saved."))


def _date_or_404(date_id: int) -> PersonalDate:
    return db.get_or_404(PersonalDate, date_id)


def _contact_url(contact: Contact) -> str:
    return url_for("offices.contact", office_id=contact.office_id, contact_id=contact.id)


def _form_data(form: DateForm) -> dict[str, Any]:
    return {"kind": form.kind.data, "day": form.day.data, "month": form.month.data, "year": form.year.data,
            "person_name": form.person_name.data, "gender": form.gender.data or "",
            "leap_rule": form.leap_rule.data, "notes": form.notes.data}


# --- a contact's dates -------------------------------------------------------------------------


@bp.route("/contacts/<int:contact_id>/new", methods=["GET", "POST"])
def create(contact_id: int) -> str | Response | tuple[str, int]:
    contact = db.get_or_404(Contact, contact_id)
    form = DateForm()
    if request.method == "GET" and request.args.get("kind") in KIND_VALUES:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        try:
            services.create_date(contact, _form_data(form), actor=current_user)
        except services.DateError as exc:
            db.session.rollback()
            form.day.errors = [*form.day.errors, error_message(exc.code)]
        else:
            db.session.commit()
            flash(_("Date saved."), "success")
            return redirect(_contact_url(contact))
    return render_template("dates/form.html", form=form, contact=contact, item=None), 422 if form.errors else 200


@bp.route("/<int:date_id>/edit", methods=["GET", "POST"])
def edit(date_id: int) -> str | Response | tuple[str, int]:
    item = _date_or_404(date_id)
    form = DateForm(obj=item)
    if request.method == "GET":
        form.day.data, form.month.data = str(item.day), str(item.month)
    if form.validate_on_submit():
        try:
            services.update_date(item, _form_data(form), actor=current_user)
        except services.DateError as exc:
            db.session.rollback()
            form.day.errors = [*form.day.errors, error_message(exc.code)]
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(_contact_url(item.contact))
    return render_template("dates/form.html", form=form, contact=item.contact, item=item), (
        422 if form.errors else 200
    )


@bp.route("/<int:date_id>/end", methods=["GET", "POST"])
def end(date_id: int) -> str | Response | tuple[str, int]:
    item = _date_or_404(date_id)
    form = EndForm()
    if request.method == "GET":
        form.ended_on.data = today()
    if form.validate_on_submit():
        try:
            services.end_date(item, form.reason.data, form.ended_on.data, actor=current_user)
        except services.DateError as exc:
            db.session.rollback()
            flash(error_message(exc.code), "warning")
        else:
            db.session.commit()
            flash(_("The date has ended; it no longer appears in lists, feeds or reminders."), "success")
        return redirect(_contact_url(item.contact))
    return render_template("dates/end.html", form=form, item=item, contact=item.contact), (
        422 if form.errors else 200
    )


@bp.route("/<int:date_id>/restore", methods=["POST"])
def restore(date_id: int) -> Response:
    item = _date_or_404(date_id)
    if ConfirmForm().validate_on_submit():
        services.restore_date(item, actor=current_user)
        db.session.commit()
        flash(_("The date runs again."), "success")
    return redirect(_contact_url(item.contact))


@bp.route("/<int:date_id>/delete", methods=["GET", "POST"])
def delete(date_id: int) -> str | Response:
    item = _date_or_404(date_id)
    contact = item.contact
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_date(item, actor=current_user)
        db.session.commit()
        flash(_("Date deleted."), "success")
        return redirect(_contact_url(contact))
    return render_template(
        "offices/confirm_delete.html", form=form, what=contact.full_name,
        detail=_("This deletes the date and its congratulation marks. Ending it keeps the record instead."),
        cancel=_contact_url(contact),
    )


@bp.route("/<int:date_id>/congratulate", methods=["POST"])
def congratulate(date_id: int) -> Response:
    item = _date_or_404(date_id)
    form = CongratulateForm()
    target = safe_next(form.next.data, url_for("main.index"))
    if form.validate_on_submit():
        try:
            services.mark_congratulated(item, form.year.data, form.half.data == "1", form.how.data, actor=current_user)
        except services.DateError as exc:
            db.session.rollback()
            flash(error_message(exc.code), "warning")
        else:
            db.session.commit()
            flash(_("Marked as congratulated."), "success")
    else:
        flash(_("Choose how you congratulated."), "warning")
    return redirect(target)


@bp.route("/congratulations/<int:mark_id>/delete", methods=["POST"])
def uncongratulate(mark_id: int) -> Response:
    mark = db.get_or_404(Congratulation, mark_id)
    target = safe_next(request.form.get("next"), url_for("main.index"))
    if ConfirmForm().validate_on_submit():
        services.unmark_congratulated(mark, actor=current_user)
        db.session.commit()
        flash(_("Congratulation mark removed."), "success")
    return redirect(target)


# --- the month view ------------------------------------------------------------------------------


def _int_arg(name: str, default: int, lo: int, hi: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except ValueError:
        return default
    return value if lo <= value <= hi else default


@bp.route("/")
def month() -> str:
    now_day = today()
    year = _int_arg("year", now_day.year, 1900, 2999)
    month_no = _int_arg("month", now_day.month, 1, 12)
    kind = request.args.get("kind", "")
    kinds = [kind] if kind in KIND_VALUES else None
    office_id = _int_arg("office", 0, 1, 2**31) or None
    first = date(year, month_no, 1)
    last = date(year, month_no, calendar.monthrange(year, month_no)[1])
    entries = services.entries_between(first, last, kinds=kinds, office_id=office_id)
    by_day: dict[date, list[services.Entry]] = {}
    for entry in entries:
        by_day.setdefault(entry.occ.on, []).append(entry)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month_no)
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = last + timedelta(days=1)
    offices = [(oid, office_label(name, city)) for oid, name, city in db.session.execute(
        select(Office.id, Office.name, Office.visit_city)
        .where(Office.id.in_(select(Contact.office_id).join(PersonalDate, PersonalDate.contact_id == Contact.id)))
        .order_by(Office.name, Office.visit_city)
    )]
    office_name = next((name for oid, name in offices if oid == office_id), None)
    return render_template(
        "dates/month.html", weeks=weeks, by_day=by_day, first=first, today=now_day, entries=entries,
        prev_month=prev_month, next_month=next_month, kind=kind, office_id=office_id, offices=offices,
        office_name=office_name, kinds=DateKind.choices(), congratulate=CongratulateForm(), confirm=ConfirmForm(),
    )


# --- the user's own feeds and reminders ---------------------------------------------------------------


def _feed_of_user(feed_id: int) -> Feed:
    feed = db.session.get(Feed, feed_id)
    if feed is None or feed.user_id != current_user.id:
        abort(404)
    return feed


def _account_page(feed_form: FeedForm | None = None, reminder_form: ReminderForm | None = None,
                  new_url: str | None = None, status: int = 200) -> tuple[str, int]:
    if reminder_form is None:
        reminder_form = ReminderForm()
        reminder_form.frequency.data = reminders.frequency_of(current_user.id)
    items = feeds.feeds_of(current_user.id)
    settings_forms = {}
    for feed in items:
        # each feed's form shows what is stored, also on the page that answers a POST (a new feed was just made)
        form = FeedSettingsForm(formdata=None, prefix=f"feed{feed.id}")
        form.kinds.data, form.show_child_names.data = feed.kind_list, feed.show_child_names
        form.include_follow_ups.data = feed.include_follow_ups
        settings_forms[feed.id] = form
    return render_template(
        "dates/account.html", feeds=items, feed_form=feed_form or FeedForm(formdata=None),
        reminder_form=reminder_form,
        settings_forms=settings_forms, new_url=new_url, status_of=feeds.status, confirm=ConfirmForm(),
        expiry_days=feeds.expiry_days(), smtp=bool(current_app.config.get("SMTP_HOST")),
    ), status


@bp.route("/account")
def account() -> tuple[str, int]:
    return _account_page()


@bp.route("/account/feeds", methods=["POST"])
def create_feed() -> tuple[str, int]:
    form = FeedForm()
    if form.validate_on_submit():
        try:
            _feed, token = feeds.create_feed(current_user, form.name.data, kinds=form.kinds.data,
                                             show_child_names=form.show_child_names.data,
                                             include_follow_ups=form.include_follow_ups.data, actor=current_user)
        except feeds.FeedError:
            db.session.rollback()
            form.name.errors = [*form.name.errors, _("Check the name and choose at least one kind.")]
        else:
            db.session.commit()
            # shown once: only its hash is stored
            return _account_page(new_url=feeds.feed_url(token))
    return _account_page(feed_form=form, status=422)


@bp.route("/account/feeds/<int:feed_id>", methods=["POST"])
def update_feed(feed_id: int) -> Response | tuple[str, int]:
    feed = _feed_of_user(feed_id)
    form = FeedSettingsForm(prefix=f"feed{feed.id}")
    if form.validate_on_submit():
        feeds.update_feed(feed, kinds=form.kinds.data, show_child_names=form.show_child_names.data,
                          include_follow_ups=form.include_follow_ups.data, actor=current_user)
        db.session.commit()
        flash(_("Feed settings saved."), "success")
        return redirect(url_for(".account"))
    flash(_("Choose at least one kind."), "warning")
    return redirect(url_for(".account"))


@bp.route("/account/feeds/<int:feed_id>/revoke", methods=["POST"])
def revoke_feed(feed_id: int) -> Response:
    feed = _feed_of_user(feed_id)
    if ConfirmForm().validate_on_submit():
        feeds.revoke_feed(feed, actor=current_user)
        db.session.commit()
        flash(_("Feed revoked: its URL no longer works."), "success")
    return redirect(url_for(".account"))


@bp.route("/account/reminders", methods=["POST"])
def save_reminders() -> Response | tuple[str, int]:
    form = ReminderForm()
    if form.validate_on_submit():
        reminders.set_frequency(current_user.id, form.frequency.data)
        db.session.commit()
        flash(_("Reminder choice saved."), "success")
        return redirect(url_for(".account"))
    return _account_page(reminder_form=form, status=422)


# --- vCard import ---------------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
def import_vcard() -> str | Response | tuple[str, int]:
    form = VcardForm()
    offices = db.session.execute(
        select(Office.id, Office.name, Office.visit_city).order_by(Office.name, Office.visit_city)).all()
    form.office_id.choices = choices([(str(oid), office_label(name, city)) for oid, name, city in offices])
    errors: list[importer.RowError] = []
    if form.validate_on_submit():
        raw = form.file.data.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
        office = db.session.get(Office, int(form.office_id.data))
        if office is None:
            abort(404)
        try:
            result = importer.import_vcards(raw, office, actor=current_user)
        except importer.ImportRejected as exc:
            db.session.rollback()
            errors = exc.errors
        else:
            db.session.commit()
            flash(_("Imported: %(contacts)s, %(dates)s; already there: %(known)s; cards without dates skipped: "
                    "%(cards)d.", contacts=ngettext("%(num)d new contact", "%(num)d new contacts", result.contacts),
                    dates=ngettext("%(num)d date", "%(num)d dates", result.dates),
                    known=ngettext("%(num)d date", "%(num)d dates", result.skipped), cards=result.no_dates),
                  "success")
            return redirect(url_for(".month"))
    status = 422 if (errors or form.errors) else 200
    return render_template("dates/import.html", form=form, errors=errors, has_offices=bool(offices)), status
