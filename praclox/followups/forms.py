from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired

from praclox.clock import today
from praclox.forms import choices, long_text_field, optional_id, text_field


def status_labels() -> list[tuple[str, Any]]:
    return [("open", _l("Open")), ("done", _l("Done")), ("all", _l("Open and done"))]


class FollowUpForm(FlaskForm):
    title = text_field(_l("What"), required=True, max_length=200)
    description = long_text_field(_l("Details"), max_length=5000)
    due_on = DateField(_l("Due date"), validators=[InputRequired(_l("Enter a valid date."))], default=today)
    owner_id = SelectField(_l("Who does it"), coerce=optional_id, validators=[InputRequired()])
    contact_id = SelectField(_l("Contact"), coerce=optional_id)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, users: list[Any] = (), contacts: list[Any] = (),  # type: ignore[assignment]
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = choices([(u.id, u.name) for u in users])
        self.contact_id.choices = choices([("", "—")] + [(c.id, c.full_name) for c in contacts])


def period_labels() -> list[tuple[str, Any]]:
    return [("", _l("Any date")), ("overdue", _l("Overdue")), ("today", _l("Today")),
            ("week", _l("Next 7 days")), ("month", _l("Next 30 days")), ("later", _l("Later"))]


class ReassignForm(FlaskForm):
    """Bulk reassign of deactivated users' open follow-ups: the ticked ones go to one active user."""

    ids = SelectMultipleField(_l("Follow-ups"), coerce=optional_id,
                              validators=[InputRequired(_l("Tick at least one follow-up."))])
    owner_id = SelectField(_l("New owner"), coerce=optional_id,
                           validators=[InputRequired(_l("Choose who takes them over."))])
    submit = SubmitField(_l("Reassign"))

    def __init__(self, *args: Any, users: list[Any] = (), ids: list[int] = (),  # type: ignore[assignment]
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = choices([("", "—")] + [(u.id, u.name) for u in users])
        self.ids.choices = choices([(i, str(i)) for i in ids])
