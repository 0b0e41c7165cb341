"""Every write path for users: create, authenticate, change password, roles, deactivate."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from praclox.audit.services import record as audit
from praclox.auth import sessions
from praclox.auth.models import ROLE_VALUES, User, UserRole
from praclox.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from praclox.db import utcnow
from praclox.extensions import db


class UserError(ValueError):
    """A user operation that cannot be done as asked; the message is for the person."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def get_by_login_id(raw: object) -> User | None:
    """The active user a session names as ``"<id>:<session_version>"``; None when it no longer matches
    (deactivated, or every session ended by a password change or a logout everywhere)."""
    if not isinstance(raw, str):
        return None
    try:
        uid, version = (int(part) for part in raw.split(":", 1))
    except ValueError:
        return None
    # with its roles in the same statement: every page asks for them (a second statement per request before)
    user = db.session.get(User, uid, options=[joinedload(User.roles)])
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def create_user(
    email: str, name: str, roles: Iterable[str], password: str | None = None, *, actor: User | None
) -> tuple[User, str | None]:
    """Create a user. Without a password, a one-time password is generated and returned."""
    email = normalise_email(email)
    roles = sorted(set(roles))
    unknown = set(roles) - set(ROLE_VALUES)
    if unknown:
        raise UserError(f"unknown role(s): {', '.join(sorted(unknown))}")
    if not roles:
        raise UserError("a user needs at least one role")
    if get_by_email(email):
        raise UserError("a user with this e-mail address already exists")
    one_time = None
    if password is None:
        one_time = password = secrets.token_urlsafe(15)
    else:
        problem = password_problem(password, email=email, name=name)
        if problem:
            raise UserError(problem)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        must_change_password=one_time is not None,
        roles=[UserRole(role=r) for r in roles],
    )
    db.session.add(user)
    db.session.flush()
    audit("create", user, fields=["email", "name", "roles"], actor=actor)
    return user, one_time


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Rehashes when the parameters changed."""
    user = get_by_email(email)
    if user is None:
        # spend the same time as a real check so response time does not reveal the address
        verify_password(_dummy_hash(), password)
        audit("login_failed", None, actor=None)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        audit("login_failed", user, actor=None)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit("login", user, actor=user)
    return user


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash made with the current parameters, so that checking it costs what a real check costs."""
    from flask import current_app

    key = f"{current_app.config.get('ARGON2_TIME_COST')}/{current_app.config.get('ARGON2_MEMORY_COST')}"
    if key not in _DUMMY:
        _DUMMY[key] = hash_password(secrets.token_hex(16))
    return _DUMMY[key]


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends every other session."""
    if not verify_password(user.password_hash, current):
        raise UserError("current")
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise UserError(problem)
    if verify_password(user.password_hash, new):
        raise UserError("same")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.session_version += 1
    audit("update", user, fields=["password"], actor=user)


def set_password(user: User, new: str, *, actor: User | None) -> None:
    """Set a password without the current one (admin CLI); ends every session."""
    problem = password_problem(new, email=user.email, name=user.name)
    if problem:
        raise UserError(problem)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.session_version += 1
    audit("update", user, fields=["password"], actor=actor)


def update_user(user: User, *, name: str, roles: Iterable[str], active: bool, actor: User | None) -> list[str]:
    """Change name, roles and active flag; returns the changed field names."""
    roles = set(roles)
    if not roles or roles - set(ROLE_VALUES):
        raise UserError("a user needs at least one known role")
    if user.id == actor.id and ("admin" not in roles or not active):
        raise UserError("self")
    changed = []
    if user.name != name.strip():
        user.name = name.strip()
        changed.append("name")
    if roles != user.role_names:
        user.roles = [r for r in user.roles if r.role in roles] + [
            UserRole(role=r) for r in sorted(roles - user.role_names)
        ]
        changed.append("roles")
        audit("role_change", user, fields=["roles"], actor=actor)
    if active != user.active:
        user.active = active
        changed.append("active")
    if "roles" in changed or "active" in changed:
        user.session_version += 1
        sessions.end_all(user)
    if changed:
        audit("update", user, fields=changed, actor=actor)
    db.session.flush()
    return changed


def deactivate(user: User, *, actor: User | None) -> None:
    """Deactivate a user; their sessions stop at the next request."""
    user.active = False
    user.session_version += 1
    sessions.end_all(user)
    audit("update", user, fields=["active"], actor=actor)


def end_other_sessions(user: User) -> None:
    """Bump the session version: every cookie issued for ``user`` so far stops working."""
    user.session_version += 1
