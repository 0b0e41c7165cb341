"""praclox.form_html writes each control as WTForms does, and ties labels, errors and help text to it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.fields import SelectChoice as C
from wtforms.validators import InputRequired, Length, NumberRange

import praclox
from praclox.form_html import control, render_field, render_form
from praclox.forms import email_field, text_field

ODD = 'Ann & "Bob" <b>\'s</b>'


class Checkboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class EveryKind(FlaskForm):
    name = text_field("Name <i>", required=True, max_length=60, description="Help & more")
    email = email_field("E-mail")
    secret = PasswordField("Password", validators=[InputRequired(), Length(min=8)])
    note = TextAreaField("Note", validators=[Length(max=500)])
    kind = SelectField("Kind", choices=[C("a", "A & a"), C("b", ODD, render_kw={"data_x": "1"})],
                       validators=[InputRequired()])
    flag = SelectField("Flag", choices=[C(True, "yes"), C(False, "no")], coerce=lambda v: v in (True, "True"))
    tags = SelectMultipleField("Tags", choices=[C("1", "one"), C("2", "two")])
    boxes = Checkboxes("Boxes", choices=[C("x", "X"), C("y", "Y")])
    pick = RadioField("Pick", choices=[C("l", "Left"), C("r", "Right")])
    agree = BooleanField("Agree", validators=[InputRequired()])
    day = DateField("Day")
    count = IntegerField("Count", validators=[NumberRange(min=1, max=9)])
    hidden_id = IntegerField(widget=widgets.HiddenInput())
    back = HiddenField()
    upload = FileField("File", render_kw={"accept": ".pdf"})
    submit = SubmitField("Save")


DATA = MultiDict([("name", ODD), ("email", "a@b"), ("secret", "x"), ("note", "line\r\n<two>"), ("kind", "b"),
                  ("flag", "True"), ("tags", "2"), ("boxes", "y"), ("pick", "r"), ("agree", "y"), ("day", "2026-02-30"),
                  ("count", "12"), ("hidden_id", "3"), ("back", ODD)])


@pytest.mark.parametrize("formdata", [None, DATA], ids=["empty", "filled"])
@pytest.mark.parametrize("attrs", [{}, {"class": "x y", "rows": 3, "placeholder": ODD, "required": True,
                                        "data_role": "a_b", "aria_label": "z"}], ids=["plain", "attributes"])
def test_every_control_is_written_as_wtforms_writes_it(app, formdata, attrs):
    with app.test_request_context():
        form = EveryKind(formdata=formdata, meta={"csrf": False})
        form.validate()
        for field in form:
            assert str(control(field, **attrs)) == str(field(**attrs)), field.name


def test_every_form_of_the_application_renders_its_controls_as_wtforms_does(app):
    forms = []
    for module in pkgutil.walk_packages(praclox.__path__, "praclox."):
        if module.name.endswith("forms"):
            found = importlib.import_module(module.name)
            forms += [cls for _, cls in inspect.getmembers(found, inspect.isclass)
                      if issubclass(cls, FlaskForm) and cls.__module__ == found.__name__]
    assert len(forms) > 30
    checked = 0
    with app.test_request_context():
        for cls in forms:
            try:
                form = cls(formdata=MultiDict(), meta={"csrf": False})
            except TypeError:  # needs arguments of its page
                continue
            form.validate()
            for field in form:
                assert str(control(field)) == str(field()), (cls.__name__, field.name)
                checked += 1
    assert checked > 100


def test_a_field_with_errors_names_them_for_screen_readers(app):
    with app.test_request_context():
        form = EveryKind(formdata=DATA, meta={"csrf": False})
        assert not form.validate()
        html = str(render_field(form.day))
        assert '<label class="form-label" for="day">Day</label>' in html
        described = re.search(r'<input [^>]*aria-describedby="([^"]+)"', html).group(1).split()
        assert described and all(f'id="{i}"' in html for i in described)
        assert 'aria-invalid="true"' in html and 'class="form-control is-invalid"' in html
        assert html.count('class="invalid-feedback d-block"') == len(form.day.errors) == len(described)
        name = str(render_field(form.name))  # valid, with help text: described by it, not invalid
        assert 'aria-describedby="name-help"' in name and 'id="name-help"' in name and "aria-invalid" not in name
        assert "Name &lt;i&gt;" in name and "Help &amp; more" in name and 'class="mb-3 required"' in name
        box = str(render_field(form.agree))
        assert box.startswith('<div class="mb-3 form-check"><input') and 'for="agree"' in box
        radios = str(render_field(form.pick))
        assert radios.count('class="form-check-input"') == 2 and 'for="pick-1"' in radios
        assert 'class="btn btn-praclox btn-md"' in str(render_field(form.submit, button_style="praclox"))
        assert '<select class="form-select is-invalid"' not in str(render_field(form.kind))


def test_a_whole_form_keeps_hidden_fields_first_and_asks_for_multipart_with_a_file(app):
    with app.test_request_context():
        form = EveryKind(formdata=None)
        html = str(render_form(form, button_map={"submit": "praclox"}))
    assert html.startswith('<form action="" method="post" class="form" enctype="multipart/form-data" role="form">')
    first_group = html.index('<div class="mb-3 required"><label class="form-label" for="name">')
    assert all(-1 < html.find(f'name="{name}"') < first_group for name in ("csrf_token", "back", "hidden_id"))
    assert 'class="btn btn-praclox btn-md"' in html and html.endswith("</form>")
