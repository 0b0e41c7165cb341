from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError

from praclox.clock import today
from praclox.forms import choices, long_text_field, optional_id, text_field
from praclox.wishes.models import WishPriority, WishStatus


class WishForm(FlaskForm):
    title = text_field(_l("Title"), required=True, max_length=200)
    description = long_text_field(_l("Description"), max_length=5000)
    status = SelectField(_l("Status"), validators=[InputRequired()])
    priority = SelectField(_l("Priority"), validators=[InputRequired()], default=WishPriority.NORMAL)
    requested_on = DateField(_l("Requested on"), validators=[InputRequired(_l("Enter a valid date."))],
                             default=today)
    target_date = DateField(_l("Target date"), validators=[Optional()])
    requested_by_id = SelectField(_l("Requested by"), coerce=optional_id)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, contacts: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.status.choices = choices(WishStatus.choices())
        self.priority.choices = choices(WishPriority.choices())
        self.requested_by_id.choices = choices([("", "—")] + [(c.id, c.full_name) for c in contacts])

    def validate_requested_on(self, field: Any) -> None:
        if field.data and field.data > today():
            raise ValidationError(_l("This date lies in the future."))

    def validate_target_date(self, field: Any) -> None:
        if field.data and self.requested_on.data and field.data < self.requested_on.data:
            raise ValidationError(_l("The target date lies before the request."))
