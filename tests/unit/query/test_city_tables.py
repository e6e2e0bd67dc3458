"""The city page's chart frames, on the tiny hand-checked register."""

from __future__ import annotations

import pytest

from mag_data.query import tables
from mag_data.query.filters import Filter, apply_filter


def test_partner_bars_rank_partners_by_shared_projects(tiny):
    """Minsk shares P3 and P4 with Almaty, one project each with Moscow and Kazan."""
    bars = tables.partner_bars(apply_filter(tiny, Filter()), "minsk")
    assert bars["id"].iloc[0] == "almaty"
    assert sorted(zip(bars["id"], bars["value"], strict=True)) == [
        ("almaty", 2),
        ("kazan", 1),
        ("msk", 1),
    ]
    assert {"name_ru", "country_id"} <= set(bars.columns)


def test_partner_bars_follow_the_project_filter(tiny):
    """Only science projects: Minsk's one partner is Almaty (P4)."""
    bars = tables.partner_bars(apply_filter(tiny, Filter(areas=("science_technology",))), "minsk")
    assert list(zip(bars["id"], bars["value"], strict=True)) == [("almaty", 1)]


def test_nearest_bars_give_whole_kilometres_nearest_first(tiny):
    """Nearest to Moscow: Minsk (~676 km), then Kazan (~720 km)."""
    bars = tables.nearest_bars(tiny.members, "msk", n=2)
    assert list(bars["id"]) == ["minsk", "kazan"]
    assert bars["value"].iloc[0] == pytest.approx(676, abs=10)
    assert str(bars["value"].dtype) == "int64"
