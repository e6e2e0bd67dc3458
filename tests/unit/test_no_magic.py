"""Streamlit's "magic" is off (.streamlit/config.toml, ``runner.magicEnabled = false``): a bare
expression in a page would show nothing instead of being written. None may be there."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted([ROOT / "app.py", ROOT / "serve.py", *(ROOT / "pages").glob("*.py")])
# What a statement of its own may be without being meant for display.
SILENT = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)


def test_magic_is_off_in_the_servers_configuration():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False


def _bare_expressions(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        for i, stmt in enumerate(body if isinstance(body, list) else []):
            if not isinstance(stmt, ast.Expr) or isinstance(stmt.value, SILENT):
                continue
            docstring = i == 0 and isinstance(stmt.value, ast.Constant)
            if not (docstring and isinstance(stmt.value.value, str)):
                lines.append(stmt.lineno)
    return lines


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_page_relies_on_magic(script: Path):
    """Every statement of a page either calls something or is a docstring."""
    assert _bare_expressions(ast.parse(script.read_text(encoding="utf-8"))) == []


def test_the_check_finds_a_bare_expression():
    source = '"""doc"""\nimport streamlit as st\nst.title("x")\nvalue = 1\nvalue\n"text"\n'
    assert _bare_expressions(ast.parse(source)) == [5, 6]
