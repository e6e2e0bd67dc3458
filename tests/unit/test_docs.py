"""The documentation keeps up with the code: columns, make targets, quick start, CI entry point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mag_data.register.schema import REGISTER_TABLES, TableSpec

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DATA_README = ROOT / "data" / "README.md"
MAKEFILE = ROOT / "Makefile"
CI_RUN = ROOT / ".ci" / "run"

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_DOCUMENTED_TARGET = re.compile(r"^([A-Za-z0-9_-]+):.*##\s")


def _lines_outside_code(text: str) -> list[tuple[str, bool]]:
    """Each line of a Markdown text with a flag: True inside a fenced code block."""
    out, in_code = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            out.append((line, True))
            continue
        out.append((line, in_code))
    return out


def _section(text: str, heading_contains: str) -> str:
    """The Markdown section whose heading contains the string, down to the next heading of the
    same or a higher level (empty if there is none)."""
    collected: list[str] = []
    level = 0
    for line, in_code in _lines_outside_code(text):
        match = None if in_code else _HEADING.match(line)
        if level:
            if match and len(match.group(1)) <= level:
                break
            collected.append(line)
        elif match and heading_contains in match.group(2):
            level = len(match.group(1))
    return "\n".join(collected)


def _documents_column(section: str, column: str) -> bool:
    """Named as `column` anywhere, or as a cell of a Markdown table row."""
    if f"`{column}`" in section:
        return True
    for line in section.splitlines():
        if line.lstrip().startswith("|"):
            cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
            if column in cells:
                return True
    return False


def _documented_make_targets() -> list[str]:
    return [
        m.group(1)
        for line in MAKEFILE.read_text(encoding="utf-8").splitlines()
        if (m := _DOCUMENTED_TARGET.match(line))
    ]


@pytest.mark.parametrize("spec", REGISTER_TABLES, ids=lambda spec: spec.file)
def test_every_register_column_is_documented_in_its_file_section(spec: TableSpec) -> None:
    """Each column of each register file appears in that file's section of data/README.md."""
    section = _section(DATA_README.read_text(encoding="utf-8"), f"`{spec.file}`")
    assert section, f"data/README.md has no section headed with `{spec.file}`"
    missing = [name for name in spec.column_names if not _documents_column(section, name)]
    assert not missing, f"{spec.file}: columns not documented in data/README.md: {missing}"


def test_project_register_placeholder_was_replaced() -> None:
    """The project register section says plainly that the sample projects are not real."""
    section = _section(DATA_README.read_text(encoding="utf-8"), "Project register")
    assert "scripts/generate_projects.py" in section
    assert "ILLUSTRATIVE" in section
    assert "documented by the project-register author" not in section


def test_makefile_has_documented_targets() -> None:
    """The Makefile parse finds the targets (guards the next test against passing vacuously)."""
    assert {"run", "test", "lint", "members", "bench"} <= set(_documented_make_targets())


@pytest.mark.parametrize("target", _documented_make_targets())
def test_every_make_target_is_mentioned_in_the_readme(target: str) -> None:
    """Every `make` target with a `##` comment is named in README.md as `make <target>`."""
    readme = README.read_text(encoding="utf-8")
    assert re.search(rf"\bmake {re.escape(target)}\b", readme), f"README.md: no `make {target}`"


def test_quick_start_has_exactly_make_run_and_make_test() -> None:
    """The README's Quick start section asks for exactly two commands: make run, make test."""
    section = _section(README.read_text(encoding="utf-8"), "Quick start")
    assert section, "README.md has no Quick start section"
    commands = [
        line.split("#", 1)[0].strip().removeprefix("$ ")
        for line, in_code in _lines_outside_code(section)
        if in_code and not _FENCE.match(line)
    ]
    assert [c for c in commands if c] == ["make run", "make test"]


def test_readme_images_and_local_links_exist() -> None:
    """Screenshots and relative links in README.md point at files that are in the repository."""
    readme = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", readme)
    local = [t.split("#", 1)[0] for t in targets if not re.match(r"^[a-z]+:|^#", t)]
    assert "docs/screenshot-overview.png" in local
    missing = [t for t in local if not (ROOT / t).exists()]
    assert not missing, f"README.md links to missing files: {missing}"


_PATH_IN_BACKTICKS = re.compile(r"`([A-Za-z0-9_.][A-Za-z0-9_./*-]*/[A-Za-z0-9_.*-]+\.[a-z]{2,4})`")


@pytest.mark.parametrize("doc", ["README.md", "docs/ARCHITECTURE.md"])
def test_file_paths_named_in_the_docs_exist(doc: str) -> None:
    """Every repository file (or glob such as `pages/page_*.py`) a doc names in backticks exists,
    so a renamed or deleted file makes the docs fail instead of silently going stale."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    paths = sorted(set(_PATH_IN_BACKTICKS.findall(text)))
    assert paths, f"{doc}: no file paths found (is the pattern broken?)"
    missing = [p for p in paths if not any(ROOT.glob(p))]
    assert not missing, f"{doc} names files that do not exist (update the doc): {missing}"


def test_ci_entry_point_runs_make_test() -> None:
    """.ci/run, what CI executes, runs `make test` (so CI and developers run the same tests)."""
    commands = [
        line.strip()
        for line in CI_RUN.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "make test" in commands


ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
_MODULE_PATH = re.compile(r"`(mag_data/[a-z0-9_/]+\.py)`")


def test_the_module_table_names_every_module_of_mag_data_and_nothing_else() -> None:
    """The tree, ARCHITECTURE.md's module table and the code agree: each module of ``mag_data``
    (not the packages' ``__init__.py``) has a row, and each row names a module that exists."""
    table = _section(ARCHITECTURE.read_text(encoding="utf-8"), "Modules at a glance")
    named = set(_MODULE_PATH.findall(table))
    on_disk = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "mag_data").rglob("*.py")
        if p.name != "__init__.py"
    }
    assert sorted(on_disk - named) == [], "modules missing from the table"
    assert sorted(named - on_disk) == [], "the table names modules that do not exist"


def test_the_unit_tests_mirror_the_layers_of_mag_data() -> None:
    """tests/unit/<layer>/ for each layer package mag_data/<layer>/, and no other folders."""
    layers = {p.name for p in (ROOT / "mag_data").iterdir() if (p / "__init__.py").exists()}
    tests = {p.name for p in (ROOT / "tests" / "unit").iterdir() if p.is_dir() and p.name[0] != "_"}
    assert tests == layers


def test_the_worked_example_of_a_new_count_is_right(tiny) -> None:
    """The example in "Adding a count" runs and gives the plain pandas counts, with and without
    a geographic choice."""
    import numpy as np
    import pandas as pd

    from mag_data import Filter, apply_filter
    from mag_data.query import aggregations
    from mag_data.register.schema import STATUSES

    section = _section(ARCHITECTURE.read_text(encoding="utf-8"), "Adding a count")
    code = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert code, "no python example in 'Adding a count'"
    namespace: dict[str, object] = {
        "np": np,
        "pd": pd,
        "View": object,
        "STATUSES": STATUSES,
        "plain_frame": aggregations.plain_frame,
    }
    exec(code.group(1), namespace)
    count = namespace["cross_border_by_status"]
    for f in (Filter(), Filter(countries=("russia",)), Filter(areas=("social",))):
        view = apply_filter(tiny, f)
        got = count(view)  # type: ignore[operator]
        projects = view.projects
        want_projects = [int((projects["status"] == s).sum()) for s in STATUSES]
        want_cross = [
            int(((projects["status"] == s) & projects["cross_border"]).sum()) for s in STATUSES
        ]
        assert list(got["status"]) == list(STATUSES)
        assert list(got["projects"]) == want_projects, f
        assert list(got["cross_border"]) == want_cross, f
