from __future__ import annotations

from typing import Any

from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from praclox.dates.models import EARLIEST_YEAR, CongratulationHow, DateKind, EndReason, LeapRule
from praclox.forms import choices, long_text_field, not_in_future, text_field


def gender_choices() -> list[tuple[str, Any]]:
    return [("", _l("not given")), ("f", _l("female (Sarah at 50; daughter)")),
            ("m", _l("male (Abraham at 50; son)"))]


def frequency_choices() -> list[tuple[str, Any]]:
    return [("off", _l("No reminder e-mails")), ("daily", _l("Daily at 07:00: today and the coming week")),
            ("weekly", _l("Weekly on Monday: the coming two weeks"))]


def month_choices() -> list[tuple[str, str]]:
    names = get_month_names("wide", locale=str(get_locale() or "nl"))
    return [(str(m), names[m]) for m in range(1, 13)]


class DateForm(FlaskForm):
    kind = SelectField(_l("Kind"), validators=[InputRequired()])
    day = SelectField(_l("Day"), validators=[InputRequired()])
    month = SelectField(_l("Month"), validators=[InputRequired()])
    year = IntegerField(_l("Year (optional)"), validators=[Optional(), NumberRange(min=EARLIEST_YEAR, max=9999)],
                        description=_l("Without a year no age is shown."))
    person_name = text_field(_l("Name of the child or partner"), max_length=100)
    gender = SelectField(_l("Gender"), default="")
    leap_rule = SelectField(_l("29 February in other years"), default="feb28",
                            description=_l("Only matters for a date on 29 February."))
    notes = long_text_field(_l("Notes"), max_length=2000)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(DateKind.choices())
        self.day.choices = choices([(str(d), str(d)) for d in range(1, 32)])
        self.month.choices = choices(month_choices())
        self.gender.choices = choices(gender_choices())
        self.leap_rule.choices = choices(LeapRule.choices())


class EndForm(FlaskForm):
    reason = SelectField(_l("Reason"), validators=[InputRequired()])
    ended_on = DateField(_l("Ended on"), validators=[InputRequired(_l("This field is required.")), not_in_future])
    submit = SubmitField(_l("End this date"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = choices(EndReason.choices())


class CongratulateForm(FlaskForm):
    year = IntegerField(validators=[InputRequired(), NumberRange(min=EARLIEST_YEAR, max=9999)])
    half = HiddenField(default="0")
    how = SelectField(_l("How"), validators=[InputRequired()])
    next = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.how.choices = choices(CongratulationHow.choices())


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AtLeastOne:
    """A choice of several checkboxes needs one ticked; unlike InputRequired it puts no ``required`` on each
    box (with that, a browser refuses the form until every box is ticked)."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:
            raise StopValidation(str(self.message))


class FeedForm(FlaskForm):
    name = text_field(_l("Name"), required=True, max_length=60, description=_l("For example: phone, laptop."))
    kinds = MultiCheckboxField(_l("Include"), validators=[AtLeastOne(_l("Choose at least one kind."))])
    show_child_names = BooleanField(_l("Show children's names (otherwise: \"child of Anna de Vries\")"))
    include_follow_ups = BooleanField(_l("My open follow-ups (what and office, on the due date)"))
    submit = SubmitField(_l("Create feed URL"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds.choices = choices(DateKind.choices())
        if not self.kinds.data and not self.is_submitted():
            self.kinds.data = list(DateKind.values())


class FeedSettingsForm(FlaskForm):
    kinds = MultiCheckboxField(_l("Include"), validators=[AtLeastOne(_l("Choose at least one kind."))])
    show_child_names = BooleanField(_l("Show children's names"))
    include_follow_ups = BooleanField(_l("My follow-ups"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds.choices = choices(DateKind.choices())


class ReminderForm(FlaskForm):
    frequency = SelectField(_l("Reminder e-mails"), validators=[InputRequired()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frequency.choices = choices(frequency_choices())


class VcardForm(FlaskForm):
    office_id = SelectField(_l("Office for contacts not found by their organisation"), validators=[InputRequired()])
    file = FileField(_l("vCard file (.vcf)"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Import"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office_id.choices = []  # the view fills in the offices; never None
