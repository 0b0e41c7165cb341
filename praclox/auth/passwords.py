"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
#: ASVS 2.1.2: passwords of 64 characters must be possible, longer than 128 are refused
MAX_LENGTH = 128

#: argon2id at or above the OWASP recommendation (19 MiB memory, 2 iterations)
DEFAULT_TIME_COST = 3
DEFAULT_MEMORY_COST_KIB = 19 * 1024


@cache
def _hasher_for(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=1)


def _hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher_for(
        int(config.get("ARGON2_TIME_COST", DEFAULT_TIME_COST)),
        int(config.get("ARGON2_MEMORY_COST", DEFAULT_MEMORY_COST_KIB)),
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, as bundled with zxcvbn."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


#: words Dutch users build passwords from (zxcvbn's lists are English); checked after normalising
DUTCH_COMMON = frozenset("""
wachtwoord paswoord wachtwoorden geheim welkom welkom01 hallo hoi doei liefde schat schatje lieverd prinses
prins voetbal ajax feyenoord psv oranje holland nederland amsterdam rotterdam utrecht denhaag eindhoven
groningen zomer winter lente herfst maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari
februari maart april mei juni juli augustus september oktober november december konijn poes kat hond
vogel beheerder beheer gebruiker inloggen aanmelden kantoor bedrijf werk thuis familie kinderen geluk
zonneschijn sterretje bloem tulp kaas fiets praclox crm welkom123 qwerty azerty
""".split())

#: letters written as digits or signs ("w4chtw00rd")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})


def normalised(password: str) -> str:
    """The word a password is built on: lower case, digits and signs around it dropped, digits read as letters
    ("Wachtwoord1234!" and "w4chtw00rd" both give "wachtwoord")."""
    core = password.lower().strip().strip("0123456789!?.,-_#*+=~ ")
    return core.translate(_LEET)


def is_common(password: str) -> bool:
    lowered = password.lower()
    core = normalised(password)
    lists = common_passwords() | DUTCH_COMMON
    return lowered in lists or core in lists or (core.isalpha() and len(core) < 4) or len(set(password)) < 4


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is not acceptable, or None when it is."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.lower()
    if is_common(password):
        return str(_l("This password is too common; choose another."))
    local = email.split("@")[0].lower()
    name_parts = [part for part in name.lower().split() if len(part) >= 3]
    if (len(local) >= 4 and local in lowered) or any(part in lowered for part in name_parts):
        return str(_l("The password must not contain your name or e-mail address."))
    return None
