"""Fault 6 of issue 17: a production install speaks Dutch, however it is installed.

From a copy of the source tree as a fresh clone has it (no ``.mo`` files, no ``make``), offline and without
build isolation: ``pip wheel`` of the tree and a wheel built from the sdist both carry the compiled
catalogues, the templates, the static files and the migrations. The wheel installed into a fresh virtual
environment migrates a database with its own ``praclox`` command and, started the way the shipped systemd
unit starts it (``deploy/praclox-web.service``: gunicorn on ``praclox:create_app()`` from the instance
folder), serves the login page in Dutch.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from operator_http import Browser, Server

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable

# the built package runs on SQLite whatever the suite's database: once per CI run is enough
pytestmark = pytest.mark.skipif(bool(os.environ.get("PRACLOX_TEST_DATABASE_URL")),
                                reason="database-independent; runs in the SQLite pass")


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    done = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _fresh_clone(target: Path) -> Path:
    """The files git tracks (and new ones not ignored), as ``git clone`` would give them."""
    listed = _run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    assert not list(target.rglob("*.mo"))
    return target


def _wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _carries_everything(names: set[str]) -> None:
    catalogues = {n for n in names if n.endswith("/LC_MESSAGES/messages.mo")}
    sources = {n[:-3] + ".mo" for n in names if n.endswith("/LC_MESSAGES/messages.po")}
    assert sources and catalogues == sources, sources - catalogues
    for needed in ("praclox/_shipped/templates/base.html", "praclox/_shipped/static/css/praclox.css",
                   "praclox/_shipped/migrations/env.py", "praclox/_shipped/migrations/versions/0001_foundation.py"):
        assert needed in names, needed


def test_a_wheel_of_a_fresh_clone_and_one_from_the_sdist_carry_the_catalogues_and_serve_dutch(tmp_path):
    clone = _fresh_clone(tmp_path / "clone")
    offline = ["--no-index", "--no-build-isolation", "--no-deps"]
    _run(PY, "-m", "pip", "wheel", *offline, "-w", str(tmp_path / "wheels"), str(clone), cwd=tmp_path)
    (wheel,) = (tmp_path / "wheels").glob("praclox-*.whl")
    _carries_everything(_wheel_names(wheel))

    _run(PY, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path / "sdist"), str(clone),
         cwd=tmp_path)
    (sdist,) = (tmp_path / "sdist").glob("praclox-*.tar.gz")
    _run(PY, "-m", "pip", "wheel", *offline, "-w", str(tmp_path / "from-sdist"), str(sdist), cwd=tmp_path)
    (sdist_wheel,) = (tmp_path / "from-sdist").glob("praclox-*.whl")
    _carries_everything(_wheel_names(sdist_wheel))

    # a fresh environment that sees the dependencies but not the checkout or its editable install
    venv = tmp_path / "venv"
    _run(PY, "-m", "venv", "--without-pip", str(venv), cwd=tmp_path)
    site = Path(_run(str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp_path).strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(PY, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", *offline, str(wheel), cwd=tmp_path)
    located = _run(str(venv / "bin" / "python"), "-c", "import praclox; print(praclox.__file__)", cwd=tmp_path)
    assert located.startswith(str(site)), located

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRACLOX_", "FLASK_", "PYTHON"))}
    env.update(PRACLOX_INSTANCE_PATH=str(tmp_path / "instance"), PYTHONUNBUFFERED="1")
    praclox = str(venv / "bin" / "praclox")
    _run(praclox, "db", "upgrade", cwd=tmp_path, env=env)
    port = _free_port()
    log_dir = tmp_path / "server"
    log_dir.mkdir()
    instance = tmp_path / "instance"
    server = Server.start(_unit_command(venv, port), cwd=instance, env=env, port=port, log_dir=log_dir)
    try:
        assert server.wait_ready(), server.output()
        page = Browser(server.base_url).get("/login")
        assert page.status == 200
        assert "<title>Inloggen · Praclox CRM</title>" in page.text and 'lang="nl"' in page.text
        assert "Wachtwoord vergeten?" in page.text
        css = Browser(server.base_url).get("/static/css/praclox.css")
        assert css.status == 200
    finally:
        server.stop()


def _unit_command(venv: Path, port: int) -> list[str]:
    """The web unit's ExecStart, with this test's paths: its gunicorn, its configuration, a free port."""
    unit = (ROOT / "deploy" / "praclox-web.service").read_text()
    (line,) = [x for x in unit.splitlines() if x.startswith("ExecStart=")]
    words = shlex.split(line.removeprefix("ExecStart="))
    assert words[0] == "/opt/praclox/venv/bin/gunicorn" and words[-1] == "praclox:create_app()"
    command = [str(venv / "bin" / "python"), "-m", "gunicorn"]
    rest = words[1:]
    if "-c" in rest:  # the repository's gunicorn.conf.py, as /opt/praclox holds it
        config = ROOT / Path(rest[rest.index("-c") + 1]).name
        assert rest[rest.index("-c") + 1] == "/opt/praclox/gunicorn.conf.py"
        rest = rest[:rest.index("-c")] + rest[rest.index("-c") + 2:]
        if config.exists():
            command += ["-c", str(config)]
    return [*command, *rest[:-1], "--bind", f"127.0.0.1:{port}", "--workers", "1", rest[-1]]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

