"""The second factor: TOTP (RFC 6238) with enrolment by QR code, and single-use recovery codes."""

from __future__ import annotations

import io
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, select

from praclox.audit.services import record as audit
from praclox.auth.models import RecoveryCode, TotpFactor, User
from praclox.auth.passwords import hash_password, verify_password
from praclox.clock import now
from praclox.extensions import db
from praclox.settings import services as settings

ISSUER = "Praclox CRM"
RECOVERY_CODES = 10
#: roles that must use a second factor unless the configuration says otherwise
DEFAULT_ROLES = ("admin", "privacy_officer")
FOR_ALL = "auth.two_factor_for_all"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def required_roles() -> tuple[str, ...]:
    """The roles that must use a second factor (``PRACLOX_TWO_FACTOR_ROLES``, default admin and privacy officer)."""
    raw = current_app.config.get("TWO_FACTOR_ROLES", DEFAULT_ROLES)
    if isinstance(raw, str):
        raw = tuple(part.strip() for part in raw.split(",") if part.strip())
    return tuple(raw)


def factor_of(user: User) -> TotpFactor | None:
    """The user's authenticator record, confirmed or not."""
    return db.session.scalar(select(TotpFactor).where(TotpFactor.user_id == user.id))


def is_enrolled(user: User) -> bool:
    """Whether the user has a confirmed second factor."""
    factor = factor_of(user)
    return factor is not None and factor.confirmed_at is not None


def is_required(user: User) -> bool:
    """Whether this user must have a second factor (their roles, or the setting for everyone)."""
    return user.has_role(*required_roles()) or bool(settings.get(FOR_ALL))


def start_enrolment(user: User) -> TotpFactor:
    """A fresh unconfirmed secret for ``user``; replaces an unfinished enrolment. Refused when enrolled."""
    factor = factor_of(user)
    if factor is not None and factor.confirmed_at is not None:
        raise ValueError("already enrolled")
    if factor is None:
        factor = TotpFactor(user_id=user.id, secret=pyotp.random_base32(), created_at=now())
        db.session.add(factor)
    else:
        factor.secret, factor.created_at, factor.last_step = pyotp.random_base32(), now(), None
    db.session.flush()
    return factor


def provisioning_uri(user: User, factor: TotpFactor) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> bytes:
    """The QR code as an SVG image, made here: no outside service sees the secret."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return buffer.getvalue()


def _clean(code: str | None) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def check_code(factor: TotpFactor, code: str | None, *, at: float | None = None) -> bool:
    """Accept a 6-digit code for this or a neighbouring time step, once: a replayed step is refused."""
    code = _clean(code)
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(factor.secret)
    moment = time.time() if at is None else at
    current_step = int(moment // totp.interval)
    for step in (current_step - 1, current_step, current_step + 1):
        if secrets.compare_digest(totp.at(step * totp.interval), code):
            if factor.last_step is not None and step <= factor.last_step:
                return False
            factor.last_step = step
            db.session.flush()
            return True
    return False


def confirm(user: User, code: str | None) -> list[str] | None:
    """Finish enrolment with a first code; returns the new recovery codes (shown once), or None."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is not None or not check_code(factor, code):
        return None
    factor.confirmed_at = now()
    audit("update", user, fields=["second_factor"], actor=user)
    return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; only their hashes are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_password(_clean(codes[-1]))))
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str | None) -> bool:
    """Accept an unused recovery code once."""
    cleaned = _clean(code)
    if len(cleaned) != 12:
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in unused:
        if verify_password(row.code_hash, cleaned):
            row.used_at = now()
            audit("update", user, fields=["recovery_code_used"], actor=user)
            db.session.flush()
            return True
    return False


def remaining_recovery_codes(user: User) -> int:
    """How many of the user's recovery codes are still unused."""
    return len(db.session.scalars(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all())


def verify_second_factor(user: User, code: str | None) -> bool:
    """A TOTP code or a recovery code for an enrolled user."""
    factor = factor_of(user)
    if factor is None or factor.confirmed_at is None:
        return False
    return check_code(factor, code) or use_recovery_code(user, code)


def remove(user: User, *, actor: User | None) -> None:
    """Remove the second factor and the recovery codes (the user may enrol again)."""
    db.session.execute(delete(TotpFactor).where(TotpFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit("update", user, fields=["second_factor"], actor=actor)
    db.session.flush()
