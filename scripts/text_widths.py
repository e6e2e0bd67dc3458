"""Write mag_data/present/charts/text_widths.json: the advance width of each character the charts
show (Latin, Cyrillic with the Ukrainian and Kazakh letters, digits, punctuation), in em, of
DejaVu Sans Book: the sans-serif a Debian browser draws for "Arial" when Arial is not installed,
and wider than Arial (Liberation Sans) for nearly every letter, so margins estimated with it are
large enough for either (``mag_data.present.charts.margins``).

    .venv/bin/python scripts/text_widths.py           # write the file
    .venv/bin/python scripts/text_widths.py --check   # exit 1 if the file differs

Needs Pillow (installed with Streamlit) and fonts-dejavu-core (``make chromium`` installs it).
"""

from __future__ import annotations

import argparse
import json
import string
import sys
from pathlib import Path

from PIL import ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "mag_data" / "present" / "charts" / "text_widths.json"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CHARS = (
    string.ascii_letters
    + string.digits
    + " -.,:;()[]—–·/%«»'\"!?+&№×…"
    + "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    + "іїєґІЇЄҐәғқңөұүһӘҒҚҢӨҰҮҺ"
    + "\u00a0\u202f"
)


def widths() -> dict:
    font = ImageFont.truetype(str(FONT), 1000)
    return {
        "source": f"{FONT.name} (DejaVu Sans Book), advance width in em, scripts/text_widths.py",
        "default": 0.75,
        "em": {c: round(font.getlength(c) / 1000, 3) for c in CHARS},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs")
    args = parser.parse_args()
    text = json.dumps(widths(), ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} differs: run scripts/text_widths.py")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(CHARS)} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
