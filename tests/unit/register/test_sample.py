"""The illustrative project register: reproducible, marked illustrative, valid against members."""

from __future__ import annotations

import importlib.util

import pandas as pd

from mag_data import config, load_registry
from mag_data.register.sample import generate_projects


def _script():
    spec = importlib.util.spec_from_file_location(
        "generate_projects", config.ROOT_DIR / "scripts" / "generate_projects.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_committed_projects_are_the_scripts_output():
    """data/projects.csv and participants.csv are exactly what the seeded script writes."""
    outputs = _script().build()
    for name, text in outputs.items():
        assert (config.DATA_DIR / name).read_text(encoding="utf-8") == text, name


def test_bundled_register_loads_and_is_illustrative():
    """The bundled register validates; every project is flagged illustrative; 85 members."""
    reg = load_registry()
    assert len(reg.members) == 85
    assert reg.projects["illustrative"].all()
    assert reg.illustrative
    assert reg.year_bounds[0] == 1998
    assert set(reg.projects["status"].astype(str)) == {"planned", "active", "completed"}
    leads = (
        reg.participants[reg.participants["role"].astype(str) == "lead"]
        .groupby("project_id")
        .size()
    )
    assert (leads == 1).all() and len(leads) == len(reg.projects)


def test_generator_is_deterministic_and_scales():
    """Same seed, same output; a large request gives about the asked number of participations."""
    members = pd.DataFrame(
        {
            "id": [f"c{i}" for i in range(50)],
            "name_ru": [f"Город {i}" for i in range(50)],
            "name_en": [f"City {i}" for i in range(50)],
            "country_id": ["a" if i % 3 else "b" for i in range(50)],
            "population": [1000 + 100 * i for i in range(50)],
        }
    )
    p1, q1 = generate_projects(members, ["t1"], n_projects=500, seed=1)
    p2, q2 = generate_projects(members, ["t1"], n_projects=500, seed=1)
    assert p1.equals(p2) and q1.equals(q2)
    assert len(p1) == 500
    assert not q1.duplicated(["project_id", "member_id"]).any()
    assert (q1.groupby("project_id").size() >= 2).all()
    assert 1400 <= len(q1) <= 1800  # 1 lead + ~2.2 partners minus collapsed duplicates
