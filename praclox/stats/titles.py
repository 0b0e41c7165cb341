"""What the page-use analysis calls an endpoint: the title its page already has, in the reader's language.

Nothing here is a list of its own. A title comes from what the domains declare: the label of their navigation
link for that endpoint, else the title block of the one template the endpoint's view renders, when that block
is a plain translatable text (``{% block title %}{{ _('Tags') }}{% endblock %}``). A title made from a record
(an office's name) or chosen by a condition says nothing about the page in general: such an endpoint, and one
without a page (an action that redirects), keeps its endpoint name.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext
from jinja2 import TemplateNotFound

from praclox.domain import registry

EXTENSION_KEY = "praclox_stats_titles"

_RENDERS = re.compile(r"""render_template\(\s*["']([\w/.-]+)["']""")
_PLAIN_TITLE = re.compile(r"""\{%-?\s*block title\s*-?%\}\s*\{\{\s*_\(\s*(?:'([^'"]+)'|"([^'"]+)")\s*\)\s*\}\}"""
                          r"""\s*\{%-?\s*endblock""")


def _template_title(app: Flask, view: Any) -> str | None:
    """The message id of the plain title of the one template ``view`` renders, if it has one."""
    try:
        source = inspect.getsource(view)  # follows the decorators' __wrapped__ to the view itself
    except (OSError, TypeError):
        return None
    templates = set(_RENDERS.findall(source))
    if len(templates) != 1:
        return None
    loader = app.jinja_env.loader
    if loader is None:
        return None
    try:
        template = loader.get_source(app.jinja_env, templates.pop())[0]
    except TemplateNotFound:  # a name in a comment or a string that is no template: no title from it
        return None
    found = _PLAIN_TITLE.search(template)
    return (found.group(1) or found.group(2)) if found else None


def _declared(app: Flask) -> dict[str, Any]:
    """Endpoint -> a lazy navigation label or a title's message id; worked out once per process."""
    known = app.extensions.get(EXTENSION_KEY)
    if known is None:
        known = {endpoint: title for endpoint, view in app.view_functions.items()
                 if (title := _template_title(app, view)) is not None}
        known.update({n.endpoint: n.label for d in registry(app).domains for n in d.nav})
        app.extensions[EXTENSION_KEY] = known
    return known


def title_of(endpoint: str) -> str:
    """The page's title in the reader's language, or the endpoint's own name when its page declares none."""
    title = _declared(current_app).get(endpoint)
    if title is None:
        return endpoint
    return gettext(title) if isinstance(title, str) else str(title)
