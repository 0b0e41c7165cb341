"""Test data from each domain's own test package, collected automatically.

A domain's ``tests/<domain>/seeders.py`` may define:

- ``seed_walk(app) -> None``: a record of each kind the domain's URLs name by id (commits), so that the
  security walks over every endpoint with ``1`` in the URL reach real pages;
- ``seed_subject(app, person) -> list[str]``: the person's data in this domain (commits), returning the
  strings it stored that exist nowhere else; the every-domain access and erasure test looks for them;
- ``AFTER = ("offices", ...)``: domains whose seeders must run first (else ``DOMAINS`` order).

A new domain adds its file; nothing here or in the tests that use it changes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from praclox import DOMAINS


@dataclass(frozen=True)
class Subject:
    """A person with strings that exist nowhere else in the test database."""

    first_name: str
    last_name: str
    email: str
    phone: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def new_subject() -> Subject:
    tag = secrets.token_hex(4)
    return Subject(f"Quin{tag}", f"Zwartwoud{tag}", f"q.{tag}@voorbeeld.nl", f"06-{int(tag, 16) % 10**8:08d}")


def collect(hook: str) -> list[Callable[..., Any]]:
    """Every domain's ``hook`` function, each after the domains its module names in ``AFTER``."""
    modules = {}
    for package in DOMAINS:
        name = package.rsplit(".", 1)[1]
        try:
            modules[name] = import_module(f"tests.{name}.seeders")
        except ModuleNotFoundError as exc:
            if not f"tests.{name}.seeders".startswith(str(exc.name)):
                raise  # the seeders file exists but imports something missing
    ordered: list[str] = []
    while len(ordered) < len(modules):
        ready = [n for n in modules if n not in ordered and set(getattr(modules[n], "AFTER", ())) <= set(ordered)]
        if not ready:
            raise ValueError(f"seeders wait for missing or circular domains: {set(modules) - set(ordered)}")
        ordered.append(ready[0])
    return [getattr(modules[n], hook) for n in ordered if hasattr(modules[n], hook)]
