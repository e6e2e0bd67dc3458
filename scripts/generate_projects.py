"""Generate the ILLUSTRATIVE project register: data/projects.csv and data/participants.csv.

No public register of the assembly's joint projects exists, so the dashboard ships a seeded,
reproducible sample (every row has illustrative=true; the UI says so wherever projects show).
A real register replaces it by putting files with the same columns in data/.

    .venv/bin/python scripts/generate_projects.py           # write the files
    .venv/bin/python scripts/generate_projects.py --check   # exit 1 if the files differ
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mag_data import config  # noqa: E402
from mag_data.register.sample import generate_projects  # noqa: E402
from mag_data.register.schema import MEMBERS, PARTICIPANTS, PROJECTS, TASKS  # noqa: E402

SEED = 20261125
N_PROJECTS = 360
TODAY = date(2026, 11, 25)  # fixed so the output does not change from day to day


def build(data_dir: Path = config.DATA_DIR) -> dict[str, str]:
    """The CSV texts of projects.csv and participants.csv, generated from members.csv."""
    members = pd.read_csv(data_dir / MEMBERS.file, dtype={"population": "int64"})
    tasks = pd.read_csv(data_dir / TASKS.file)
    projects, participants = generate_projects(
        members, list(tasks["id"]), n_projects=N_PROJECTS, seed=SEED, today=TODAY
    )
    return {
        PROJECTS.file: projects.to_csv(index=False, lineterminator="\n"),
        PARTICIPANTS.file: participants.to_csv(index=False, lineterminator="\n"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    outputs = build()
    stale = []
    for name, text in outputs.items():
        path = config.DATA_DIR / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run scripts/generate_projects.py)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
