"""The activity timeline across offices: contact moments, follow-ups done, congratulations, new clients."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from praclox.domain import Domain, Nav, roles
from praclox.timeline import views


def kind_labels() -> list[tuple[str, Any]]:
    return [("", _l("Everything")), ("contact_moment", _l("Contact moments")),
            ("follow_up_done", _l("Follow-ups done")), ("congratulated", _l("Congratulations")),
            ("conversion", _l("Became a client"))]


DOMAIN = Domain(
    name="timeline",
    blueprints=(views.bp,),
    nav=(Nav(_l("Timeline"), "timeline.index", roles("staff", "admin"), order=27),),
    template_globals={"timeline_kind_choices": kind_labels},
)
