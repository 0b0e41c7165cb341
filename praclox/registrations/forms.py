from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from praclox.extensions import db
from praclox.forms import choices, email_field, optional_id, text_field
from praclox.offices.forms import office_label
from praclox.offices.models import Contact, Office
from praclox.registrations.models import Status


def no_angle_brackets(form: Any, field: Any) -> None:
    if field.data and ("<" in field.data or ">" in field.data):
        raise ValidationError(_l("This field contains characters that are not allowed."))


class RegistrationForm(FlaskForm):
    name = text_field(_l("Name"), required=True, max_length=120, extra=(no_angle_brackets,))
    email = email_field(_l("E-mail"), required=True)
    office_id = SelectField(_l("Office"), coerce=optional_id)
    contact_id = SelectField(_l("Contact"), coerce=optional_id)
    newsletter = BooleanField(_l("Newsletter (the person confirms by e-mail)"))
    client_access = BooleanField(_l("Access to the client area"))
    status = SelectField(_l("Status"), validators=[InputRequired()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = db.session.execute(
            select(Office.id, Office.name, Office.visit_city).order_by(Office.name, Office.visit_city)).all()
        self.office_id.choices = choices([("", "—")] + [(o.id, office_label(o.name, o.visit_city)) for o in offices])
        contacts = db.session.execute(
            select(Contact.id, Contact.first_name, Contact.last_name, Office.name, Office.visit_city)
            .join(Office, Contact.office_id == Office.id)
            .where(Contact.active.is_(True))
            .order_by(Office.name, Contact.last_name, Contact.first_name)
        ).all()
        self.contact_id.choices = choices(
            [("", "—")] + [(c.id, f"{c.first_name} {c.last_name} · {office_label(c.name, c.visit_city)}")
                           for c in contacts]
        )
        self.status.choices = choices(Status.choices())

    def validate_client_access(self, field: Any) -> None:
        if field.data and not self.office_id.data:
            raise ValidationError(_l("Client-area access needs a linked office."))


class ApiKeyForm(FlaskForm):
    name = text_field(_l("Name"), required=True, max_length=100, extra=(no_angle_brackets,))
    submit = SubmitField(_l("Create key"))
