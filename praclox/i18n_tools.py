"""Developer commands for the catalogs: ``praclox i18n missing`` and ``praclox i18n compile``."""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.cli import AppGroup

from praclox import ROOT
from praclox.i18n import PACKAGE

i18n_cli = AppGroup("i18n", help="Translation catalogs (developers).")

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}
METHODS = [("praclox/**.py", "python"), ("templates/**.html", "jinja2")]


def project_messages() -> dict[str, list[str]]:
    """Every translatable message in code and templates, with where it is used."""
    found: dict[str, list[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {"extensions": ""}}
    ):
        key = message[0] if isinstance(message, tuple) else message
        if key:
            found.setdefault(key, []).append(filename)
    return found


def catalogs(locale: str = "nl") -> list[Path]:
    return sorted(PACKAGE.rglob(f"translations/{locale}/LC_MESSAGES/messages.po"))


def translated(locale: str = "nl") -> set[str]:
    done: set[str] = set()
    for path in catalogs(locale):
        with path.open("rb") as handle:
            for message in read_po(handle):
                key = message.id[0] if isinstance(message.id, tuple) else message.id
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if key and all(strings) and not message.fuzzy:
                    done.add(key)
    return done


def missing(locale: str = "nl") -> dict[str, list[str]]:
    have = translated(locale)
    return {k: v for k, v in project_messages().items() if k not in have}


def compile_all() -> int:
    count = 0
    for locale in ("nl", "en"):
        for path in catalogs(locale):
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
            with path.with_suffix(".mo").open("wb") as out:
                write_mo(out, catalog)
            count += 1
    return count


@i18n_cli.command("missing")
def missing_command() -> None:
    """List messages without a Dutch translation (exit 1 if any)."""
    gaps = missing()
    for key, where in sorted(gaps.items()):
        click.echo(f"{where[0]}: {key!r}")
    if gaps:
        raise SystemExit(1)


@i18n_cli.command("compile")
def compile_command() -> None:
    """Compile every domain's .po catalog to .mo."""
    click.echo(f"compiled {compile_all()} catalog(s)")
