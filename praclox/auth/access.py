"""Who may open what: role checks for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

F = TypeVar("F", bound=Callable[..., Any])

def granted(user: Any) -> bool:
    """Whether a grant a domain declares (``Domain.access_grants``, e.g. time-limited support access) lets
    ``user`` open the current request's endpoint without the role."""
    from flask import request

    from praclox.domain import registry

    return any(check(user, request.endpoint, request.method) for check in registry().access_grants)


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
