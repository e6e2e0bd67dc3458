"""Render every chart of the bundled register as PNG for a visual check (not part of the app).

    python scripts/chart_gallery.py [OUT] [--only NAME,...] [--filters full,kazakhstan,city]
                                    [--sizes full,half] [--langs ru,en]

Writes OUT/<filter>_<lang>_<size>_<chart>.png (default OUT: test-output/charts): 1920×1080 ("full",
as the camera button exports it) and 760×480 ("half", a half-width column on a 1920 screen).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mag_data import Filter, apply_filter, config, load_registry  # noqa: E402
from mag_data.analysis import network  # noqa: E402
from mag_data.i18n import t  # noqa: E402
from mag_data.present import charts, render  # noqa: E402
from mag_data.query import aggregations as agg  # noqa: E402
from mag_data.query import tables  # noqa: E402

SIZES = {"full": (960, 540, 2), "half": (760, 480, 1)}  # layout px and scale


def figures(view, lang: str) -> dict:
    reg = view.registry
    ill = reg.illustrative
    graph = network.cooperation_graph(view)
    indicators = network.city_indicators(graph, view.members)
    spring = network.layout_positions(graph, how="spring")
    links = network.link_table(view)
    city = str(view.members["id"].iloc[0]) if len(view.members) else "moscow"
    partners = tables.partner_bars(apply_filter(reg, view.filter.projects_only()), city)
    return {
        "map": lambda: charts.member_map(
            agg.by_city(view),
            lang,
            links=agg.partner_links(view, max_links=400),
            countries=agg.by_country(view),
            illustrative=ill,
        ),
        "overview_map": lambda: charts.member_map(agg.by_city(view), lang, height=420),
        "geo_bars": lambda: charts.geo_bars(agg.by_country(view), lang, "members"),
        "geo_share": lambda: charts.geo_bars(
            agg.by_macro_region(view), lang, "share_of_membership", "macro_region"
        ),
        "sunburst": lambda: charts.membership_sunburst(view.members, lang),
        "areas": lambda: charts.area_bars(agg.by_area(view), lang, illustrative=ill),
        "donut": lambda: charts.status_donut(agg.by_status(view), lang, illustrative=ill),
        "heatmap": lambda: charts.area_country_heatmap(
            agg.area_country_matrix(view), reg.areas, agg.by_country(view), lang, illustrative=ill
        ),
        "years": lambda: charts.year_bars(agg.by_year(view), reg.areas, lang, illustrative=ill),
        "top_cities": lambda: charts.city_bars(
            agg.top_cities(view, n=10), lang, t("pres.slide.top_cities", lang), illustrative=ill
        ),
        "partners": lambda: charts.city_bars(
            partners,
            lang,
            f"{t('city.partners', lang)}",
            x_title=t("city.shared", lang),
            illustrative=ill,
        ),
        "nearest": lambda: charts.city_bars(
            tables.nearest_bars(reg.members, city),
            lang,
            t("city.nearest", lang),
            x_title=t("m.distance_km", lang),
        ),
        "network": lambda: charts.network_chart(
            network.placed_indicators(indicators, spring),
            links,
            lang,
            max_links=400,
            illustrative=ill,
        ),
        "network_map": lambda: charts.network_map(
            agg.by_city(view), links, lang, max_links=400, illustrative=ill
        ),
        "country_panels": lambda: charts.country_members_population(agg.by_country(view), lang),
        "empty": lambda: charts.empty_figure(lang, t("chart.areas", lang)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="test-output/charts")
    parser.add_argument("--only", default="")
    parser.add_argument("--filters", default="full,kazakhstan,city")
    parser.add_argument("--sizes", default="full,half")
    parser.add_argument("--langs", default="ru,en")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    registry = load_registry(config.DATA_DIR)
    filters = {
        "full": Filter(),
        "kazakhstan": Filter(countries=("kazakhstan",)),
        "city": Filter(cities=("murmansk",)),
    }
    only = set(filter(None, args.only.split(",")))
    for fname in args.filters.split(","):
        view = apply_filter(registry, filters[fname])
        for lang in args.langs.split(","):
            for name, build in figures(view, lang).items():
                if only and name not in only:
                    continue
                fig = build()
                for size in args.sizes.split(","):
                    w, h, scale = SIZES[size]
                    start = time.perf_counter()
                    png = render.to_image(fig, "png", w, h, scale)
                    path = out / f"{fname}_{lang}_{size}_{name}.png"
                    path.write_bytes(png)
                    print(f"{path} {time.perf_counter() - start:.1f}s", flush=True)
    render.default_renderer().close()


if __name__ == "__main__":
    main()
