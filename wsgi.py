"""Entry point for gunicorn: ``gunicorn wsgi:app``. The scheduler runs elsewhere (``praclox scheduler``)."""

from praclox import create_app

app = create_app()
