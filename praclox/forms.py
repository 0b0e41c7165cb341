"""Form building blocks shared by every domain: clean text, e-mail and phone fields, dates, confirmations."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError

from praclox.clock import today

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: every control character, line breaks included (CR, LF, tab, NEL and the Unicode line and paragraph
#: separators): never in a one-line field. A name with a line break could start a line of its own in a mail.
NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
PHONE = re.compile(r"^\+?[0-9 ()\-./]{6,30}$")


def no_control_chars(form: Any, field: Any) -> None:
    """Refuse NUL and other control characters; they have no place in a CRM field."""
    if field.data and CONTROL_CHARS.search(field.data):
        raise ValidationError(_l("This field contains characters that are not allowed."))


def one_line_only(form: Any, field: Any) -> None:
    """Refuse control characters and line breaks in a one-line field (names, titles, addresses)."""
    if field.data and NOT_ONE_LINE.search(field.data):
        raise ValidationError(_l("This field contains characters that are not allowed."))


def is_one_line(value: str) -> bool:
    return not NOT_ONE_LINE.search(value)


def one_line(value: Any) -> str:
    """``value`` as text on one line: the guard where user text goes into a mail (every such run becomes a space)."""
    return NOT_ONE_LINE.sub(" ", "" if value is None else str(value))


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def text_field(
    label: Any, *, required: bool = False, max_length: int = 200, extra: tuple[Any, ...] = (), **kw: Any
) -> StringField:
    first = InputRequired(_l("This field is required.")) if required else Optional()
    return StringField(
        label,
        validators=[
            first, Length(max=max_length, message=_l("At most %(max)d characters.")), one_line_only, *extra
        ],
        filters=[strip],
        **kw,
    )


def long_text_field(
    label: Any, *, required: bool = False, max_length: int = 5000, **kw: Any
) -> TextAreaField:
    first = InputRequired(_l("This field is required.")) if required else Optional()
    return TextAreaField(
        label,
        validators=[first, Length(max=max_length, message=_l("At most %(max)d characters.")), no_control_chars],
        filters=[strip],
        **kw,
    )


def email_field(label: Any, *, required: bool = False, **kw: Any) -> StringField:
    first = InputRequired(_l("This field is required.")) if required else Optional()
    return StringField(
        label,
        validators=[
            first,
            Length(max=254, message=_l("At most %(max)d characters.")),
            one_line_only,
            Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
        filters=[strip],
        **kw,
    )


def phone_field(label: Any, **kw: Any) -> StringField:
    return StringField(
        label,
        validators=[
            Optional(),
            Length(max=30, message=_l("At most %(max)d characters.")),
            Regexp(PHONE, message=_l("Enter a valid phone number (digits, spaces, +, -).")),
        ],
        filters=[strip],
        **kw,
    )


def choices(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choice objects."""
    return [SelectChoice(value, label) for value, label in pairs]


def optional_id(value: Any) -> int | None:
    """``coerce`` of a SelectField of record ids with an empty choice: "" or 0 is None; a value that is not
    a number becomes -1, which no choice has, so the field refuses it with its usual message."""
    if value in (None, "", "0", 0):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def not_in_future(form: Any, field: Any) -> None:
    """A date that has happened: not after today."""
    if field.data and field.data > today():
        raise ValidationError(_l("This date lies in the future."))


class ConfirmForm(FlaskForm):
    """An empty form: a POST with a valid CSRF token confirms the action."""

    confirm = HiddenField(default="yes")
    submit = SubmitField(_l("Confirm"))


def flash_errors(form: FlaskForm) -> None:
    """The errors of a form posted from a page it redirects back to, as messages on that page."""
    from flask import flash

    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "danger")
