"""The domain contract: every domain plugs in through its ``Domain`` declaration, and only through it."""

from __future__ import annotations

import random

import pytest

import praclox
from praclox.domain import Demo, DemoRun, Domain, Registry, SettingSpec


def test_praclox_domains_lists_every_domain_and_what_it_contributes(app, runner):
    output = runner.invoke(args=["domains"]).output
    names = [line for line in output.splitlines() if line and not line.startswith(" ")]
    assert names == [name.rsplit(".", 1)[1] for name in praclox.DOMAINS]
    assert "  jobs: applicants-purge (hour=2 minute=30)," in output
    assert "  page sections: office_main: wishes/_office_section.html" in output
    assert "  settings: dates.child_cutoff_age, dates.feed_expiry_days" in output
    assert "  demo data: after offices" in output


def test_a_key_declared_by_two_domains_stops_the_app_with_its_name():
    spec = SettingSpec("shared.key", int, 1, "label", "section")
    with pytest.raises(ValueError, match="setting 'shared.key' is declared twice"):
        Registry((Domain("one", settings=(spec,)), Domain("two", settings=(spec,))))


def test_demo_data_follows_declared_dependencies_not_list_order():
    ran: list[str] = []

    def step(name):
        return lambda run: ran.append(name) or name

    found = Registry((Domain("dates", demo=Demo(step("dates"), after=("offices",))),
                      Domain("offices", demo=Demo(step("offices")))))
    run = DemoRun(random.Random(1), 1)  # noqa: S311
    for domain in found.demo_order():
        run.made[domain.name] = domain.demo.generate(run)
    assert ran == ["offices", "dates"]
    with pytest.raises(ValueError, match="missing or circular"):
        Registry((Domain("dates", demo=Demo(step("dates"), after=("nowhere",))),)).demo_order()
