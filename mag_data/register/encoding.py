"""Which encoding a text file is in, among those Russian offices really produce.

UTF-8 (with or without a byte-order mark) is taken when the bytes are valid UTF-8. Otherwise the
file is one of the single-byte Cyrillic code pages — Windows-1251 (Russian Excel), KOI8-R,
KOI8-U, cp866 (DOS) or ISO-8859-5 — and the one whose reading looks most like Russian or
Ukrainian text wins: each byte above 0x7F is scored by how often its letter occurs in such text
(capitals are rarer than small letters; box-drawing and control characters almost never occur).
The score works on the byte histogram, so a 10 MB file costs a few milliseconds. A file none of
them reads as text is refused (``bad_encoding``).

Text that was garbled before it was saved is refused too: UTF-8 read as Latin-1 or Windows-1252
(«ÐœÐ¾ÑÐºÐ²Ð°», ``mojibake``) and UTF-8 read as Windows-1251 («РњРѕСЃРєРІР°», ``double_encoded``).
"""

from __future__ import annotations

import math
import re

import numpy as np

# The single-byte code pages tried when a file is not UTF-8, in the order a tie is broken.
SINGLE_BYTE = ("cp1251", "koi8-r", "koi8-u", "cp866", "iso-8859-5")
ACCEPTED = ("utf-8", "utf-8-sig", *SINGLE_BYTE)

# Relative frequencies (per cent) of Russian letters, plus the Ukrainian and Belarusian ones.
_LETTERS = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47, "р": 4.73,
    "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81, "у": 2.62, "я": 2.01,
    "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59, "ч": 1.44, "й": 1.21, "х": 0.97,
    "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48, "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04,
    "ё": 0.04, "і": 0.50, "ї": 0.10, "є": 0.10, "ґ": 0.02, "ў": 0.02,
}  # fmt: skip
# Punctuation and signs an office file plausibly holds above ASCII.
_SIGNS = "«»—–№…’‘“”„\u00a0°§©®±·•€"
_CAPITAL = math.log(0.15)  # a capital letter is rarer than a small one
_RARE = math.log(1e-4)  # a letter of another Cyrillic language (ђ, ѓ, љ…)
_IMPLAUSIBLE = math.log(1e-7)  # box drawing, controls, Latin-1 symbols
# Below this share of plausible characters among the non-ASCII ones, no reading is text.
MIN_PLAUSIBLE = 0.9

# UTF-8 Cyrillic read as Latin-1/Windows-1252 and saved again ("ÐœÐ¾ÑÐºÐ²Ð°" for "Москва").
MOJIBAKE = re.compile("[\u00d0\u00d1][\u0080-\u00bf\u0152-\u2122]")
# UTF-8 Cyrillic read as Windows-1251 and saved again ("РњРѕСЃРєРІР°"): Р or С (the lead bytes
# D0/D1) followed by what Windows-1251 makes of a continuation byte 80–BF, twice in a row (one
# such pair can be real text: «Сё»).
_CONTINUATION = bytes(b for b in range(0x80, 0xC0) if b != 0x98).decode("cp1251")
DOUBLE_ENCODED = re.compile(f"(?:[РС][{re.escape(_CONTINUATION)}]){{2,}}")


def _weight(char: str) -> float:
    lower = char.lower()
    if lower in _LETTERS:
        return math.log(_LETTERS[lower] / 100) + (_CAPITAL if char != lower else 0.0)
    if "\u0400" <= char <= "\u04ff":
        return _RARE
    if char in _SIGNS:
        return math.log(0.01)
    return _IMPLAUSIBLE


def _tables() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per code page: the score of each byte 0x80–0xFF and whether it is plausible text."""
    out = {}
    for encoding in SINGLE_BYTE:
        scores, plausible = np.zeros(128), np.zeros(128, dtype=bool)
        for b in range(0x80, 0x100):
            try:
                char = bytes([b]).decode(encoding)
            except UnicodeDecodeError:
                scores[b - 0x80] = -math.inf
                continue
            scores[b - 0x80] = _weight(char)
            plausible[b - 0x80] = scores[b - 0x80] > _RARE - 1
        out[encoding] = (scores, plausible)
    return out


_TABLES = _tables()


def guess_single_byte(raw: bytes) -> str | None:
    """The code page whose reading of ``raw`` looks most like Cyrillic text, or None."""
    counts = np.bincount(np.frombuffer(raw, dtype=np.uint8), minlength=256)[0x80:]
    high = int(counts.sum())
    best, best_score = None, -math.inf
    for encoding, (scores, plausible) in _TABLES.items():
        if np.any(np.isinf(scores) & (counts > 0)):
            continue  # a byte this code page does not define
        if high and counts[plausible].sum() < MIN_PLAUSIBLE * high:
            continue
        score = float(np.dot(counts, np.where(np.isinf(scores), 0.0, scores)))
        if score > best_score:
            best, best_score = encoding, score
    return best


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding); raises UnicodeError("binary") for a binary file and UnicodeError for
    bytes no accepted encoding reads as text."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw:
        raise UnicodeError("binary")
    try:
        return raw.decode("utf-8", errors="strict"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = guess_single_byte(raw)
    if encoding is None:
        raise UnicodeError("no accepted encoding reads this file as text")
    return raw.decode(encoding, errors="strict"), encoding


def unencodable(text: str, encoding: str) -> bool:
    """True when ``text`` holds a character ``encoding`` cannot store (it would become ``?``)."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return True
    return False
