"""How a form field looks: Bootstrap 5 markup written in Python (templates call ``render_field(form.name)``).

It replaces Bootstrap-Flask's ``render_field``/``render_form`` macros, which cost about half of a form page's
CPU (a Jinja macro per field, WTForms' ``html_params`` formatting every attribute through ``Markup.format``).
The markup is theirs (the basic layout: ``mb-3`` groups, ``form-label``, ``form-control``/``form-select``,
``is-invalid`` and ``invalid-feedback``), plus what a screen reader needs to hear an error: the control gets
``aria-invalid`` and ``aria-describedby`` naming its error messages (or its help text).

The controls of the usual widgets are written here with the same attributes, in the same order, as WTForms
writes them (tests/test_form_html.py compares the two); any other widget is rendered by WTForms itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup, escape
from wtforms import widgets as w

#: the group around a field and the submit button's look (Bootstrap-Flask's defaults: mb-3, primary)
GROUP_CLASS = "mb-3"
BUTTON_STYLE = "primary"
_HIDDEN_TYPES = frozenset({"HiddenField", "CSRFTokenField"})


def attributes(attrs: Mapping[str, Any]) -> str:
    """``attrs`` as HTML attributes, sorted by name like WTForms' ``html_params`` (``class_`` is ``class``,
    ``data_x``/``aria_x`` are ``data-x``/``aria-x``; True is a bare attribute, False and None leave it out)."""
    out = []
    for key, value in sorted(attrs.items()):
        key = key.rstrip("_")
        if key.startswith(("data_", "aria_")):
            key = key.replace("_", "-")
        if value is True:
            out.append(key)
        elif value is not False and value is not None:
            out.append(f'{key}="{escape(value)}"')
    return " ".join(out)


def _safe(html: str) -> Markup:
    """Markup built here: every value in it went through ``escape`` (attributes, labels, messages, options)."""
    return Markup(html)  # noqa: S704  # nosec B704


def _flag_attrs(field: Any, names: tuple[str, ...], attrs: dict[str, Any]) -> None:
    flags = field.flags
    for name in names:
        if name not in attrs:
            value = getattr(flags, name)
            if value is not None:
                attrs[name] = value() if callable(value) else value


_TEXT_ATTRS = ("disabled", "maxlength", "minlength", "pattern", "readonly", "required")
_INPUT_ATTRS: dict[type, tuple[str, ...]] = {
    w.TextInput: _TEXT_ATTRS, w.EmailInput: _TEXT_ATTRS, w.PasswordInput: _TEXT_ATTRS,
    w.TelInput: _TEXT_ATTRS, w.SearchInput: _TEXT_ATTRS, w.URLInput: _TEXT_ATTRS,
    w.NumberInput: ("disabled", "max", "min", "readonly", "required", "step"),
    w.DateInput: ("disabled", "readonly", "required", "step"),  # min/max dates: left to WTForms (below)
    w.HiddenInput: ("disabled",), w.CheckboxInput: ("disabled", "required"), w.RadioInput: ("disabled", "required"),
    w.FileInput: ("accept", "disabled", "required"), w.SubmitInput: ("disabled", "required"),
}


def control(field: Any, **attrs: Any) -> Markup:
    """The field's own element (``<input>``, ``<select>``, ``<textarea>``): what ``field(**attrs)`` writes."""
    render_kw = field.render_kw
    if render_kw:
        attrs = {**render_kw, **attrs}
    widget = field.widget
    kind = type(widget)
    if kind in _INPUT_ATTRS and getattr(field, "_datalist", None) is None \
            and not (kind is w.DateInput and (field.flags.min is not None or field.flags.max is not None)):
        return _input(field, widget, kind, attrs)
    if kind is w.Select and not field.has_groups():
        return _select(field, widget, attrs)
    if kind is w.TextArea:
        attrs.setdefault("id", field.id)
        _flag_attrs(field, ("disabled", "maxlength", "minlength", "readonly", "required"), attrs)
        attrs["name"] = field.name
        return _safe(f"<textarea {attributes(attrs)}>\r\n{escape(field._value())}</textarea>")
    return widget(field, **attrs)


def _input(field: Any, widget: Any, kind: type, attrs: dict[str, Any]) -> Markup:
    if kind is w.PasswordInput and widget.hide_value:
        attrs["value"] = ""
    elif kind is w.CheckboxInput and getattr(field, "checked", field.data):
        attrs.setdefault("checked", True)
    elif kind is w.RadioInput and field.checked:
        attrs.setdefault("checked", True)
    elif kind is w.FileInput:
        attrs["value"] = False
        if widget.multiple:
            attrs["multiple"] = True
    elif kind is w.SubmitInput:
        attrs.setdefault("value", field.label.text)
    attrs.setdefault("id", field.id)
    attrs.setdefault("type", widget.input_type)
    if "value" not in attrs:
        attrs["value"] = field._value()
    _flag_attrs(field, _INPUT_ATTRS[kind], attrs)
    attrs["name"] = field.name
    return _safe(f"<input {attributes(attrs)}>")


def _select(field: Any, widget: Any, attrs: dict[str, Any]) -> Markup:
    attrs.setdefault("id", field.id)
    if widget.multiple:
        attrs["multiple"] = True
    _flag_attrs(field, ("disabled", "required"), attrs)
    attrs["name"] = field.name
    html = [f"<select {attributes(attrs)}>"]
    for choice in field._iter_choices_normalized():  # what WTForms' Select iterates
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        option = {"value": value, **(choice.render_kw or {})}
        if choice.selected:
            option["selected"] = True
        html.append(f"<option {attributes(option)}>{escape(choice.label or choice.value)}</option>")
    html.append("</select>")
    return _safe("".join(html))


def label(field: Any, css: str, target: str | None = None) -> str:
    return f'<label class="{css}" for="{escape(target or field.id)}">{escape(field.label.text)}</label>'


def _feedback(field: Any, attrs: dict[str, Any]) -> str:
    """The error messages (else the help text) under a control; ``attrs`` gets the ARIA attributes naming them."""
    base = escape(field.id)
    if field.errors:
        ids = [f"{base}-error-{n}" for n in range(len(field.errors))]
        attrs.setdefault("aria_invalid", "true")
        attrs.setdefault("aria_describedby", " ".join(ids))
        return "".join(f'<div class="invalid-feedback d-block" id="{i}">{escape(e)}</div>'
                       for i, e in zip(ids, field.errors, strict=True))
    if field.description:
        attrs.setdefault("aria_describedby", f"{base}-help")
        return f'<small class="form-text text-body-secondary" id="{base}-help">{escape(field.description)}</small>'
    return ""


def render_field(field: Any, button_style: str = "", button_map: Mapping[str, str] | None = None,
                 **attrs: Any) -> Markup:
    """One field with its label, its errors and its help text (``rows=3``, ``placeholder=…`` go to the control;
    ``button_style='praclox'`` styles a submit button)."""
    kind = field.type
    if kind in _HIDDEN_TYPES:
        return control(field, **attrs)
    if kind == "SubmitField":
        style = (button_map or {}).get(field.name) or button_style or BUTTON_STYLE
        return control(field, **_with_class(field, attrs, f"btn btn-{style} btn-md"))
    if field.flags.required and "required" not in attrs:
        attrs["required"] = True
    invalid = " is-invalid" if field.errors else ""
    if getattr(field.widget, "input_type", None) == "checkbox":
        feedback = _feedback(field, attrs)
        box = control(field, **_with_class(field, attrs, "form-check-input" + invalid))
        return _safe(f'<div class="{GROUP_CLASS} form-check">{box}{label(field, "form-check-label")}{feedback}</div>')
    required = " required" if field.flags.required else ""
    if kind == "RadioField":
        feedback = _feedback(field, {})
        items = "".join(f'<div class="form-check">{control(item, class_="form-check-input")}'
                        f'{label(item, "form-check-label")}</div>' for item in field)
        return _safe(f'<div class="{GROUP_CLASS}{required}">{label(field, "form-label")}{items}{feedback}</div>')
    feedback = _feedback(field, attrs)
    css = "form-select" if kind == "SelectField" else "form-control"
    element = control(field, **_with_class(field, attrs, css + invalid))
    return _safe(f'<div class="{GROUP_CLASS}{required}">{label(field, "form-label")}{element}{feedback}</div>')


def _with_class(field: Any, attrs: dict[str, Any], css: str) -> dict[str, Any]:
    """Bootstrap's classes first, then the caller's ``class`` (else the field's ``render_kw`` class)."""
    extra = attrs.pop("class", "") or attrs.pop("class_", "") or (field.render_kw or {}).get("class", "")
    return {**attrs, "class": f"{css} {extra}" if extra else css}


def render_form(form: Any, button_map: Mapping[str, str] | None = None, button_style: str = "",
                action: str = "", method: str = "post") -> Markup:
    """A whole form: its hidden fields, then every other field in order (``enctype`` set for file fields)."""
    fields = list(form)
    multipart = any(f.type in ("FileField", "MultipleFileField") for f in fields)
    enctype = ' enctype="multipart/form-data"' if multipart else ""
    head = f'<form action="{escape(action)}" method="{escape(method)}" class="form"{enctype} role="form">'
    hidden = "".join(str(f()) for f in fields if f.type in _HIDDEN_TYPES or _is_hidden(f))
    hidden_errors = "".join(f'<div class="invalid-feedback d-block">{escape(e)}</div>'
                            for f in fields if _is_hidden(f) or f.type in _HIDDEN_TYPES for e in f.errors)
    body = "".join(render_field(f, button_style=button_style, button_map=button_map)
                   for f in fields if not (f.type in _HIDDEN_TYPES or _is_hidden(f)))
    return _safe(f"{head}{hidden}{hidden_errors}{body}</form>")


def _is_hidden(field: Any) -> bool:
    return isinstance(field.widget, w.HiddenInput)


TEMPLATE_GLOBALS: dict[str, Callable[..., Markup]] = {"render_field": render_field, "render_form": render_form}
