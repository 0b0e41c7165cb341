from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import HiddenInput

from praclox.forms import choices, email_field, long_text_field, phone_field, text_field
from praclox.privacy.models import RequestKind


class SubjectSearchForm(FlaskForm):
    name = text_field(_l("Name"), max_length=200)
    email = email_field(_l("E-mail"))
    phone = phone_field(_l("Phone"))
    #: the request the search is made for (carried to the erasure, which then closes it)
    for_request = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Search"))


class SubjectForm(SubjectSearchForm):
    """The search again (never stored) plus the person chosen from its results."""

    person = HiddenField(validators=[InputRequired()])


class EraseForm(SubjectForm):
    request_id = SelectField(_l("Request this erasure answers"), coerce=int, validators=[Optional()],
                             validate_choice=False)
    confirm = BooleanField(_l("I understand that this erases the person everywhere and cannot be undone."))


class RequestForm(FlaskForm):
    requester_name = text_field(_l("Requester's name"), max_length=200)
    requester_contact = text_field(_l("E-mail, phone or address"), max_length=254)
    kind = SelectField(_l("Kind"), validators=[InputRequired(_l("This field is required."))])
    received_on = DateField(_l("Received on"), validators=[InputRequired(_l("Enter a valid date."))])
    due_on = DateField(_l("Due on (empty: one month after receipt)"), validators=[Optional()])
    submit = SubmitField(_l("Register request"))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(RequestKind.choices())


class ExtendForm(FlaskForm):
    reason = long_text_field(_l("Reason for the extension (told to the requester)"), required=True,
                             max_length=1000)
    submit = SubmitField(_l("Extend by two months"))


class CloseForm(FlaskForm):
    status = SelectField(_l("Outcome"), validators=[InputRequired()])
    outcome = long_text_field(_l("What was done (e.g. which fields were rectified)"), max_length=2000)
    submit = SubmitField(_l("Close request"))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.status.choices = choices([("completed", str(_l("Completed"))), ("rejected", str(_l("Rejected")))])


class GrantForm(FlaskForm):
    user_id = SelectField(_l("Support user"), coerce=int, validators=[InputRequired(_l("This field is required."))])
    scope = SelectField(_l("Access to"), validators=[InputRequired(_l("This field is required."))])
    hours = IntegerField(_l("Hours"), validators=[
        InputRequired(_l("Enter a whole number of hours.")),
        NumberRange(1, 72, _l("Between %(min)s and %(max)s hours.")),
    ])
    reason = text_field(_l("Reason"), required=True, max_length=500)
    submit = SubmitField(_l("Grant access"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_id.choices, self.scope.choices = [], []  # the view fills them in; never None
