"""Who may open what: role checks for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

F = TypeVar("F", bound=Callable[..., Any])

#: ``app.extensions[GRANT_CHECKS]``: callables ``(user, endpoint, method) -> bool`` that may let a user
#: without the role in (e.g. a time-limited support grant); see praclox/privacy/support.py
GRANT_CHECKS = "praclox_access_grants"


def granted(user: Any) -> bool:
    """Whether a registered grant lets ``user`` open the current request's endpoint."""
    from flask import current_app, request

    return any(check(user, request.endpoint, request.method) for check in current_app.extensions.get(GRANT_CHECKS, []))


def roles_required(*roles: str) -> Callable[[F], F]:
    """Allow a logged-in user holding any of ``roles``; others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles) and not granted(current_user):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def require_roles_for_blueprint(*roles: str) -> Callable[[], None]:
    """A ``before_request`` hook that guards a whole blueprint."""

    def check() -> None:
        if not current_user.is_authenticated:
            from praclox.extensions import login_manager

            return login_manager.unauthorized()
        if not current_user.has_role(*roles) and not granted(current_user):
            abort(403)
        return None

    return check
