"""Staff pages for attachments: upload to an office or a contact, download, delete."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from praclox.attachments import services
from praclox.attachments.forms import AttachmentForm
from praclox.attachments.models import Attachment
from praclox.auth.access import require_roles_for_blueprint
from praclox.extensions import db
from praclox.files.checks import MAX_BYTES, MAX_MB, mimetype
from praclox.forms import ConfirmForm
from praclox.offices.models import Contact, Office

bp = Blueprint("attachments", __name__, url_prefix="/offices")
bp.before_request(require_roles_for_blueprint("staff", "admin"))


def error_message(code: str) -> str:
    return {
        "empty": _("The file is empty."),
        "size": _("The file is larger than %(mb)d MB.", mb=MAX_MB),
        "type": _("The file is not a PDF, DOCX, ODT, XLSX or ODS document or a PNG, JPEG, GIF or WebP image."),
        "mismatch": _("The file's content does not match its name (extension)."),
        "archive": _("The document unpacks to more than 100 MB or holds more than 1000 parts; it is refused."),
        "kind": _("Choose the kind of document."),
        "contact": _("This contact does not belong to this office."),
    }.get(code, _("The file cannot be kept."))


def _office_or_404(office_id: int) -> Office:
    return db.session.get(Office, office_id) or abort(404)


def _contact_or_404(office: Office, contact_id: int) -> Contact:
    contact = db.session.get(Contact, contact_id)
    if contact is None or contact.office_id != office.id:
        abort(404)
    return contact


def _back(office: Office, contact: Contact | None) -> str:
    if contact is not None:
        return url_for("offices.contact", office_id=office.id, contact_id=contact.id) + "#attachments"
    return url_for("offices.detail", office_id=office.id) + "#attachments"


def _upload(office: Office, contact: Contact | None) -> Response | tuple[str, int]:
    form = AttachmentForm()
    if form.validate_on_submit():
        data = form.file.data.read(MAX_BYTES + 1)
        try:
            services.upload(office, contact, filename=form.file.data.filename or "", data=data,
                            kind=form.kind.data, actor=current_user)
        except services.AttachmentError as exc:
            db.session.rollback()
            form.file.errors = [*form.file.errors, error_message(exc.code)]
        else:
            db.session.commit()
            flash(_("Attachment uploaded."), "success")
            return redirect(_back(office, contact))
    status = 422 if form.is_submitted() else 200
    return render_template("attachments/form.html", form=form, office=office, contact=contact,
                           back=_back(office, contact)), status


@bp.route("/<int:office_id>/attachments/new", methods=["GET", "POST"])
def upload_to_office(office_id: int) -> Response | tuple[str, int]:
    return _upload(_office_or_404(office_id), None)


@bp.route("/<int:office_id>/contacts/<int:contact_id>/attachments/new", methods=["GET", "POST"])
def upload_to_contact(office_id: int, contact_id: int) -> Response | tuple[str, int]:
    office = _office_or_404(office_id)
    return _upload(office, _contact_or_404(office, contact_id))


def _attachment_or_404(office_id: int, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.office_id != office_id:
        abort(404)
    return attachment


@bp.route("/<int:office_id>/attachments/<int:attachment_id>")
def download(office_id: int, attachment_id: int) -> Response:
    attachment = _attachment_or_404(office_id, attachment_id)
    data = services.read(attachment, actor=current_user)
    db.session.commit()
    # always a download, never shown inline: an image or PDF is opened by the user's own program
    return send_file(io.BytesIO(data), mimetype=mimetype(attachment.file_type), as_attachment=True,
                     download_name=attachment.original_name, max_age=0)


@bp.route("/<int:office_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
def delete(office_id: int, attachment_id: int) -> Response:
    attachment = _attachment_or_404(office_id, attachment_id)
    back = _back(attachment.office, attachment.contact)
    if ConfirmForm().validate_on_submit():
        services.delete(attachment, actor=current_user)
        db.session.commit()
        flash(_("Attachment deleted."), "success")
    return redirect(back)
