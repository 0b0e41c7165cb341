"""Administration: staff accounts and their roles, and the scheduler's job runs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from praclox.admin import views
from praclox.domain import Domain, Nav, roles

DOMAIN = Domain(
    name="admin",
    blueprints=(views.bp,),
    nav=(
        Nav(_l("Users"), "admin.users", roles("admin"), order=90),
        Nav(_l("Job runs"), "admin.job_runs", roles("admin"), order=91),
    ),
)
