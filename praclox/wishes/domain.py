"""Open wishes: the feature requests offices ask us for, kept per office."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from praclox.domain import Demo, Domain, Nav, Section, roles
from praclox.wishes import demo, models, privacy, services, views  # noqa: F401
from praclox.wishes.models import WishPriority, WishStatus


def _office_section(office: Any) -> dict[str, Any]:
    return {"wishes": services.for_office(office.id)}


DOMAIN = Domain(
    name="wishes",
    blueprints=(views.bp,),
    nav=(Nav(_l("Wishes"), "wishes.index", roles("staff", "admin"), order=30),),
    sections=(Section("office_main", "wishes/_office_section.html", _office_section, roles("staff", "admin")),),
    privacy=privacy,
    demo=Demo(demo.generate, after=("offices",)),
    template_globals={"wish_status_label": WishStatus.label_of, "wish_priority_label": WishPriority.label_of,
                      "wish_status_choices": WishStatus.choices},
)
