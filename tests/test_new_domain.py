"""A new domain is one package plus one line in DOMAINS: its page, link, page section, setting and job work."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

import praclox
from praclox.domain import registry
from praclox.extensions import db
from tests.conftest import empty_database

DOMAIN_PY = '''
from flask import Blueprint
from praclox.domain import Domain, JobSpec, Nav, Section, SettingSpec, roles

bp = Blueprint("sample", __name__, url_prefix="/sample", template_folder="templates")


@bp.route("/")
def index():
    return "sample page"


DOMAIN = Domain(
    name="sampledomain",
    blueprints=(bp,),
    nav=(Nav("Sample link", "sample.index", roles("staff"), order=99),),
    sections=(Section("office_main", "sampledomain/_section.html",
                      lambda office: {"word": "sampled-" + office.name}, roles("staff")),),
    settings=(SettingSpec("sample.days", int, 7, "Sample days", "Sample"),),
    jobs=(JobSpec("sample-job", lambda: {"n": 1}, "a sample job", {"hour": 1}),),
)
'''


@pytest.fixture
def app(app_config: dict[str, Any], tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app with one more package, written here, named once in DOMAINS."""
    package = tmp_path / "code" / "sampledomain"
    (package / "templates" / "sampledomain").mkdir(parents=True)
    (package / "__init__.py").write_text('"""A domain the test writes."""\n')
    (package / "domain.py").write_text(textwrap.dedent(DOMAIN_PY))
    (package / "templates" / "sampledomain" / "_section.html").write_text("<p>{{ section.data.word }}</p>")
    monkeypatch.syspath_prepend(str(tmp_path / "code"))
    monkeypatch.setattr(praclox, "DOMAINS", (*praclox.DOMAINS, "sampledomain"))
    app = praclox.create_app(app_config)
    with app.app_context():
        db.create_all()
    yield app
    empty_database(app)  # on PostgreSQL the next test must not meet this test's users
    for name in ("sampledomain.domain", "sampledomain"):
        sys.modules.pop(name, None)


def test_the_new_domain_s_page_link_section_setting_and_job_are_there(app, login_as, make_office):
    from praclox.settings.services import get

    client = login_as("staff")
    assert client.get("/sample/").get_data(as_text=True) == "sample page"
    page = client.get(f"/offices/{make_office('Sample BV')}").get_data(as_text=True)
    assert 'href="/sample/"' in page and "Sample link" in page
    assert "<p>sampled-Sample BV</p>" in page
    with app.app_context():
        assert get("sample.days") == 7
        assert "sample-job" in registry().jobs
