from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional, Regexp, StopValidation, ValidationError

from praclox.clock import today
from praclox.forms import choices, email_field, long_text_field, not_in_future, phone_field, text_field
from praclox.offices.models import InteractionKind

POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")


def kind_choices() -> list[tuple[str, Any]]:
    return [("prospect", _l("Prospect")), ("client", _l("Client"))]


def office_label(name: str, city: str | None) -> str:
    """An office as pickers list it: two offices of one name are told apart by their city."""
    return f"{name} ({city})" if city else name


def _postcode(label: Any) -> Any:
    return text_field(
        label, max_length=10, extra=(Regexp(POSTCODE, message=_l("Enter a Dutch postcode such as 1234 AB.")),)
    )


class OfficeForm(FlaskForm):
    kind = SelectField(_l("Kind"), validators=[InputRequired()])
    name = text_field(_l("Name"), required=True, max_length=200)
    visit_street = text_field(_l("Visiting address"), max_length=200)
    visit_postcode = _postcode(_l("Postcode"))
    visit_city = text_field(_l("City"), max_length=100)
    postal_street = text_field(_l("Postal address"), max_length=200)
    postal_postcode = _postcode(_l("Postcode (postal)"))
    postal_city = text_field(_l("City (postal)"), max_length=100)
    phone = phone_field(_l("Phone"))
    email = email_field(_l("E-mail"))
    website = text_field(_l("Website"), max_length=200)
    kvk_number = text_field(_l("Chamber of Commerce (KvK) number"), max_length=8)
    notes = long_text_field(_l("Notes"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(kind_choices())

    def validate_kvk_number(self, field: Any) -> None:
        if field.data and not re.fullmatch(r"[0-9]{8}", field.data):
            raise ValidationError(_l("A KvK number has exactly eight digits."))

    def validate_website(self, field: Any) -> None:
        if field.data and not re.fullmatch(r"(https?://)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?", field.data):
            raise ValidationError(_l("Enter a web address such as www.example.nl."))


class ContactForm(FlaskForm):
    first_name = text_field(_l("First name"), required=True, max_length=100)
    last_name = text_field(_l("Last name"), required=True, max_length=100)
    job_title = text_field(_l("Job title"), max_length=120)
    email = email_field(_l("E-mail"))
    phone = phone_field(_l("Phone"))
    mobile = phone_field(_l("Mobile"))
    notes = long_text_field(_l("Notes"), max_length=5000)
    submit = SubmitField(_l("Save"))


class InteractionForm(FlaskForm):
    kind = SelectField(_l("Kind"), validators=[InputRequired()])
    occurred_on = DateField(
        _l("Date"), validators=[InputRequired(_l("Enter a valid date.")), not_in_future], default=today
    )
    contact_id = SelectField(_l("Contact"), coerce=int, validators=[Optional()])
    summary = long_text_field(_l("Summary"), required=True, max_length=10000)
    submit = SubmitField(_l("Log"))

    def __init__(self, *args: Any, contacts: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(InteractionKind.choices())
        self.contact_id.choices = choices([(0, "—")] + [(c.id, c.full_name) for c in contacts])


class InteractionEditForm(InteractionForm):
    submit = SubmitField(_l("Save"))


def _next_week() -> date:
    return today() + timedelta(days=7)


def _due_when_ticked(form: Any, field: Any) -> None:
    """The follow-up's date counts only when the box is ticked; then it is needed, and not in the past."""
    if not form.follow_up.data:
        field.errors[:] = []
        raise StopValidation()
    if field.data is None:
        raise StopValidation(_l("Enter a valid date."))
    if field.data < today():
        raise ValidationError(_l("A follow-up cannot be due in the past."))


class LogInteractionForm(InteractionForm):
    """Logging a contact moment can plan the next step at once: "terugbellen volgende week" is one tick."""

    follow_up = BooleanField(_l("Plan a follow-up for me"))
    follow_up_on = DateField(_l("Follow-up due"), validators=[_due_when_ticked], default=_next_week)
    follow_up_title = text_field(_l("Follow-up"), max_length=200)


class LeftForm(FlaskForm):
    left_on = DateField(
        _l("Left on"), validators=[InputRequired(_l("Enter a valid date.")), not_in_future], default=today
    )
    submit = SubmitField(_l("Mark as left"))


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or Excel file"),
        validators=[FileRequired(_l("Choose a file.")),
                    FileAllowed(["csv", "txt", "xlsx"], _l("Upload a .csv or .xlsx file."))],
    )
    update = BooleanField(_l("Update the offices and contacts the file names (an edited export)"))
    dry_run = BooleanField(_l("Only show what would change"))
    allow_duplicates = BooleanField(_l("Also create offices that look like existing ones"))
    submit = SubmitField(_l("Import"))
