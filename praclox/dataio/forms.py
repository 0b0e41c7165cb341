"""The merge screen's form: which record stays, and per field whose value it keeps."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from praclox.forms import choices as select_choices

SIDES = ("kept", "other")


class MergeForm(FlaskForm):
    keep = RadioField(_l("Which record stays"), default="first", validators=[InputRequired()])
    submit = SubmitField(_l("Merge"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field, RadioField):  # every choice on the screen is "the first record" or "the second"
                field.choices = select_choices([("first", "1"), ("second", "2")])


def merge_form(fields: tuple[str, ...], first: Any, second: Any) -> MergeForm:
    """A MergeForm with a choice per field that differs between the two records ("first" or "second");
    it starts at the first record's value, or the second's where the first is empty."""

    class Form(MergeForm):
        pass

    for name in fields:
        a, b = getattr(first, name), getattr(second, name)
        if a == b:
            continue
        default = "second" if (a is None or a == "") else "first"
        setattr(Form, f"field_{name}", RadioField(name, default=default, validators=[InputRequired()]))
    return Form()


def differing(form: MergeForm) -> list[str]:
    return [name.removeprefix("field_") for name in form._fields if name.startswith("field_")]


def picked(form: MergeForm) -> dict[str, str]:
    """Per field, whether the kept record keeps its own value ("kept") or takes the other's ("other")."""
    keep = form.keep.data
    return {name: ("kept" if form[f"field_{name}"].data == keep else "other") for name in differing(form)}
