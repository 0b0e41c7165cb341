"""Only the request edge reads the signed-in user; everything below it is handed the user as ``actor``.

The rule (praclox/README.md): ``flask_login.current_user`` is read only in views (``*views*.py``, ``api.py``,
``public.py``), request hooks (``hooks.py``), a domain's wiring and panel contexts (``domain.py``,
``dashboard.py``), and the named pieces of login plumbing below. Services, privacy modules, importers, jobs and
commands take ``actor`` (a User, or None for a system action).
"""

from __future__ import annotations

import ast
from pathlib import Path

import praclox

PACKAGE = Path(praclox.__file__).parent
EDGE_NAMES = ("api.py", "public.py", "hooks.py", "domain.py", "dashboard.py")
#: login plumbing that is request-bound by nature, each with its reason
PLUMBING = {
    "auth/access.py": "the role-check decorators",
    "auth/sessions.py": "require_recent_auth, a view decorator",
    "i18n.py": "the locale selector: a signed-in user's own language",
    "main/errors.py": "the error page notes which user met the incident",
}


def is_request_edge(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return "views" in name or name in EDGE_NAMES or relative in PLUMBING


def reads_current_user(source: str) -> bool:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "flask_login":
            if any(alias.name == "current_user" for alias in node.names):
                return True
        if isinstance(node, ast.Attribute) and node.attr == "current_user":
            return True
    return False


def offenders(files: dict[str, str]) -> list[str]:
    """The modules (path relative to the package: source) that read current_user off the request edge."""
    return sorted(path for path, source in files.items() if not is_request_edge(path) and reads_current_user(source))


def test_no_module_below_the_request_edge_reads_the_signed_in_user():
    files = {p.relative_to(PACKAGE).as_posix(): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}
    assert offenders(files) == []


def test_the_check_finds_a_service_that_reads_the_signed_in_user():
    hidden = "def create(data):\n    from flask_login import current_user\n    return current_user.id\n"
    dotted = "import flask_login\n\ndef create(data):\n    return flask_login.current_user.id\n"
    files = {"wishes/services.py": hidden, "offices/importer.py": dotted, "wishes/views.py": hidden,
             "auth/access.py": hidden}
    assert offenders(files) == ["offices/importer.py", "wishes/services.py"]


def test_every_named_piece_of_plumbing_still_exists_and_reads_the_user():
    for relative in PLUMBING:
        assert reads_current_user((PACKAGE / relative).read_text(encoding="utf-8")), relative
