"""SECURITY.md names the test that proves each point: every test it names must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def defined_tests() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        names = set(re.findall(r"^\s*(?:def|class) (test_\w+|Test\w+)", path.read_text(), flags=re.M))
        found[path.relative_to(ROOT / "tests").as_posix()] = names
    return found


def test_every_test_named_in_security_md_exists():
    text = (ROOT / "SECURITY.md").read_text()
    tests = defined_tests()
    every_name = set().union(*tests.values())
    missing = []
    for file, name in re.findall(r"`((?:[\w/]+/)?test_\w+\.py)::(\w+)`", text):
        candidates = [f for f in tests if f == file or f.endswith("/" + file)]
        if not candidates or not any(name in tests[f] for f in candidates):
            missing.append(f"{file}::{name}")
    for name in re.findall(r"`(test_\w+)`", text):
        if name not in every_name:
            missing.append(name)
    for file in re.findall(r"`((?:[\w/]+/)?test_\w+\.py)`", text):
        file = file.removeprefix("tests/")
        if not any(f == file or f.endswith("/" + file) for f in tests):
            missing.append(file)
    assert not missing, f"SECURITY.md names tests that do not exist: {missing}"


def test_the_check_would_notice_a_missing_test():
    assert "test_no_such_thing" not in set().union(*defined_tests().values())
