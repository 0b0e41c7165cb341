"""Build hooks (the metadata is in setup.cfg): whatever way the package is built, it carries what it needs.

- The Dutch catalogues are compiled (``.po`` to ``.mo``) into the build, so a wheel, a wheel built from the
  sdist and ``pip install`` of a fresh clone all speak Dutch without ``make``. An editable install compiles
  them next to their ``.po`` in the checkout instead (what ``make i18n`` does).
- ``templates/``, ``static/`` and ``migrations/`` live beside the package in the repository; a built package
  gets a copy under ``praclox/_shipped/``, where ``create_app`` looks when the checkout's folders are absent.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("templates", "static", "migrations")


def compile_catalogues(package_dir: Path) -> int:
    """Write ``messages.mo`` beside every ``messages.po`` under ``package_dir``; returns how many."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    count = 0
    for po_path in sorted(package_dir.rglob("translations/*/LC_MESSAGES/messages.po")):
        locale = po_path.parent.parent.name
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        count += 1
    return count


class BuildPyWithResources(build_py):
    """``build_py``, then the catalogues and the folders beside the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            compile_catalogues(HERE / "praclox")
            return
        package = Path(self.build_lib) / "praclox"
        compile_catalogues(package)
        for name in SHIPPED:
            target = package / "_shipped" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(HERE / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithResources})
