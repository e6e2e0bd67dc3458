"""The text of a PDF that fpdf2 wrote, without a PDF library (pypdf is not installed): inflate
every stream, read each font's ToUnicode map, and decode the hex strings shown with ``Tj`` /
``TJ`` in the font that ``Tf`` chose. Enough for fpdf2's own output; not a general reader."""

from __future__ import annotations

import re
import zlib

_OBJ = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number → (dictionary text, inflated stream or None)."""
    out = {}
    for number, body in _OBJ.findall(pdf):
        match = _STREAM.search(body)
        data = None
        if match:
            data = match.group(1)
            if b"/FlateDecode" in body[: match.start()]:
                data = zlib.decompress(data)
        out[int(number)] = (body[: match.start()] if match else body, data)
    return out


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(dst, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + i)
    return mapping


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(literal: bytes) -> bytes:
    """The bytes of a PDF literal string: backslash escapes and octal codes resolved."""

    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return _ESCAPES.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, literal, flags=re.S)


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page, in drawing order (one string per page)."""
    objects = _objects(pdf)
    fonts: dict[int, dict[int, str]] = {}  # font object → its ToUnicode map
    for number, (head, _) in objects.items():
        ref = re.search(rb"/ToUnicode\s+(\d+) 0 R", head)
        if b"/Type /Font" in head and ref:
            fonts[number] = _cmap(objects[int(ref.group(1))][1] or b"")
    names: dict[bytes, int] = {}  # resource name (/F1) → font object
    for head, _ in objects.values():
        for block in re.findall(rb"/Font\s*<<(.*?)>>", head, re.S):
            for name, ref in re.findall(rb"/(\w+)\s+(\d+) 0 R", block):
                names[name] = int(ref)
    pages = []
    for head, _ in objects.values():
        if not re.search(rb"/Type\s*/Page\b(?!s)", head):
            continue
        refs = re.search(rb"/Contents\s+(\d+) 0 R", head)
        content = objects[int(refs.group(1))][1] or b"" if refs else b""
        words, cmap = [], {}
        for op in re.finditer(
            rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\(((?:\\.|[^\\)])*)\)", content
        ):
            if op.group(1):
                cmap = fonts.get(names.get(op.group(1), -1), {})
            elif op.group(2) is not None:
                hexes = op.group(2).decode()
                codes = [int(hexes[i : i + 4], 16) for i in range(0, len(hexes), 4)]
                words.append("".join(cmap.get(c, "") for c in codes))
            else:
                raw = _unescape(op.group(3))
                if cmap:  # a Type0 font: two bytes per glyph
                    codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                    words.append("".join(cmap.get(c, "") for c in codes))
                else:
                    words.append(raw.decode("latin-1"))
        pages.append("".join(words))
    return pages
