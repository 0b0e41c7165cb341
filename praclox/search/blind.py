"""The keyed blind index: words become numbers that only the key can reproduce.

A text is normalised (accents off, case folded), split into words, and each word gives its own term and one
term per prefix (``MIN_PREFIX`` to ``MAX_PREFIX`` letters). A term is the first eight bytes of an HMAC-SHA256
under a key derived from the encryption keys (``praclox.crypto.derived_keys``): without the key the stored
numbers say nothing about the words, and the same word always gives the same number, so a search looks them
up in an index instead of decrypting every summary.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: words shorter than this are found whole only; longer ones by every prefix from this length on
MIN_PREFIX = 3
#: prefixes stop here: a longer query word is looked up by its first MAX_PREFIX letters (and whole)
MAX_PREFIX = 12
#: a query uses at most this many words
MAX_QUERY_WORDS = 8
#: a word found whole counts this many times a word found by its beginning
WHOLE_WORD_FACTOR = 3

_WORD = re.compile(r"[^\W_]+")
_PURPOSE = b"praclox search index v1"


def purpose() -> bytes:
    return _PURPOSE


def words(text: str | None) -> list[str]:
    """The normalised words of a text: ``"Zoë's Bakkerij, 's-Hertogenbosch"`` → zoe, s, bakkerij, s, hertogenbosch."""
    if not text:
        return []
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _WORD.findall(plain.casefold())


def _term(key: bytes, label: bytes, word: str) -> int:
    digest = hmac.new(key, label + word.encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def key_check(key: bytes) -> str:
    """A fingerprint of an index key, stored with the index: which configured key built it."""
    return hmac.new(key, b"check", hashlib.sha256).hexdigest()[:32]


def record_terms(key: bytes, fields: Iterable[tuple[str | None, int]]) -> dict[int, int]:
    """The terms of one record, each with the highest weight of the fields it occurs in."""
    terms: dict[int, int] = {}
    for text, weight in fields:
        for word in set(words(text)):
            for term in [_term(key, b"w:", word)] + [
                    _term(key, b"p:", word[:n]) for n in range(MIN_PREFIX, min(len(word) - 1, MAX_PREFIX) + 1)]:
                if terms.get(term, 0) < weight:
                    terms[term] = weight
    return terms


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: its whole-word term, and the term of its beginning (when long enough)."""

    word: str
    whole: int
    prefix: int | None


def query_words(key: bytes, query: str) -> list[QueryWord]:
    found = list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]
    return [QueryWord(w, _term(key, b"w:", w),
                      _term(key, b"p:", w[:MAX_PREFIX]) if len(w) >= MIN_PREFIX else None) for w in found]
