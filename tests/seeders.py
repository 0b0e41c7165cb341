"""Test data from each domain's own test package, collected in ``praclox.DOMAINS`` order.

A domain's ``tests/<domain>/seeders.py`` may define:

- ``seed_walk(app) -> None``: a record of each kind the domain's URLs name by id (commits), so that the
  security walks over every endpoint with ``1`` in the URL reach real pages;
- ``seed_subject(app, person) -> list[str]``: the person's data in this domain (commits), returning the
  strings it stored that exist nowhere else; the every-domain access and erasure test looks for them.

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
    """Every domain's ``hook`` function, in ``DOMAINS`` order."""
    found = []
    for package in DOMAINS:
        module_name = f"tests.{package.rsplit('.', 1)[1]}.seeders"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if not module_name.startswith(str(exc.name)):
                raise  # the seeders file exists but imports something missing
            continue
        if hasattr(module, hook):
            found.append(getattr(module, hook))
    return found
