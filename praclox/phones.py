"""Phone numbers written any way: one normal form to compare them, and a pattern that finds them in text.

The one place the app normalises phone numbers. "06-33334444", "0633334444", "+31 6 3333 4444",
"0031 6 33334444", "+31 (0)6 33334444" and "(06) 3333 4444" are all the Dutch number 6 3333 4444; they
share the normal form ``31633334444`` (country code and national number, digits only).
"""

from __future__ import annotations

import re

NETHERLANDS = "31"
#: what may stand between the digits of a number written by hand
_SEPARATORS = r"[\s\-./()]{0,3}"
#: "+31 (0)6 …": the trunk zero in brackets after the country code is not dialled
_BRACKETED_TRUNK = re.compile(r"\(\s*0\s*\)")


def normalise(text: str | None) -> str:
    """The number as country code plus national number, digits only; "" when there are too few digits.

    A number without an international prefix is taken to be Dutch (the leading trunk 0 dropped)."""
    raw = _BRACKETED_TRUNK.sub("", (text or "").strip())
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 6:
        return ""
    if raw.startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return NETHERLANDS + digits[1:]
    return NETHERLANDS + digits


def same_number(a: str | None, b: str | None) -> bool:
    """Whether two numbers, written any way, are the same number."""
    first = normalise(a)
    return bool(first) and first == normalise(b)


def _spaced(digits: str) -> str:
    return _SEPARATORS.join(re.escape(d) for d in digits)


def text_pattern(number: str | None) -> str | None:
    """A regular expression (source) that finds the number in free text in any common spelling, or None
    for a number too short to find safely. Never matches inside a longer run of digits."""
    normal = normalise(number)
    if len(normal) < 8:
        return None
    if normal.startswith(NETHERLANDS):
        national = _spaced(normal[len(NETHERLANDS):])
        prefix = r"(?:(?:\+|00)\s*31\s*(?:\(\s*0\s*\)\s*)?(?:\(\s*)?|(?:\(\s*)?0\s*)?"
    else:
        national = _spaced(normal)
        prefix = r"(?:\+|00)\s*"
    return rf"(?<![\d+]){prefix}{national}(?!\d)"
