"""The shared file store: every domain's uploaded files, encrypted, in the database (``store.py``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from praclox.domain import Domain, JobSpec
from praclox.files import models, store, sweep  # noqa: F401  (models: the table is part of the metadata)

DOMAIN = Domain(
    name="files",
    jobs=(JobSpec(sweep.JOB_ID, sweep.sweep_orphans,
                  _l("Remove stored files that no row names (and documents the store took over)"),
                  {"hour": 3, "minute": 15}),),
    # the files are encrypted: key rotation and the key checks cover them
    file_rotators=(store.rotate_files,),
    file_checkers=(store.check_files,),
)
