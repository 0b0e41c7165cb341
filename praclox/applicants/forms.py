from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional

from praclox.applicants.documents import MAX_MB
from praclox.applicants.models import ConsentMethod, DocumentKind, Status
from praclox.clock import today
from praclox.forms import choices, email_field, long_text_field, not_in_future, phone_field, text_field


def status_labels() -> dict[str, Any]:
    """Each applicant status with its label."""
    return dict(Status.choices())


def rule_labels() -> dict[str, Any]:
    return {
        "rejected": _l("Rejected, no consent"), "withdrawn": _l("Withdrawn, no consent"),
        "hired": _l("Hired (file moved to HR)"), "consent_expired": _l("Consent expired"),
        "consent_withdrawn": _l("Consent withdrawn"), "erasure_request": _l("Erasure request"),
    }


class VacancyForm(FlaskForm):
    title = text_field(_l("Title"), required=True, max_length=200)
    is_open = BooleanField(_l("Open"), default=True)
    submit = SubmitField(_l("Save"))


class ReasonForm(FlaskForm):
    label = text_field(_l("Rejection reason"), required=True, max_length=200)
    submit = SubmitField(_l("Add"))


class ApplicantForm(FlaskForm):
    name = text_field(_l("Name"), required=True, max_length=200)
    email = email_field(_l("E-mail"))
    phone = phone_field(_l("Phone"))
    vacancy_id = SelectField(_l("Vacancy"), coerce=int, validators=[InputRequired(_l("Choose a vacancy."))])
    applied_on = DateField(_l("Applied on"), validators=[InputRequired(_l("Enter a valid date.")), not_in_future],
                           default=today)
    source = text_field(_l("Source"), max_length=100)
    notes = long_text_field(_l("Notes"), max_length=10000)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, vacancies: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.vacancy_id.choices = choices([(v.id, v.title) for v in vacancies])


class StatusForm(FlaskForm):
    to_status = SelectField(_l("New status"), validators=[InputRequired()])
    decided_on = DateField(_l("Decision date"), validators=[Optional(), not_in_future], default=today)
    reason_id = SelectField(_l("Rejection reason"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Change status"))

    def __init__(self, *args: Any, targets: tuple[str, ...] = (), reasons: list[Any] = (),  # type: ignore[assignment]
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = status_labels()
        self.to_status.choices = choices([(t, labels[t]) for t in targets])
        self.reason_id.choices = choices([(0, "—")] + [(r.id, r.label) for r in reasons])


class ConsentForm(FlaskForm):
    given_on = DateField(_l("Given on"), validators=[InputRequired(_l("Enter a valid date.")), not_in_future],
                         default=today)
    method = SelectField(_l("How"), validators=[InputRequired()])
    evidence = long_text_field(_l("Evidence"), required=True, max_length=2000)
    submit = SubmitField(_l("Record consent"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.method.choices = choices(ConsentMethod.choices())


class DocumentForm(FlaskForm):
    kind = SelectField(_l("Kind"), validators=[InputRequired()])
    file = FileField(_l("Document (PDF, DOCX or ODT, at most %(mb)d MB)", mb=MAX_MB),
                     validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(DocumentKind.choices())


class HoldForm(FlaskForm):
    reason = text_field(_l("Reason for the legal hold"), max_length=500)
    submit = SubmitField(_l("Save legal hold"))
