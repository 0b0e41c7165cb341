"""Data-subject requests: search a person, show or download everything, erase.

The search is posted, never put in a URL and never stored; the follow-up pages post it again with the
person chosen from the results, so no name or address ends up in a log.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from praclox.auth import sessions
from praclox.auth.access import roles_required
from praclox.extensions import db
from praclox.forms import choices
from praclox.privacy import review, subjects
from praclox.privacy.forms import EraseForm, SubjectForm, SubjectSearchForm
from praclox.privacy.models import PrivacyRequest, RequestKind, RequestStatus
from praclox.privacy.registry import ErasureRefused, SubjectQuery
from praclox.privacy.views import OFFICER, bp


def _query(form: SubjectSearchForm) -> SubjectQuery:
    return SubjectQuery(name=form.name.data or None, email=form.email.data or None, phone=form.phone.data or None)


def _empty_message() -> str:
    return _("Enter a name, an e-mail address or a phone number to search for.")


@bp.route("/subjects", methods=["GET", "POST"])
@roles_required(*OFFICER)
def subjects_search() -> str | tuple[str, int]:
    form = SubjectSearchForm()
    if not form.is_submitted():
        return render_template("privacy/subjects.html", form=form, people=None)
    if not form.validate():
        return render_template("privacy/subjects.html", form=form, people=None), 422
    try:
        people = subjects.search(_query(form))
    except subjects.SubjectError:
        form.form_errors.append(_empty_message())
        return render_template("privacy/subjects.html", form=form, people=None), 422
    return render_template("privacy/subjects.html", form=form, people=people)


def _chosen(form: SubjectForm) -> subjects.Person | None:
    if not form.validate_on_submit():
        return None
    try:
        return subjects.person(_query(form), form.person.data)
    except subjects.SubjectError:
        return None


def _gone() -> tuple[str, int]:
    form = SubjectSearchForm()
    form.form_errors.append(_("Nothing was found for this person (any more). Search again."))
    return render_template("privacy/subjects.html", form=form, people=None), 422


def _exported(found: subjects.Person) -> dict[str, Any]:
    """Everything held about the person; the export is audited (committed here) before it is shown."""
    export = subjects.export_person(found, actor=current_user)
    db.session.commit()
    return export


@bp.route("/subjects/access", methods=["POST"])
@roles_required(*OFFICER)
def subject_access() -> str | tuple[str, int]:
    form = SubjectForm()
    found = _chosen(form)
    if found is None:
        return _gone()
    export = _exported(found)
    declared = {(f["table"], f["column"]): f for f in export["fields"]}
    return render_template("privacy/access.html", form=form, person=found, export=export, declared=declared)


@bp.route("/subjects/access.json", methods=["POST"])
@roles_required(*OFFICER)
def subject_export() -> Response | tuple[str, int]:
    found = _chosen(SubjectForm())
    if found is None:
        return _gone()
    export = _exported(found)
    body = json.dumps(export, ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="personal-data.json"'})


def _open_requests() -> list[PrivacyRequest]:
    stmt = select(PrivacyRequest).where(PrivacyRequest.status == RequestStatus.OPEN.value,
                                        PrivacyRequest.kind == RequestKind.ERASURE.value)
    return list(db.session.scalars(stmt.order_by(PrivacyRequest.due_on)))


@bp.route("/subjects/erase", methods=["POST"])
@roles_required(*OFFICER)
def subject_erase() -> str | Response | tuple[str, int]:
    # a sensitive action: the password (and code) again within the window. The pages before this
    # one are POST-only, so the officer comes back to the search (nothing has been changed yet).
    if not sessions.recently_authenticated():
        return redirect(url_for("auth.reauth", next=url_for(".subjects_search")))
    form = EraseForm()
    open_erasures = {r.id: r for r in _open_requests()}
    form.request_id.choices = choices([(0, _("none"))] + [(r.id, f"#{r.id} · {format_date(r.received_on)}")
                                                           for r in open_erasures.values()])
    found = _chosen(form)
    if found is None:
        return _gone()
    if not form.confirm.data:
        if not form.request_id.data and form.for_request.data in open_erasures:
            form.request_id.data = form.for_request.data
        return render_template("privacy/erase.html", form=form, person=found)
    # only an open erasure request can be answered (and closed) by an erasure
    request_item = open_erasures.get(form.request_id.data or 0)
    try:
        tombstone = subjects.erase_person(found, actor=current_user, request=request_item)
    except ErasureRefused as exc:
        db.session.rollback()
        form.confirm.errors = [str(exc)]
        return render_template("privacy/erase.html", form=form, person=subjects.person(_query(form), found.key)), 422
    db.session.commit()
    tombstone_id = tombstone.id
    on_disk = subjects.compact_storage(found)
    if on_disk.state == "left":  # never say "gone" while the database's log still holds the old pages
        flash(_("The person was erased from the database (record #%(id)d keeps no personal data), but the old "
                "data is still in the database's log on disk because the server was busy. It is removed at "
                "the next purge; an operator can run 'praclox privacy settle-disk' now.", id=tombstone_id),
              "warning")
    else:
        flash(_("The person was erased everywhere (record #%(id)d keeps no personal data).", id=tombstone_id),
              "success")
    if review.open_items(tombstone_id=tombstone_id):
        flash(_("Some records may still name the person: decide about each one below."), "warning")
        return redirect(url_for(".erasure", tombstone_id=tombstone_id))
    return redirect(url_for(".subjects_search"))


subject_erase.requires_recent_auth = True  # type: ignore[attr-defined]
