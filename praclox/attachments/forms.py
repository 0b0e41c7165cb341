from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from praclox.attachments.models import AttachmentKind
from praclox.files.checks import MAX_MB
from praclox.forms import choices


class AttachmentForm(FlaskForm):
    kind = SelectField(_l("Kind"), validators=[InputRequired()])
    file = FileField(_l("File (PDF, DOCX, ODT, XLSX, ODS or an image, at most %(mb)d MB)", mb=MAX_MB),
                     validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(AttachmentKind.choices())
