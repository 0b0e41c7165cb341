"""Every promise of the privacy statement and of SECURITY.md's data-at-rest rows has a line in PROMISES.md,
and every line names an operator-tier test that exists (or says who proves it later, or why it is no
promise)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
#: SECURITY.md sections whose every row is a promise about data at rest or the running product
SECTIONS = ("## V6 ", "## V8 ")
#: single SECURITY.md rows of other sections that make such a promise
ROWS = ("2.10.1–2.10.4", "3.4.4, 3.4.5", "7.1.1, 7.1.2")


def promise_lines() -> list[tuple[str, str]]:
    """(key, proof) of each table row of PROMISES.md."""
    rows = []
    for line in (HERE / "PROMISES.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[0] not in ("key", "---"):
            rows.append((cells[0], cells[2]))
    return rows


def statement_promises() -> list[str]:
    """The English text of each paragraph and list item of the public statement, and its retention label."""
    html = (ROOT / "templates/privacy/statement.html").read_text()
    texts = re.findall(r"<(?:p|li)[^>]*>\{\{ (?:_|ngettext)\('(.+?)'[,)]", html)
    return [*texts, "How long:"] if "_('How long:')" in html else texts


def security_promises() -> list[str]:
    keys, section = [], ""
    for line in (ROOT / "SECURITY.md").read_text().splitlines():
        if line.startswith("## "):
            section = line
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3 or cells[0] in ("#", "---"):
            continue
        if section.startswith(SECTIONS) or cells[0] in ROWS:
            keys.append(f"SECURITY {cells[0]}")
    return keys


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    return {n for n in names if n.startswith("test_")}


def test_every_statement_and_security_promise_has_exactly_one_line():
    keys = [key for key, _ in promise_lines()]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    missing = [text[:60] for text in statement_promises() if sum(text.startswith(k) for k in keys) != 1]
    assert not missing, f"statement promises without exactly one line in PROMISES.md: {missing}"
    missing = [key for key in security_promises() if key not in keys]
    assert not missing, f"SECURITY.md rows without a line in PROMISES.md: {missing}"
    assert len(statement_promises()) > 10 and len(security_promises()) > 10  # the parsers still find them


def test_every_named_test_exists_and_every_other_line_says_why():
    problems = []
    for key, proof in promise_lines():
        if proof.startswith("pending #"):
            if not re.match(r"pending #\d+: \S", proof):
                problems.append(f"{key}: pending needs an issue number and who proves it")
            continue
        if proof.startswith("no promise: "):
            continue
        match = re.fullmatch(r"(test_\w+\.py)::(test_\w+)", proof)
        if not match:
            problems.append(f"{key}: proof is neither a test, pending nor 'no promise': {proof}")
        elif not (HERE / match[1]).exists() or match[2] not in defined_tests(HERE / match[1]):
            problems.append(f"{key}: {proof} does not exist")
    assert not problems, "\n".join(problems)
