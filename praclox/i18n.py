"""Locale selection and the translation catalogs of every domain."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, request, session

PACKAGE = Path(__file__).resolve().parent


def translation_directories() -> str:
    """Every ``translations`` folder in the package; Flask-Babel merges their catalogs."""
    dirs = sorted(str(p) for p in PACKAGE.rglob("translations") if p.is_dir())
    return ";".join(dirs)


def select_locale() -> str:
    """The language of this request.

    Signed in: the language chosen in this session, else the user's own. Anonymous (public pages, links in
    mails): ``?lang=en`` in the URL (so there is an English address to link to), else the session's choice,
    else the browser's ``Accept-Language``. Dutch when nothing decides.
    """
    from flask_login import current_user

    locales = current_app.config["LOCALES"]
    default = current_app.config["DEFAULT_LOCALE"]
    if not has_request_context():  # CLI and jobs: the default language
        return default
    chosen = session.get("lang")
    if getattr(current_user, "is_authenticated", False):
        preferred = chosen if chosen in locales else getattr(current_user, "locale", None)
        return preferred if preferred in locales else default
    asked = request.args.get("lang")
    if asked in locales:
        return asked
    if chosen in locales:
        return chosen
    return request.accept_languages.best_match(locales) or default


def month_label(value: Any) -> str:
    """A month as the reader's language names it (``mei 2026``), from a date or a ``2026-05`` key."""
    from babel.dates import format_date
    from flask_babel import get_locale

    if isinstance(value, str):
        year, month = (int(part) for part in value.split("-")[:2])
        value = date(year, month, 1)
    return format_date(value, "LLLL yyyy", locale=get_locale())


#: the shell's variables that name its language, in POSIX order
_POSIX_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
#: what the command line speaks when nothing chooses (its documentation and the operator's manual are English)
CLI_DEFAULT = "en"


def cli_locale() -> str:
    """The language of the ``praclox`` command's output: ``PRACLOX_CLI_LOCALE`` (``nl`` or ``en``), else the
    shell's locale as any Unix tool reads it (``LANG=nl_NL.UTF-8`` is Dutch), else English."""
    import os

    locales = current_app.config["LOCALES"]
    chosen = str(current_app.config.get("CLI_LOCALE") or "").strip().lower()
    if chosen in locales:
        return chosen
    for name in _POSIX_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            language = value.split(".")[0].split("_")[0].lower()
            return language if language in locales else CLI_DEFAULT
    return CLI_DEFAULT


def for_cli(message: Any) -> str:
    """Text meant for the person at the command line (a lazy string), in their language (``cli_locale``).

    Only what the command prints changes language: mails and stored text keep their own rules."""
    from flask_babel import force_locale

    with force_locale(cli_locale()):
        return str(message)
