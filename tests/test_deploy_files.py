"""The shipped production examples (deploy/, README "Production") agree with each other and with the app."""

from __future__ import annotations

import re
from pathlib import Path

from praclox.config import Defaults

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
#: read by gunicorn.conf.py, not by the app
GUNICORN_SETTINGS = {"BIND", "WORKERS", "FORWARDED_ALLOW_IPS"}


def _example_env() -> dict[str, str]:
    """Every PRACLOX_ setting of the example environment file, commented-out ones included (value or '')."""
    found = {}
    for line in (DEPLOY / "praclox.env.example").read_text().splitlines():
        match = re.match(r"#?\s*PRACLOX_([A-Z0-9_]+)=(.*)$", line)
        if match:
            found[match[1]] = match[2].strip()
    return found


def test_every_setting_of_the_example_environment_is_read_and_documented():
    code = "\n".join(p.read_text() for p in (ROOT / "praclox").rglob("*.py"))
    readme = (ROOT / "README.md").read_text()
    gunicorn_conf = ROOT / "gunicorn.conf.py"
    for name in _example_env():
        if name in GUNICORN_SETTINGS:
            if gunicorn_conf.exists():
                assert f"PRACLOX_{name}" in gunicorn_conf.read_text(), name
        else:
            assert hasattr(Defaults, name) or f'"{name}"' in code or name.split("_")[0] == "SMTP", name
        assert f"PRACLOX_{name}" in readme or f"PRACLOX_{name.split('_')[0]}" in readme, f"{name} not in README"


def test_the_units_the_proxy_and_the_environment_name_the_same_places():
    env = _example_env()
    web = (DEPLOY / "praclox-web.service").read_text()
    scheduler = (DEPLOY / "praclox-scheduler.service").read_text()
    caddy = (DEPLOY / "Caddyfile").read_text()
    for unit in (web, scheduler):
        assert f"WorkingDirectory={env['INSTANCE_PATH']}" in unit
        assert f"ReadWritePaths={env['INSTANCE_PATH']}" in unit
        assert "EnvironmentFile=/etc/praclox/praclox.env" in unit
    assert 'gunicorn -c /opt/praclox/gunicorn.conf.py "praclox:create_app()"' in web
    assert "ExecStart=/opt/praclox/venv/bin/praclox scheduler" in scheduler
    assert f"reverse_proxy {env['BIND']}" in caddy
    assert env["PROXY_FIX"] == "1" and env["BASE_URL"].startswith("https://")


def test_the_proxy_checks_a_route_the_app_has(app):
    caddy = (DEPLOY / "Caddyfile").read_text()
    health = re.search(r"health_uri (\S+)", caddy)[1]
    assert health in {rule.rule for rule in app.url_map.iter_rules()}


def test_the_readme_production_section_uses_the_shipped_files():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Production", 1)[1].split("\n## ", 1)[0]
    for name in ("praclox.env.example", "praclox-web.service", "praclox-scheduler.service", "Caddyfile",
                 "gunicorn.conf.py"):
        assert name in section, name
    upgrade = section.split("**Upgrading**", 1)[1]
    assert upgrade.index("db upgrade") < upgrade.index("systemctl restart")  # migrate, then restart
