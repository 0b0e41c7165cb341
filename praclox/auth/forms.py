from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectMultipleField, SubmitField, widgets
from wtforms.validators import EqualTo, InputRequired, Length

from praclox.auth.models import ROLE_VALUES
from praclox.forms import choices, email_field, text_field

#: password managers fill the right field: the one in use at login and re-authentication, a new one elsewhere
CURRENT = {"autocomplete": "current-password"}
NEW = {"autocomplete": "new-password"}


class LoginForm(FlaskForm):
    email = email_field(_l("E-mail"), required=True, render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("This field is required.")), Length(max=256)],
                             render_kw=CURRENT)
    submit = SubmitField(_l("Log in"))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired(_l("This field is required."))],
                            render_kw=CURRENT)
    new = PasswordField(
        _l("New password"), validators=[InputRequired(_l("This field is required.")), Length(max=256)],
        render_kw=NEW,
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[InputRequired(_l("This field is required.")), EqualTo("new", _l("The passwords differ."))],
        render_kw=NEW,
    )
    submit = SubmitField(_l("Change password"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))


def role_labels() -> list[tuple[str, str]]:
    labels = {
        "staff": _l("Staff"),
        "recruiter": _l("Recruiter"),
        "privacy_officer": _l("Privacy officer"),
        "admin": _l("Administrator"),
        "support": _l("Support engineer"),
    }
    return [(r, str(labels[r])) for r in ROLE_VALUES]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(FlaskForm):
    email = email_field(_l("E-mail"), required=True)
    name = text_field(_l("Name"), required=True, max_length=120)
    roles = MultiCheckboxField(_l("Roles"), validators=[InputRequired(_l("Choose at least one role."))])
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.roles.choices = choices(role_labels())


class SecondFactorForm(FlaskForm):
    code = text_field(_l("Code from your app or a recovery code"), required=True, max_length=20,
                      render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True})
    submit = SubmitField(_l("Continue"))


class EnrolForm(FlaskForm):
    code = text_field(_l("Six-digit code from your app"), required=True, max_length=10,
                      render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = SubmitField(_l("Switch on"))


class ReauthForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("This field is required.")), Length(max=256)],
                             render_kw=CURRENT)
    code = text_field(_l("Code from your app (when you use one)"), max_length=20,
                      render_kw={"autocomplete": "one-time-code"})
    submit = SubmitField(_l("Confirm"))


class ResetRequestForm(FlaskForm):
    email = email_field(_l("E-mail"), required=True)
    submit = SubmitField(_l("Send me a link"))


class ResetForm(FlaskForm):
    new = PasswordField(
        _l("New password"), validators=[InputRequired(_l("This field is required.")), Length(max=256)],
        render_kw=NEW,
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[InputRequired(_l("This field is required.")), EqualTo("new", _l("The passwords differ."))],
        render_kw=NEW,
    )
    submit = SubmitField(_l("Set password"))


class ActionForm(FlaskForm):
    """A button that changes something: CSRF protection only."""

    submit = SubmitField(_l("Confirm"))
