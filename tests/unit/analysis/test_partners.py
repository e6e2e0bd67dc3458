"""Partner finder on the tiny register, checked against a ranking worked out by hand.

For Moscow (Russia, 1000 people) in trade and economic cooperation the candidates, in register
order, are Minsk (Belarus, 300), Kazan (Russia, 500) and Almaty (Kazakhstan, 200). Completed trade
projects: Minsk 1 (P1), the others 0. Moscow already shares P1 with Minsk and P2 with Kazan.
"""

from __future__ import annotations

import math

import pytest
from geopy.distance import geodesic

from mag_data.analysis import partners
from mag_data.analysis.partners import ScoreWeights
from mag_data.i18n import NBSP, TEXTS, fmt_int, plural_form, t

MSK = (55.75204, 37.61781)
POINTS = {"minsk": (53.9, 27.56667), "kazan": (55.78874, 49.12214), "almaty": (43.25, 76.91667)}
POPULATION = {"msk": 1000, "minsk": 300, "kazan": 500, "almaty": 200}


def hand_ranking(weights: ScoreWeights) -> dict[str, dict[str, float]]:
    """The components and score of each candidate, computed from the definitions."""
    km = {c: geodesic(MSK, p).km for c, p in POINTS.items()}
    gap = {c: abs(math.log(POPULATION[c] / POPULATION["msk"])) for c in POINTS}
    out = {}
    for c in POINTS:
        comp = {
            "experience": 1.0 if c == "minsk" else 0.0,  # 1 completed / best candidate's 1
            "proximity": 1 - km[c] / max(km.values()),
            "new_partner": 1.0 if c == "almaty" else 0.0,
            "complementary": 0.5 * (c != "kazan") + 0.5 * gap[c] / max(gap.values()),
        }
        score = sum(getattr(weights, k) * v for k, v in comp.items()) / weights.total()
        out[c] = comp | {"score": score, "distance_km": km[c]}
    return out


def test_ranking_matches_the_hand_computed_example(tiny):
    """Default weights: Minsk (experience, near) > Almaty (new, other region) > Kazan."""
    weights = ScoreWeights()
    ranking = partners.rank_partners(tiny, "msk", "trade_economic", weights, "ru")
    expected = hand_ranking(weights)
    assert list(ranking["id"]) == ["minsk", "almaty", "kazan"]
    assert list(ranking["rank"]) == [1, 2, 3]
    for _, row in ranking.iterrows():
        want = expected[row["id"]]
        for column in (*partners.COMPONENTS, "score", "distance_km"):
            assert row[column] == pytest.approx(want[column]), (row["id"], column)
    assert list(ranking["completed_in_area"]) == [1, 0, 0]
    assert list(ranking["shared_projects"]) == [1, 0, 1]
    # Worked out: Minsk 0.4 + 0.3·(1 − 677/3110) + 0.1·(0.5 + 0.5·1.204/1.609) ≈ 0.722.
    assert ranking["score"].iloc[0] == pytest.approx(0.722, abs=0.002)


def test_why_text_in_russian_and_english(tiny):
    """The reason reads as a sentence with the raw numbers in the language's number format."""
    ru = partners.rank_partners(tiny, "msk", "trade_economic", lang="ru").set_index("id")
    en = partners.rank_partners(tiny, "msk", "trade_economic", lang="en").set_index("id")
    km_minsk = round(geodesic(MSK, POINTS["minsk"]).km)
    km_almaty = round(geodesic(MSK, POINTS["almaty"]).km)
    assert ru.loc["minsk", "why"] == (
        f"1 завершённый торгово-экономический проект, {km_minsk} км, уже 1 совместный проект, "
        "другой макрорегион (Восточная Европа), население меньше в 3 раза"
    )
    assert en.loc["minsk", "why"] == (
        f"1 completed trade and economic project, {km_minsk} km, already 1 joint project, "
        "another macro-region (Eastern Europe), 3× smaller population"
    )
    assert km_almaty > 1000  # the thousands separator shows
    assert ru.loc["almaty", "why"] == (
        f"нет завершённых торгово-экономических проектов, {fmt_int(km_almaty, 'ru')} км, "
        "ранее не сотрудничали, другой макрорегион (Центральная Азия), население меньше в 5 раз"
    )
    assert NBSP in ru.loc["almaty", "why"]
    assert en.loc["almaty", "why"].startswith(
        f"no completed trade and economic projects, {km_almaty:,} km, never partnered"
    )
    # Kazan: same macro-region, half the size (ratio 2 → mentioned).
    assert ru.loc["kazan", "why"].endswith("уже 1 совместный проект, население меньше в 2 раза")


@pytest.mark.parametrize(
    "n,lang,expected",
    [
        (3, "ru", "3 завершённых социальных проекта"),
        (1, "ru", "1 завершённый социальный проект"),
        (5, "ru", "5 завершённых социальных проектов"),
        (21, "ru", "21 завершённый социальный проект"),
        (0, "ru", "нет завершённых социальных проектов"),
        (3, "en", "3 completed social projects"),
        (1, "en", "1 completed social project"),
        (0, "en", "no completed social projects"),
    ],
)
def test_experience_phrase_agrees_with_the_number(n, lang, expected):
    """“3 завершённых социальных проекта” / “3 completed social projects”."""
    assert partners.experience_phrase(n, "social", lang) == expected


@pytest.mark.parametrize(
    "n,ru,en",
    [
        (1, "one", "one"),
        (2, "few", "many"),
        (4, "few", "many"),
        (5, "many", "many"),
        (11, "many", "many"),
        (12, "many", "many"),
        (21, "one", "many"),
        (22, "few", "many"),
        (111, "many", "many"),
        (0, "many", "many"),
    ],
)
def test_plural_forms(n, ru, en):
    """Russian: 1/21 one, 2–4/22 few, 5–20/0/111 many; English: 1 one, otherwise many."""
    assert (plural_form(n, "ru"), plural_form(n, "en")) == (ru, en)


def test_every_area_has_its_adjectives():
    """Each cooperation area of the register has singular and plural adjectives in ru and en."""
    from mag_data import config

    areas = [
        line.split(",")[0]
        for line in (config.DATA_DIR / "cooperation_areas.csv").read_text("utf-8").splitlines()[1:]
        if line
    ]
    for area in areas:
        for form in ("one", "many"):
            assert set(TEXTS[f"partners.area.{form}.{area}"]) == {"ru", "en"}


def test_ties_keep_register_order(tiny):
    """Only “new partner” counts: Almaty 1, Minsk and Kazan tie at 0 and keep register order;
    with every weight 0 all tie and the order is the register's."""
    only_new = ScoreWeights(experience=0, proximity=0, new_partner=1, complementary=0)
    ranking = partners.rank_partners(tiny, "msk", "social", only_new)
    assert list(ranking["id"]) == ["almaty", "minsk", "kazan"]
    assert list(ranking["score"]) == [1.0, 0.0, 0.0]
    zero = ScoreWeights(0, 0, 0, 0)
    assert list(partners.rank_partners(tiny, "msk", "social", zero)["id"]) == [
        "minsk",
        "kazan",
        "almaty",
    ]


def test_only_weight_ratios_matter(tiny):
    """Doubling every weight leaves the scores unchanged (the score is a weighted mean)."""
    a = partners.rank_partners(tiny, "kazan", "science_technology", ScoreWeights(1, 2, 3, 4))
    b = partners.rank_partners(tiny, "kazan", "science_technology", ScoreWeights(2, 4, 6, 8))
    assert list(a["score"]) == pytest.approx(list(b["score"]))
    assert a["score"].between(0, 1).all()


def test_candidates_restrict_the_pool_and_unknown_city_raises(tiny):
    """Candidates limit who is ranked (the city itself never is); an unknown city is a KeyError."""
    ranking = partners.rank_partners(tiny, "msk", "social", candidates=["msk", "almaty", "kazan"])
    # Almaty: new partner, other region, smallest → (0.2 + 0.1) / 1 = 0.3; Kazan: near, ≈ 0.25.
    assert list(ranking["id"]) == ["almaty", "kazan"]
    assert "msk" not in set(ranking["id"])
    # Only two candidates: the farther (Almaty) has proximity 0.
    assert ranking.set_index("id").loc["almaty", "proximity"] == 0.0
    with pytest.raises(KeyError):
        partners.rank_partners(tiny, "nowhere", "social")


def test_finder_table_and_weights_note(tiny):
    """Display table: top n, score and components in points, the reason; weights as shares."""
    ranking = partners.rank_partners(tiny, "msk", "trade_economic", lang="en")
    table = partners.finder_table(ranking, "en", n=2)
    assert len(table) == 2
    assert list(table[t("col.city", "en")]) == ["Minsk", "Almaty"]
    assert table[t("partners.col.score", "en")].iloc[0] == pytest.approx(
        round(ranking["score"].iloc[0] * 100, 1)
    )
    assert table[t("partners.col.why", "en")].iloc[1] == ranking["why"].iloc[1]
    assert partners.weights_note(ScoreWeights(), "en") == (
        "Experience 40%, Proximity 30%, New partner 20%, Complementarity 10%"
    )
    assert partners.weights_note(ScoreWeights(0, 0, 0, 0), "ru") == t("partners.no_weights", "ru")
