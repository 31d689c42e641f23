"""The house's size rules, held by a test: no module of the four packages over 500 lines and
no function over 100, so each stays readable in one sitting (the import rules are held by
import-linter: `lint-imports`, run by `make test`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extract", "transform", "warehouse", "flows")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 100

MODULES = sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def long_functions(source: str, limit: int) -> list[tuple[str, int]]:
    """(name, lines) of every function or method in `source` longer than `limit` lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            lines = node.end_lineno - first + 1
            if lines > limit:
                found.append((node.name, lines))
    return found


def test_the_rule_finds_a_long_function():
    body = "\n".join(f"    x{i} = {i}" for i in range(101))
    assert long_functions(f"def f():\n{body}\n", MAX_FUNCTION_LINES) == [("f", 102)]
    assert long_functions("def g():\n    return 1\n", MAX_FUNCTION_LINES) == []


def test_the_packages_hold_modules():
    assert len(MODULES) > 30, "the size rules would pass on an empty tree"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_and_function_sizes(path: Path):
    source = path.read_text("utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES, f"{path.name} is over 500 lines"
    assert long_functions(source, MAX_FUNCTION_LINES) == []
