"""The privacy officer opens a record from a hit and corrects it (rectification, art. 16 GDPR), and works
through what an erasure could not decide. Corrections go through the domain's own service function and are
audited by field name, never by value."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SubmitField

from praclox.audit.services import record as audit
from praclox.auth.access import roles_required
from praclox.extensions import db
from praclox.forms import ConfirmForm, email_field, long_text_field, phone_field, text_field
from praclox.privacy import review
from praclox.privacy.models import ReviewItem, Tombstone
from praclox.privacy.records import Correctable, RecordKind, kinds
from praclox.privacy.views import OFFICER, bp


class CorrectionForm(FlaskForm):
    """The fields of one record kind are added per request (``correction_form``)."""

    submit = SubmitField(_l("Save the correction"))


def _field(item: Correctable) -> Any:
    if item.kind == "email":
        return email_field(item.label, required=item.required)
    if item.kind == "phone":
        return phone_field(item.label)
    if item.kind == "long":
        return long_text_field(item.label, required=item.required, max_length=item.max_length)
    return text_field(item.label, required=item.required, max_length=item.max_length)


#: one form class per record kind, made once (a class per request would pile up)
_FORMS: dict[str, type[CorrectionForm]] = {}


def correction_form(kind: RecordKind, record: Any) -> CorrectionForm:
    if kind.table not in _FORMS:
        _FORMS[kind.table] = type(f"{kind.table.title()}Correction", (CorrectionForm,),
                                  {item.name: _field(item) for item in kind.fields})
    return _FORMS[kind.table](data={item.name: getattr(record, item.name) for item in kind.fields})


def hit_url(record_type: str, record_id: int) -> str | None:
    """Where a hit opens: the record page, or the request page for a data-subject request."""
    if record_type == "privacy_requests":
        return url_for("privacy.request_detail", request_id=record_id)
    if record_type in kinds():
        return url_for("privacy.record", record_type=record_type, record_id=record_id)
    return None


def _load(record_type: str, record_id: int) -> tuple[RecordKind, Any]:
    kind = kinds().get(record_type)
    record = db.session.get(kind.model, record_id) if kind else None
    if kind is None or record is None:
        abort(404)
    return kind, record


def _page(kind: RecordKind, record: Any, form: CorrectionForm | None, status: int = 200) -> tuple[str, int]:
    items = review.open_items(record=(kind.table, record.id))
    return render_template("privacy/record.html", kind=kind, record=record, form=form, items=items,
                           columns=sorted({c for i in items for c in i.columns.split(",") if c}),
                           keep_form=ConfirmForm()), status


@bp.route("/records/<record_type>/<int:record_id>", methods=["GET", "POST"])
@roles_required(*OFFICER)
def record(record_type: str, record_id: int) -> tuple[str, int] | Response:
    kind, found = _load(record_type, record_id)
    if not kind.fields or kind.save is None:
        return _page(kind, found, None)
    form = correction_form(kind, found)
    if not form.validate_on_submit():
        return _page(kind, found, form, 422 if form.is_submitted() else 200)
    try:
        changed = kind.save(found, {item.name: form[item.name].data for item in kind.fields}, actor=current_user)
    except ValueError:
        db.session.rollback()
        form.form_errors.append(_("The record's own rules refuse this value; nothing was changed."))
        return _page(*_load(record_type, record_id), form, 422)
    if changed:
        audit("rectify", found, fields=changed, actor=current_user)
        review.resolve_record(kind.table, found.id, actor=current_user)
    db.session.commit()
    flash(_("Corrected: %(fields)s.", fields=", ".join(changed)) if changed else _("Nothing was changed."),
          "success" if changed else "info")
    return redirect(url_for(".record", record_type=record_type, record_id=record_id))


@bp.route("/review/<int:item_id>/keep", methods=["POST"])
@roles_required(*OFFICER)
def review_keep(item_id: int) -> Response:
    """The officer read the record: nothing of the erased person is left in it."""
    item = db.get_or_404(ReviewItem, item_id)
    if ConfirmForm().validate_on_submit() and review.resolve(item, "kept", actor=current_user):
        db.session.commit()
        flash(_("Marked as checked: nothing of the person is left in it."), "success")
    return redirect(url_for(".erasure", tombstone_id=item.tombstone_id))


@bp.route("/erasures/<int:tombstone_id>")
@roles_required(*OFFICER)
def erasure(tombstone_id: int) -> str:
    """One erasure: the records it could not decide about, open ones first."""
    tombstone = db.get_or_404(Tombstone, tombstone_id)
    items = sorted(review.items_of(tombstone.id), key=lambda i: (not i.is_open, i.id))
    registered = kinds()
    labels = {i.id: registered[i.record_type].describe(r) if i.record_type in registered and (
        r := db.session.get(registered[i.record_type].model, i.record_id)) is not None else _("(record removed)")
        for i in items}
    return render_template("privacy/erasure.html", tombstone=tombstone, items=items, labels=labels,
                           keep_form=ConfirmForm())
