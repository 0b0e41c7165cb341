"""Staff accounts, roles, login, second factor, sessions and passwords."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from praclox.auth import account_views, hooks, privacy, reset_views, sessions, throttle, totp, views  # noqa: F401
from praclox.auth.cli import user_cli
from praclox.auth.jobs import PRUNED_TABLES, prune_security_records
from praclox.domain import Domain, JobSpec, SettingSpec
from praclox.privacy.ondisk import settled

_SECURITY = _l("Security")

DOMAIN = Domain(
    name="auth",
    blueprints=(views.bp,),  # account_views and reset_views add their routes to it
    cli=(user_cli,),
    settings=(
        SettingSpec(sessions.IDLE_MINUTES, int, 30, _l("Log out after this many idle minutes"), _SECURITY,
                    minimum=5, maximum=480),
        SettingSpec(sessions.ABSOLUTE_HOURS, int, 12, _l("Log out after this many hours, active or not"), _SECURITY,
                    minimum=1, maximum=24),
        SettingSpec(sessions.REAUTH_MINUTES, int, 10,
                    _l("Ask for the password again before sensitive actions after this many minutes"), _SECURITY,
                    minimum=1, maximum=60),
        SettingSpec(throttle.ACCOUNT_LIMIT, int, 5,
                    _l("Failed logins on one account from one network address before that address is slowed down"),
                    _SECURITY, minimum=3, maximum=20),
        SettingSpec(throttle.ADDRESS_LIMIT, int, 20,
                    _l("Failed logins (or reset requests) from one network address before that address is slowed "
                       "down"), _SECURITY, minimum=5, maximum=200),
        SettingSpec(throttle.ACCOUNT_CEILING, int, 25,
                    _l("Failed logins on one account from all addresses before only the e-mailed unlock link opens "
                       "it"), _SECURITY, minimum=10, maximum=100),
        SettingSpec(throttle.WINDOW_MINUTES, int, 15, _l("Minutes over which failed logins are counted"), _SECURITY,
                    minimum=5, maximum=120),
        SettingSpec(totp.FOR_ALL, bool, False, _l("Require two-step login for every user"), _SECURITY),
    ),
    jobs=(
        # the attempts and sessions hold network and browser addresses: gone from disk too
        JobSpec("auth.prune", settled(prune_security_records, PRUNED_TABLES),
                _l("Delete old login attempts, spent reset links and timed-out sessions"),
                {"hour": 3, "minute": 40}),
    ),
    privacy=privacy,
    template_globals={"has_two_factor": totp.is_enrolled},
    setup=hooks.setup,
)
