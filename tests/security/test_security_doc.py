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


def missing_tests(text: str, tests: dict[str, set[str]]) -> list[str]:
    """The tests a document names (``file.py::name``, ``test_name``, ``test_file.py``) that ``tests`` lacks."""
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
    return missing


def test_every_test_named_in_security_md_exists():
    missing = missing_tests((ROOT / "SECURITY.md").read_text(), defined_tests())
    assert not missing, f"SECURITY.md names tests that do not exist: {missing}"


def test_the_check_names_each_kind_of_reference_to_a_test_that_does_not_exist():
    tests = {"security/test_real.py": {"test_real_thing"}}
    good = "Proved by `security/test_real.py::test_real_thing`, `test_real_thing` and `tests/security/test_real.py`."
    bad = ("Proved by `security/test_real.py::test_gone`, `test_no_such_thing`, `tests/security/test_gone.py` "
           "and `security/test_gone.py::test_real_thing`.")
    assert missing_tests(good, tests) == []
    assert missing_tests(bad, tests) == ["security/test_real.py::test_gone", "security/test_gone.py::test_real_thing",
                                         "test_no_such_thing", "security/test_gone.py"]
