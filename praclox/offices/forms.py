from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional, Regexp, StopValidation, ValidationError

from praclox.clock import today
from praclox.forms import choices, email_field, long_text_field, not_in_future, optional_id, phone_field, text_field
from praclox.offices.models import InteractionKind, OfficeKind, TagGroup

POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")


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
    account_manager_id = SelectField(_l("Account manager"), coerce=optional_id)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, managers: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(OfficeKind.choices())
        self.account_manager_id.choices = manager_choices(managers)

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


def manager_choices(managers: list[Any]) -> list[Any]:
    """Account manager choices: nobody, then the users given (a deactivated one marked as such)."""
    return choices([("", "—")] + [(u.id, u.name if u.active else _l("%(name)s (deactivated)", name=u.name))
                                  for u in managers])


class TagForm(FlaskForm):
    """The admin's tag list: a name and the group it belongs to."""

    name = text_field(_l("Tag"), required=True, max_length=60)
    tag_group = SelectField(_l("Group"), validators=[InputRequired()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tag_group.choices = choices(TagGroup.choices())


class OfficeTagForm(FlaskForm):
    """Tag one office: pick a tag from the list, or type a name (a new free tag where the admin allows it)."""

    tag_id = SelectField(_l("Tag"), coerce=optional_id)
    name = text_field(_l("Or type a tag"), max_length=60)
    submit = SubmitField(_l("Add tag"))

    def __init__(self, *args: Any, tags: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.tag_id.choices = choices([("", "—")] + [(t.id, f"{t.name} ({t.group_label})") for t in tags])

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.tag_id.data and not (self.name.data or "").strip():
            self.tag_id.errors = [*self.tag_id.errors, _l("Choose a tag or type one.")]
            return False
        return True


def bulk_actions() -> list[tuple[str, Any]]:
    return [("manager", _l("Assign account manager")), ("add_tag", _l("Add tag")),
            ("remove_tag", _l("Remove tag"))]


class BulkForm(FlaskForm):
    """One change to every office of a filtered list; ``expected`` is the count the user saw."""

    action = SelectField(_l("Change"), validators=[InputRequired()])
    account_manager_id = SelectField(_l("Account manager"), coerce=optional_id)
    tag_id = SelectField(_l("Tag"), coerce=optional_id)
    expected = HiddenField()
    submit = SubmitField(_l("Apply"))

    def __init__(self, *args: Any, managers: list[Any] = (), tags: list[Any] = (),  # type: ignore[assignment]
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = choices(bulk_actions())
        self.account_manager_id.choices = manager_choices([u for u in managers if u.active])
        self.tag_id.choices = choices([("", "—")] + [(t.id, f"{t.name} ({t.group_label})") for t in tags])

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.action.data in ("add_tag", "remove_tag") and not self.tag_id.data:
            self.tag_id.errors = [*self.tag_id.errors, _l("Choose a tag.")]
            return False
        return True
