"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

The access log and gunicorn's error log go through ``RedactingGunicornLogger``: secret route parameters
(feed tokens, signed links), every query-string value (searches) and e-mail addresses are masked before a
line is written. Override the address with ``-b``/``--bind`` or ``PRACLOX_BIND``; scheduled jobs never run
here (``praclox scheduler`` is a process of its own).
"""

import os

bind = os.environ.get("PRACLOX_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PRACLOX_WORKERS", "4"))
worker_class = "sync"
# a request that takes longer than this is a bug or an attack: the worker is restarted
timeout = 30
graceful_timeout = 30
keepalive = 5
# request line and headers: well above what the app's URLs need, well below what a flood would like
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = "-"
errorlog = "-"
loglevel = "info"
logger_class = "praclox.logging_setup.RedactingGunicornLogger"
# the default format plus the response time in microseconds; the request line and the referrer are redacted
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
# behind a TLS-terminating proxy, set PRACLOX_PROXY_FIX=1 (the app trusts one proxy's X-Forwarded-*)
forwarded_allow_ips = os.environ.get("PRACLOX_FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):  # noqa: ARG001  (gunicorn's hook signature)
    """Before any worker: the keys must be there and read the stored data, or gunicorn stops with the reason
    (``Error: ...``, exit 1) instead of answering every page 500. ``praclox keys init`` makes missing keys."""
    from praclox import create_app
    from praclox.extensions import db
    from praclox.privacy.keys import require_keys

    app = create_app()
    try:
        require_keys(app)  # a KeyConfigurationError is a RuntimeError: gunicorn prints it and exits 1
    finally:
        with app.app_context():
            db.engine.dispose()  # the workers open their own connections


def post_worker_init(worker):
    """Each worker, once it has loaded the app and before its first request: compile the templates, load the
    catalogues and keep today's dashboard agenda (``praclox.warmup``), so no visitor waits for that."""
    from praclox.warmup import warm

    spent = warm(worker.wsgi, alive=worker.notify)
    worker.log.info("warmed in %.0f ms (%s)", sum(spent.values()),
                    ", ".join(f"{part} {ms:.0f} ms" for part, ms in spent.items()))
