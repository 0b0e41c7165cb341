"""A pseudo-locale build of the Dutch catalogues: every translated message comes out between ⟦ and ⟧.

Installed for the length of a test in Flask-Babel's translation cache (the one the running app reads), so a
rendered page shows exactly which text came through the catalogue; whatever is left outside the marks must be
data. The marks nest (a translated label inside a translated sentence) and survive HTML escaping.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

OPEN, CLOSE = "\u27e6", "\u27e7"
_INNERMOST = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_LETTERS = re.compile(r"[^\W\d_]{2,}")


def _wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}" if text else text


def pseudo_translations(locale: str = "nl") -> Translations:
    """Every domain's catalogue for ``locale`` merged, each msgstr wrapped in the marks."""
    from praclox.i18n_tools import catalogs

    merged = Translations()
    for path in catalogs(locale):
        with path.open("rb") as handle:
            source = read_po(handle, locale=locale)
        wrapped = Catalog(locale=locale)
        for message in source:
            if not message.id or message.fuzzy:
                continue
            strings = message.string
            string = tuple(_wrap(s) for s in strings) if isinstance(strings, tuple) else _wrap(strings)
            wrapped.add(message.id, string, context=message.context)
        buffer = io.BytesIO()
        write_mo(buffer, wrapped)
        buffer.seek(0)
        catalogue = Translations(buffer)
        merged.merge(catalogue)
        merged.plural = catalogue.plural
    return merged


@contextmanager
def pseudo_locale(app: Any, locale: str = "nl") -> Iterator[None]:
    """Swap the cached catalogue of ``locale`` for its pseudo build (and back afterwards)."""
    from praclox.extensions import babel

    with app.app_context():
        cache = babel.domain_instance.cache
    saved = dict(cache)
    cache.clear()
    cache[(locale, "messages")] = pseudo_translations(locale)
    try:
        yield
    finally:
        cache.clear()
        cache.update(saved)


def locale_words(locale: str = "nl") -> set[str]:
    """Month and day names of the locale's own data (Babel's CLDR), which formatted dates show."""
    data = Locale.parse(locale)
    words: set[str] = set()
    for table in (data.months, data.days):
        for context in table.values():
            for width in context.values():
                words.update(str(v).lower().strip(".") for v in width.values())
    return words


def leftover(text: str, data: Iterable[str], allowed_words: set[str]) -> str:
    """What of ``text`` is neither inside the marks, nor data, nor a locale word: '' when all is well."""
    previous = None
    while previous != text:
        previous, text = text, _INNERMOST.sub(" ", text)
    for value in data:
        text = text.replace(value, " ")
    words = [w for w in _LETTERS.findall(text) if w.lower() not in allowed_words]
    return " ".join(words)
