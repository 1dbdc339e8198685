"""The graded assignments' sources (assignments/source/): every expected number is recomputed from data/.

The hidden tests hold their expected numbers as literals (students never see them); here each one is
computed again from the CSV files with pandas, independently of the solution cells.
"""

import re

import pandas as pd
import pytest

from book.assignment_versions import questions, sources

from ..conftest import ROOT

DATA = ROOT / "data"
HIDDEN = re.compile(r"def (test_(q\d)_hidden_\w+)\((\w+)\):\n    assert abs\(float\(\3\) - ([\d.]+)\) <= ([\d.]+)\n")


def csv(name: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", parse_dates=list(dates))


def recomputed() -> dict[tuple[str, str], float]:
    territory = csv("territory", ("estimate_date",)).dropna(subset=["area_km2"]).sort_values("estimate_date")
    by_year = territory.groupby(territory["estimate_date"].dt.year)
    last_2015, last_2016, first_2017 = by_year.last().loc[2015], by_year.last().loc[2016], by_year.first().loc[2017]
    events = csv("events", ("date",))
    battle = events[events["phase"] == "mosul_battle"]
    places = csv("places")
    revenue = csv("revenue")
    ihs = revenue[revenue["publisher"].str.contains("IHS") & (revenue["year"] == 2016)]
    icsr = revenue[revenue["publisher"].str.contains("ICSR")].set_index("year")["high_usd_millions"]
    looting = revenue[(revenue["revenue_source"] == "confiscation_looting")].dropna(
        subset=["low_usd_millions", "high_usd_millions"])
    after = csv("after_2017", ("period_start",))
    attacks = after[after["measure"] == "attacks_in_iraq"].set_index("period_start")["value_low"]
    un = after[after["publisher"].str.contains("Monitoring Team")].set_index("period_start")
    middle = (un["value_low"] + un["value_high"]) / 2
    fighters = csv("foreign_fighters")
    france = fighters[fighters["country"] == "France"].set_index("publisher")["fighters_low"]
    headlines = csv("headlines")
    return {
        ("01_rise", "q1"): last_2015["area_km2"] - last_2016["area_km2"],
        ("01_rise", "q2"): ((events["type"] == "retaken") & (events["date"].dt.year == 2015)).sum(),
        ("01_rise", "q3"): (last_2016["area_km2"] - first_2017["area_km2"])
        / (first_2017["estimate_date"] - last_2016["estimate_date"]).days,
        ("02_mosul", "q1"): (battle["type"] == "retaken").sum(),
        ("02_mosul", "q2"): (battle.set_index("event_id").loc["east_mosul_retaken_2017", "date"]
                             - battle.loc[battle["type"] == "offensive", "date"].min()).days,
        ("02_mosul", "q3"): (places["governorate"] == "Nineveh").sum(),
        ("03_finances", "q1"): 12 * ihs.loc[ihs["revenue_source"] == "total", "high_usd_millions"].item(),
        ("03_finances", "q2"): 100 * (1 - icsr[2016] / icsr[2014]),
        ("03_finances", "q3"): looting[["low_usd_millions", "high_usd_millions"]].mean(axis=1).item(),
        ("04_desert", "q1"): attacks[attacks.index.year == 2020].sum(),
        ("04_desert", "q2"): 100 * (attacks[pd.Timestamp("2020-04-01")] / attacks[pd.Timestamp("2020-01-01")] - 1),
        ("04_desert", "q3"): 100 * (1 - middle[pd.Timestamp("2023-07-01")] / middle[pd.Timestamp("2019-02-06")]),
        ("05_ideology", "q1"): fighters.loc[fighters["estimate_year"] == 2014, "fighters_high"].sum(),
        ("05_ideology", "q2"): 100 * (france["The Soufan Center"] / france["ICSR (King's College London)"] - 1),
        ("05_ideology", "q3"): 100 * (headlines["framing"] == "survives").sum() / len(headlines),
    }


def hidden_expectations() -> dict[tuple[str, str], tuple[float, float]]:
    found = {}
    for source in sources():
        for _, question, _, expected, tolerance in HIDDEN.findall(source.read_text(encoding="utf-8")):
            found[(source.stem, question)] = (float(expected), float(tolerance))
    return found


def test_there_is_one_assignment_per_chapter():
    chapters = sorted(p.stem for p in (ROOT / "exercises" / "source").glob("*.md"))
    assert [p.stem for p in sources()] == chapters


@pytest.mark.parametrize("key", sorted(recomputed()), ids="/".join)
def test_each_hidden_expected_number_is_what_the_data_gives(key):
    expected, tolerance = hidden_expectations()[key]
    value = float(recomputed()[key])
    assert abs(value - expected) <= max(tolerance, 1e-9), f"{key}: the hidden test expects {expected}, not {value}"
    assert tolerance <= max(0.5, abs(value) * 0.002), f"{key}: a tolerance of {tolerance} accepts wrong answers"


def test_every_autograded_question_has_a_hidden_expected_number():
    hidden = hidden_expectations()
    for source in sources():
        for question in questions(source):
            if not question["manual"]:
                assert (source.stem, question["name"]) in hidden, (source.stem, question["name"])
    assert set(hidden) == set(recomputed())


def test_each_assignment_has_three_to_six_questions_and_an_open_one_with_a_rubric():
    for source in sources():
        found = questions(source)
        assert 3 <= len(found) <= 6, source.name
        manual = [q for q in found if q["manual"]]
        assert manual and all(q["points"] > 0 for q in found), source.name
        text = source.read_text(encoding="utf-8")
        assert text.count("*Rubric (") == len(manual) and "**Model answer.**" in text, source.name


def test_no_assignment_asks_for_a_number_the_practice_key_gives():
    """The public answer key (after_mosul.exercises) must not answer a graded question."""
    from after_mosul.exercises import TASKS

    practice = []
    for task in TASKS.values():
        values = [task.expected(), *task.figures().values()]
        practice += [float(v) for v in values if isinstance(v, int | float)]
    for key, value in recomputed().items():
        assert all(abs(float(value) - p) > 1e-6 for p in practice), f"{key}: {value} is in the practice answer key"
