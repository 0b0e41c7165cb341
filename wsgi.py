"""Entry point for gunicorn: ``gunicorn wsgi:app``. The scheduler runs elsewhere (``praclox scheduler``)."""

from praclox import create_app
from praclox.privacy.keys import require_keys

app = create_app()
require_keys(app)  # no serving without keys that read the stored data (`praclox keys init` makes missing ones)
