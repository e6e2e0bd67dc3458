"""City search by any spelling: names, former names and transliterations (``aliases.csv``).

"Алма-Ата", "alma ata", "Нур-Султан", "Kiev-style" Kharkov, "Днепропетровск" all find members.
"""

from __future__ import annotations

import re

import pandas as pd

_NON_WORD = re.compile(r"[^0-9a-zа-я]+")


def normalise(text: str) -> str:
    """Lower case, ё → е, Latin diacritics dropped, spaces/hyphens/punctuation removed."""
    import unicodedata

    text = str(text).lower().replace("ё", "е")
    decomposed = unicodedata.normalize("NFKD", text)
    # Drop combining marks but keep Cyrillic й (decomposes to и + breve).
    kept: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            if ch == "\u0306" and kept and kept[-1] == "и":
                kept[-1] = "й"
            continue
        kept.append(ch)
    return _NON_WORD.sub("", "".join(kept))


def name_index(members: pd.DataFrame, aliases: pd.DataFrame) -> pd.DataFrame:
    """One row per (normalised spelling, member id): names in both languages, ids and aliases."""
    frames = [
        pd.DataFrame({"key": members[col].astype(str), "member_id": members["id"].astype(str)})
        for col in ("name_ru", "name_en", "id")
    ]
    frames.append(
        pd.DataFrame(
            {"key": aliases["alias"].astype(str), "member_id": aliases["member_id"].astype(str)}
        )
    )
    index = pd.concat(frames, ignore_index=True)
    index["key"] = index["key"].map(normalise)
    return index[index["key"] != ""].drop_duplicates().reset_index(drop=True)


def find_members(members: pd.DataFrame, aliases: pd.DataFrame, query: str) -> list[str]:
    """Member ids matching ``query``: exact spelling first, else prefix, else substring.

    Results follow the register's order; an empty query finds nothing.
    """
    key = normalise(query)
    if not key:
        return []
    index = name_index(members, aliases)
    for mask in (
        index["key"] == key,
        index["key"].str.startswith(key),
        index["key"].str.contains(key, regex=False),
    ):
        found = set(index.loc[mask, "member_id"])
        if found:
            return [m for m in members["id"].astype(str) if m in found]
    return []
