"""The answer key of the exercise notebooks in ``exercises/``.

Each task of an exercise notebook has an id (``"rise_captures"``). This module
says, for every id, which checker of ``after_mosul.checks`` marks it, what the
expected result is and which hints a wrong answer gets. Expected results are
computed here from the shipped data, independently of the notebooks' solution
cells, so the student notebooks hold no solution code and the solution
notebooks prove the two computations agree (their checks all say *Correct*).

In a notebook::

    from after_mosul.exercises import check
    check("rise_captures", captures)     # shows Correct / Not quite / Not answered yet

The key is for practice with immediate feedback, not for secure assessment: a
student who reads this file can see the expected results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .checks import Feedback, _describe, check_choice, check_dataframe, check_number, check_series, wrong
from .data import DataError, load

AVERAGE_MONTH_DAYS = 30.44  # 365.25 / 12
LETTERS = "abcdefg"  # choice tasks are answered with a letter; the set-up cells define a = "a", ...


def _day(stamp) -> str:
    """10 June 2014"""
    stamp = pd.Timestamp(stamp)
    return f"{stamp.day} {stamp:%B %Y}"


def _month(stamp) -> str:
    """June 2014"""
    return f"{pd.Timestamp(stamp):%B %Y}"


def _n(number: float, decimals: int = 0) -> str:
    """A figure as the texts write it: 1,470 or 13.5."""
    return f"{number:,.{decimals}f}"


def _word(count: int) -> str:
    """Small counts in words, as the chapters write them."""
    words = "zero one two three four five six seven eight nine ten".split()
    return words[count] if 0 <= count < len(words) else f"{count:,}"


def _lettered(options: list[str]) -> dict[str, str]:
    return dict(zip(LETTERS, options))


@dataclass(frozen=True)
class Task:
    """One checked task: its checker and a function giving the checker's arguments."""

    task_id: str
    notebook: str
    checker: Callable[..., Feedback]
    spec: Callable[[], dict]

    def check(self, answer: object) -> Feedback:
        spec = self.spec()
        spec.pop("figures", None)
        return self.checker(answer, **spec)

    def figures(self) -> dict[str, float]:
        """Other figures from the data that the task's texts state (tests compare them)."""
        return dict(self.spec().get("figures", {}))

    def expected(self) -> object:
        return self.spec()["expected"]


TASKS: dict[str, Task] = {}


def _task(task_id: str, notebook: str, checker: Callable[..., Feedback]):
    def register(spec: Callable[[], dict]) -> Callable[[], dict]:
        if task_id in TASKS:
            raise ValueError(f"Task id {task_id!r} is defined twice.")
        TASKS[task_id] = Task(task_id, notebook, checker, spec)
        return spec

    return register


def check(task_id: str, answer: object = None) -> Feedback:
    """Feedback on ``answer`` to task ``task_id``; never raises."""
    known = ", ".join(sorted(TASKS))
    if not isinstance(task_id, str):
        return wrong(
            f"The first thing in the brackets of check(...) is the task's name in quotation marks, such as "
            f"check(\"{next(iter(TASKS))}\", answer), but it was {_describe(task_id)}. Tasks are: {known}."
        )
    task = TASKS.get(task_id)
    if task is None:
        return wrong(f"There is no task called {_echo(task_id)}. Check the spelling; tasks are: {known}.")
    try:
        return task.check(answer)
    except DataError as error:  # the course's data folder is missing or damaged
        return wrong(f"The check could not load the course data: {error}")
    except Exception as error:  # noqa: BLE001 - a check must never show a traceback
        return wrong(
            f"The check for {task_id!r} could not run ({type(error).__name__}). Run the set-up cell "
            "at the top of the notebook again; if this message stays, tell your instructor."
        )


def _echo(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters (a 10 MB name is not echoed back)."""
    shown = repr(text)
    return shown if len(shown) <= limit else f"{shown[:limit - 1]}… ({len(text):,} characters)"


def expected(task_id: str) -> object:
    """The expected result of task ``task_id`` (for instructors and tests)."""
    return TASKS[task_id].expected()


def tasks_of(notebook: str) -> list[str]:
    """The ids of the tasks of one exercise notebook, e.g. ``tasks_of("01_rise")``."""
    return [t.task_id for t in TASKS.values() if t.notebook == notebook]


# -- 01_rise ------------------------------------------------------------------

def _captures() -> pd.DataFrame:
    events = load("events")
    rows = events.loc[events["type"] == "captured", ["date", "place_id"]]
    return rows.sort_values("date", kind="stable").reset_index(drop=True)


def _names() -> dict[str, str]:
    places = load("places")
    return dict(zip(places["place_id"], places["name"]))


@_task("rise_captures", "01_rise", check_dataframe)
def _rise_captures() -> dict:
    captures, names = _captures(), _names()
    first, last = captures.iloc[0], captures.iloc[-1]
    return dict(
        expected=captures, columns=["date", "place_id"], key="place_id", check_order=True, only_columns=True,
        hint="Keep the rows whose `type` is exactly 'captured'.",
        explanation=(
            f"The events table records {_word(len(captures))} captures, from {names[first.place_id]} in "
            f"{_month(first.date)} to {names[last.place_id]} in {_month(last.date)}."
        ),
    )


def _months_held(ends: str = "last", month_days: float = AVERAGE_MONTH_DAYS) -> pd.DataFrame:
    events = load("events")
    captured = events[events["type"] == "captured"].groupby("place_id")["date"].min()
    endings = events[events["type"].isin(["retaken", "declaration"])].groupby("place_id")["date"]
    ended = endings.max() if ends == "last" else endings.min()
    table = pd.DataFrame({"captured": captured, "ended": ended}).dropna()
    table["months"] = (table["ended"] - table["captured"]).dt.days / month_days
    return table.rename_axis("place_id").reset_index()


@_task("rise_months_held", "01_rise", check_dataframe)
def _rise_months_held() -> dict:
    held = _months_held().set_index("place_id")["months"]
    top, names = held.sort_values(ascending=False).head(3), _names()
    early = _months_held(ends="first").set_index("place_id")
    events = load("events")
    mosul_end = events.loc[(events["place_id"] == "mosul") & (events["type"] == "declaration"), "date"].max()
    return dict(
        expected=_months_held(), columns=["place_id", "months"], key="place_id", tolerance=0.1,
        figures={"mosul_dam_days": held["mosul_dam"] * AVERAGE_MONTH_DAYS, "month_days": AVERAGE_MONTH_DAYS,
                 "wrong_month_days": 30},
        hint=(
            "For each place, subtract its capture date from the date of its last 'retaken' or "
            "'declaration' event, take `.dt.days` and divide by 30.44."
        ),
        mistakes=[
            (_months_held(ends="first"),
             f"Your Mosul period ends on {_day(early.loc['mosul', 'ended'])}, the recapture of eastern "
             f"Mosul, but the battle ended with the declaration of victory on {_day(mosul_end)}. Keep the "
             "events of both types, `isin([\"retaken\", \"declaration\"])` (a filter on 'retaken' alone "
             "leaves the declaration out), and take each place's latest date with `max()`."),
            (_months_held(month_days=30),
             "Close: you divided by 30. Divide the days by 30.44, the average length of a month."),
        ],
        explanation=(
            f"{names[top.index[0]]} was held for about {_n(top.iloc[0])} months, {names[top.index[1]]} for "
            f"{_n(top.iloc[1])} and {names[top.index[2]]} for {_n(top.iloc[2])}; Tikrit ({_n(held['tikrit'], 1)}) "
            f"and Ramadi ({_n(held['ramadi'], 1)}) were retaken within a year, the Mosul Dam within "
            f"{_n(held['mosul_dam'] * AVERAGE_MONTH_DAYS)} days."
        ),
    )


@_task("rise_longest", "01_rise", check_choice)
def _rise_longest() -> dict:
    table = _months_held().merge(load("places")[["place_id", "name"]], on="place_id")
    options = _lettered(sorted(table["name"]))
    longest = table.sort_values("months").iloc[-1]
    months = table.set_index("name")["months"]
    letter = next(k for k, v in options.items() if v == longest["name"])
    return dict(
        options=options, expected=letter, figures={"months": longest["months"], "mosul_months": months["Mosul"]},
        hints={
            "Fallujah": "Fallujah was the first city captured, but not the one held longest: compare the "
                "months column.",
            "Tikrit": "Tikrit was retaken in April 2015, less than a year after it fell.",
            "Ramadi": "Ramadi fell in May 2015 and its centre was retaken in December 2015.",
            "Mosul Dam": "The dam was retaken within days, with US air support.",
            "Mosul": f"Mosul was held for about {_n(months['Mosul'])} months. Was any place, in Iraq or in "
                "Syria, held longer?",
        },
        explanation=(
            f"{longest['name']}: captured on {_day(longest['captured'])} and retaken on "
            f"{_day(longest['ended'])}, about {_n(longest['months'])} months later."
        ),
    )


def _percent_lost(remaining: bool = False) -> float:
    areas = load("territory").dropna(subset=["area_km2"]).sort_values("estimate_date", kind="stable")
    share_left = areas["area_km2"].iloc[-1] / areas["area_km2"].iloc[0]
    return float(100 * share_left) if remaining else float(100 * (1 - share_left))


@_task("rise_percent_lost", "01_rise", check_number)
def _rise_percent_lost() -> dict:
    areas = load("territory").dropna(subset=["area_km2"]).sort_values("estimate_date", kind="stable")
    first, last = areas.iloc[0], areas.iloc[-1]
    return dict(
        expected=_percent_lost(), decimals=0, unit="%", percent=True,
        figures={"first_km2": first.area_km2, "last_km2": last.area_km2},
        mistakes=[(_percent_lost(remaining=True),
                   "That is the share the group still held. The task asks for the share it had lost: 100 minus it.")],
        hint="Divide the last area by the first one, subtract the result from 1 and multiply by 100.",
        explanation=(
            f"IHS Markit's series falls from {_n(first.area_km2)} km² ({_month(first.estimate_date)}) to "
            f"{_n(last.area_km2)} km² ({_day(last.estimate_date)}), a loss of {_n(_percent_lost(), 1)} "
            "percent: the “more than 60 percent” the article quotes."
        ),
    )


# -- 02_mosul -----------------------------------------------------------------

@_task("mosul_events_per_phase", "02_mosul", check_series)
def _mosul_events_per_phase() -> dict:
    return dict(
        expected=load("events")["phase"].value_counts(),
        hint="Count the rows of each value of the `phase` column; `value_counts()` does it in one step.",
        explanation=(
            "The rise has the most events in the table; the nine-month battle for Mosul has as many as "
            "the twenty months of retreat that followed. A count of rows shows what the table's "
            "compilers chose to record, not how much happened."
        ),
    )


def _battle() -> pd.DataFrame:
    events = load("events")
    return events[events["phase"] == "mosul_battle"]


@_task("mosul_battle_days", "02_mosul", check_number)
def _mosul_battle_days() -> dict:
    battle = _battle()
    return dict(
        expected=float((battle["date"].max() - battle["date"].min()).days), tolerance=1, unit=" days",
        hint="Subtract the earliest date of the battle rows from the latest and take `.days`.",
        explanation=(
            f"From the start of the offensive on {_day(battle['date'].min())} to the declaration of victory on "
            f"{_day(battle['date'].max())}: almost nine months."
        ),
    )


WEST_MOSUL_OFFENSIVE = pd.Timestamp("2017-02-19")


@_task("mosul_west_events", "02_mosul", check_number)
def _mosul_west_events() -> dict:
    battle = _battle()
    west = int((battle["date"] >= WEST_MOSUL_OFFENSIVE).sum())
    return dict(
        expected=float((battle["date"] >= WEST_MOSUL_OFFENSIVE).sum()),
        mistakes=[(float((battle["date"] > WEST_MOSUL_OFFENSIVE).sum()),
                   "Close: you left out the day the offensive began. Use `>=` (on or after), not `>`.")],
        hint="Compare the `date` column of the battle rows with `pd.Timestamp('2017-02-19')` and add up the "
             "True values with `.sum()`.",
        explanation=(
            f"{_word(west).capitalize()} of the battle's {_word(len(battle))} events in the table fall in the "
            "fight for western Mosul, "
            "including the al-Jadida air strike and the destruction of the al-Nuri mosque."
        ),
    )


@_task("mosul_best_source", "02_mosul", check_choice)
def _mosul_best_source() -> dict:
    options = {
        "a": "The article's “hundreds of Iraqi civilian lives” (¶1)",
        "b": "The 326 civilian deaths the coalition acknowledged",
        "c": "The Associated Press investigation: 9,000 to 11,000 civilians killed",
    }
    return dict(
        options=options, expected="c",
        hints={
            "a": "The article gives no source for its figure, and by July 2017 Amnesty International and "
                "others had already published higher ones (chapter 2).",
            "b": "The coalition's figure counts only the deaths from its own strikes that it had acknowledged.",
        },
        explanation=(
            "The AP investigation (20 December 2017) compared a Mosul morgue list of 9,606 names with "
            "the records of Airwars, Amnesty International, Iraq Body Count and the UN, and says "
            "how it counted. It is still an estimate, and a range."
        ),
    )


# -- 03_finances --------------------------------------------------------------

def _rank_2015(include_total: bool = False) -> pd.Series:
    revenue = load("revenue")
    rows = revenue[(revenue["year"] == 2015) & (revenue["period"] == "annual")]
    if not include_total:
        rows = rows[rows["revenue_source"] != "total"]
    ranked = rows.groupby("revenue_source")["high_usd_millions"].max().sort_values(ascending=False, kind="stable")
    ranked.index = ranked.index.astype(str)
    return ranked


@_task("finances_rank_2015", "03_finances", check_series)
def _finances_rank_2015() -> dict:
    ranked = _rank_2015()
    revenue = load("revenue")
    publisher = {
        r.revenue_source: r.publisher
        for r in revenue[(revenue["year"] == 2015) & (revenue["period"] == "annual")].itertuples()
    }
    first, second = ranked.index[0], ranked.index[1]
    return dict(
        expected=ranked, check_order=True,
        mistakes=[(_rank_2015(include_total=True),
                   "Leave out the rows whose revenue_source is 'total': the task ranks single sources of money.")],
        hint=(
            "Keep the 2015 rows with period 'annual' and a revenue_source other than 'total', group by "
            "revenue_source, take the largest `high_usd_millions` and sort from largest to smallest."
        ),
        explanation=(
            f"{first.replace('_', ' and ').capitalize()} comes first (${_n(ranked[first])} million, "
            f"{publisher[first]}), "
            f"then {second} (${_n(ranked[second])} million, {publisher[second]}): the order ICSR and IHS give in "
            "chapter 3. The two figures come from different publishers, so the ranking compares "
            "estimates, not accounts."
        ),
    )


def _annual_totals_2015(convert: bool = True) -> pd.Series:
    revenue = load("revenue")
    totals = revenue[(revenue["year"] == 2015) & (revenue["revenue_source"] == "total")]
    factor = totals["period"].map({"annual": 1, "monthly_average": 12 if convert else 1}).astype(float)
    return totals["high_usd_millions"] * factor


@_task("finances_spread_2015", "03_finances", check_number)
def _finances_spread_2015() -> dict:
    annual = _annual_totals_2015()
    raw = _annual_totals_2015(convert=False)
    lowest = raw[annual.idxmin()]
    return dict(
        expected=float(annual.max() / annual.min()), decimals=1,
        figures={"highest": annual.max(), "lowest_monthly": lowest, "lowest_yearly": annual.min(), "months": 12},
        mistakes=[(float(raw.max() / raw.min()),
                   "Some rows are monthly averages. Multiply them by 12 before comparing them with yearly totals.")],
        hint="Convert the monthly rows to a year (× 12), then divide the largest yearly total by the smallest.",
        explanation=(
            f"The highest estimate of 2015 revenue (CAT, ${_n(annual.max() / 1000, 1)} billion) is "
            f"{_n(annual.max() / annual.min(), 1)} times the lowest (IHS, ${_n(lowest)} million a month, about "
            f"${_n(annual.min())} million a year). Quote the range and both sources; do not average them."
        ),
    )


GLASER_2016 = "treasury_2016_06_09_glaser_testimony"


def _oil_share(total_source: str = GLASER_2016) -> float:
    revenue = load("revenue")
    rows = revenue[revenue["year"] == 2015]
    oil = rows.loc[(rows["source"] == GLASER_2016) & (rows["revenue_source"] == "oil"), "high_usd_millions"].iloc[0]
    is_total = (rows["source"] == total_source) & (rows["revenue_source"] == "total")
    total = rows.loc[is_total, "high_usd_millions"].iloc[0]
    return float(100 * oil / total)


def _glaser_2015(revenue_source: str) -> float:
    revenue = load("revenue")
    rows = revenue[(revenue["year"] == 2015) & (revenue["source"] == GLASER_2016)]
    return float(rows.loc[rows["revenue_source"] == revenue_source, "high_usd_millions"].iloc[0])


def _ihs_oil_share() -> float:
    """IHS's share of oil in revenue (release of 18 April 2016), from the note of its row."""
    revenue = load("revenue")
    note = revenue.loc[revenue["source"] == "ihs_2016_04_18_revenue_drop", "note"].str.extract(r"~(\d+)% oil")[0]
    return float(note.dropna().iloc[0])


@_task("finances_oil_share", "03_finances", check_number)
def _finances_oil_share() -> dict:
    return dict(
        expected=_oil_share(), decimals=0, unit="%", percent=True,
        figures={"oil": _glaser_2015("oil"), "total": _glaser_2015("total"), "ihs_oil_share": _ihs_oil_share(),
                 "cat_total": float(100 * _glaser_2015("oil") / _oil_share("cat_2016_isis_financing_2015"))},
        mistakes=[(_oil_share("cat_2016_isis_financing_2015"),
                   "You divided by the CAT's total of $2.4 billion. Take the oil figure and the total from "
                   "the same testimony, so that both were estimated the same way.")],
        hint="Divide the 2015 oil row of Glaser's testimony by the 2015 total row of the same testimony, and "
             "multiply by 100.",
        explanation=(
            f"{_n(_oil_share())} percent: ${_n(_glaser_2015('oil'))} million of about "
            f"${_n(_glaser_2015('total') / 1000)} "
            "billion, on the US Treasury's estimate for 2015. IHS put "
            f"oil at about {_n(_ihs_oil_share())} percent of revenue in early 2016 (CNBC, 18 April 2016): "
            "another publisher "
            "and period, but the same picture of oil as one of two main sources, next to taxes."
        ),
    )


# -- 04_desert ----------------------------------------------------------------

def _attacks() -> pd.DataFrame:
    after = load("after_2017")
    return after[after["measure"] == "attacks_in_iraq"]


def _attacks_in_year(year: int, whole_year: bool = True) -> float:
    attacks = _attacks()
    start = attacks["period_start"] == pd.Timestamp(f"{year}-01-01")
    end = attacks["period_end"] == pd.Timestamp(f"{year}-12-31")
    rows = attacks[start & end] if whole_year else attacks[start & ~end]
    return float(rows["value_low"].iloc[0])


@_task("desert_change_2019", "04_desert", check_number)
def _desert_change_2019() -> dict:
    y2018, y2019 = _attacks_in_year(2018), _attacks_in_year(2019)
    partial = _attacks_in_year(2018, whole_year=False)
    return dict(
        expected=100 * (y2019 - y2018) / y2018, decimals=0, unit="%", percent=True,
        figures={"2018": y2018, "2019": y2019},
        mistakes=[(100 * (y2019 - partial) / partial,
                   "You used the count for January to October 2018 only. Compare whole years: the 2018 row "
                   "that ends on 31 December.")],
        hint="Take the two rows that cover a whole year (1 January to 31 December), then (2019 − 2018) / 2018 × 100.",
        explanation=(
            f"Attacks rose by about {_n(100 * (y2019 - y2018) / y2018)} percent, from {_n(y2018)} in 2018 to "
            f"{_n(y2019)} in 2019, in the dataset of Knights and Almeida (CTC Sentinel, May 2020), who say "
            "activity was back at its 2012 level."
        ),
    )


def _rates(inclusive: bool = True) -> pd.DataFrame:
    attacks = _attacks()
    days = (attacks["period_end"] - attacks["period_start"]).dt.days + (1 if inclusive else 0)
    return attacks.assign(per_day=attacks["value_low"] / days)


@_task("desert_per_day", "04_desert", check_dataframe)
def _desert_per_day() -> dict:
    rates = _rates().sort_values("period_start", kind="stable")["per_day"]
    return dict(
        expected=_rates(), columns=["period_start", "period_end", "per_day"], tolerance=0.01,
        mistakes=[(_rates(inclusive=False),
                   "Almost: count both the first and the last day of each period. Add 1 to the difference in days.")],
        hint="Days in a period: `(period_end - period_start).dt.days + 1`; attacks per day: `value_low` "
             "divided by those days.",
        explanation=(
            f"Per day, the periods compare fairly: between {_n(rates.iloc[:3].min(), 1)} and "
            f"{_n(rates.iloc[:3].max(), 1)} attacks a day in 2018 and 2019, {_n(rates.max(), 1)} in the second "
            "quarter of 2020, then fewer again."
        ),
    )


@_task("desert_peak", "04_desert", check_choice)
def _desert_peak() -> dict:
    rates = _rates().sort_values("period_start", kind="stable")
    labels = {
        ("2018-01-01", "2018-10-31"): "January–October 2018",
        ("2018-01-01", "2018-12-31"): "2018",
        ("2019-01-01", "2019-12-31"): "2019",
        ("2020-01-01", "2020-03-31"): "January–March 2020",
        ("2020-04-01", "2020-06-30"): "April–June 2020",
        ("2020-07-01", "2020-09-30"): "July–September 2020",
    }
    keys = [(r.period_start.strftime("%Y-%m-%d"), r.period_end.strftime("%Y-%m-%d")) for r in rates.itertuples()]
    options = _lettered([labels.get(k, f"{k[0]} to {k[1]}") for k in keys])
    peak = LETTERS[int(rates["per_day"].to_numpy().argmax())]
    return dict(
        options=options, expected=peak, figures={"peak_per_day": float(rates["per_day"].max())},
        hints={o: "Compare the per_day column, not the raw counts: periods have different lengths." for o in options},
        explanation=(
            f"{options[peak]} had the most attacks per day in this series, {_n(rates['per_day'].max(), 1)}; "
            "Knights and Almeida (CTC Sentinel, January 2022) call it the peak before activity fell to its "
            "lowest point since 2003."
        ),
    )


def _un_rows() -> pd.DataFrame:
    after = load("after_2017")
    un = after[(after["measure"] == "fighters_in_iraq_and_syria") & after["publisher"].str.contains("Monitoring Team")]
    return un.sort_values("period_start", kind="stable")


def _un_fall(last_column: str = "value_high") -> float:
    """The smallest fall the two ranges allow (chapter 4): low early estimate against high late one."""
    un = _un_rows()
    first, last = un["value_low"].iloc[0], un[last_column].iloc[-1]
    return float(100 * (first - last) / first)


@_task("desert_un_fall", "04_desert", check_number)
def _desert_un_fall() -> dict:
    un = _un_rows()
    return dict(
        expected=_un_fall(), decimals=0, unit="%", percent=True,
        figures={f"{end}_{column}": float(un[column].iloc[i]) for end, i in (("first", 0), ("last", -1))
                 for column in ("value_low", "value_high")},
        mistakes=[(_un_fall("value_low"),
                   "That compares the low estimate both times. Both estimates are ranges: to find the fall "
                   "that holds whatever the true values, compare the first `value_low` with the last "
                   "`value_high`.")],
        hint="Keep the fighters rows published by the UN Monitoring Team; compare the first `value_low` with "
             "the last `value_high`.",
        explanation=(
            f"The UN Monitoring Team's estimate fell from {_n(un['value_low'].iloc[0])}–{_n(un['value_high'].iloc[0])} "
            f"members (July 2018) to {_n(un['value_low'].iloc[-1])}–{_n(un['value_high'].iloc[-1])} (mid-2023): "
            f"by at least {_n(_un_fall())} percent, whatever the true values inside the ranges. Chapter 4 makes "
            "the same cautious comparison."
        ),
    )


# -- 05_ideology --------------------------------------------------------------

def _soufan(source: str) -> pd.Series:
    fighters = load("foreign_fighters")
    rows = fighters[fighters["source"] == source].set_index("country")["fighters_low"]
    rows.index = rows.index.astype(str)
    return rows


SOUFAN_2015 = "soufan_2015_foreign_fighters_update"
SOUFAN_2017 = "soufan_2017_beyond_the_caliphate"


@_task("ideology_change", "05_ideology", check_series)
def _ideology_change() -> dict:
    change = (_soufan(SOUFAN_2017) - _soufan(SOUFAN_2015)).dropna()
    fell = change[change < 0]
    return dict(
        expected=change,
        hint=(
            "Make one Series per report (country as index, fighters_low as values), subtract the 2015 one "
            "from the 2017 one, and keep only countries in both reports with `.dropna()`."
        ),
        explanation=(
            f"Most estimates rose between the two reports; {', '.join(fell.index)}'s fell by {_n(-fell.sum())}: "
            "read the note in its row to see why. The reports also count different things: the 2015 figures "
            "include all groups, the 2017 figures those who joined ISIS."
        ),
    )


@_task("ideology_tunisia", "05_ideology", check_choice)
def _ideology_tunisia() -> dict:
    options = {
        "a": "Fewer Tunisians travelled to Iraq and Syria after 2015.",
        "b": "The Tunisian government revised its estimate downwards.",
        "c": "The 2017 report counts only the fighters who came back.",
    }
    fighters = load("foreign_fighters")
    note = fighters.loc[(fighters["country"] == "Tunisia") & (fighters["source"] == SOUFAN_2017), "note"].iloc[0]
    revised = [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", note.split("revised", 1)[1])[:2]]
    return dict(
        options=options, expected="b",
        figures={"revised_from": revised[0], "revised_to": revised[1],
                 "returned": float(re.search(r"about (\d+) returned", note).group(1))},
        hints={
            "a": "A later count cannot be lower than an earlier one because fewer people travelled later: "
                "people who left before 2015 had still left. Read the row's note.",
            "c": "The 2017 report counts those who travelled; returnees are a separate figure (about 800 for "
                "Tunisia). Read the row's note.",
        },
        explanation=(
            f"The note in the 2017 row says the Tunisian government revised its estimate down from {_n(revised[0])} "
            f"to under {_n(revised[1])}. A change between two estimates can come from the counting, not from the world."
        ),
    )


SOUFAN_2017_TOTAL = 40_000  # "more than 40,000" from 110 countries (The Soufan Center, Oct 2017)
SOUFAN_2017_COUNTRIES = 110


def _soufan_2017_count() -> int:
    return int(_soufan(SOUFAN_2017).size)


def _share_2017(rows: str = "2017") -> float:
    fighters = load("foreign_fighters")
    chosen = fighters if rows == "all" else fighters[fighters["source"] == SOUFAN_2017]
    return float(100 * chosen["fighters_low"].sum() / SOUFAN_2017_TOTAL)


@_task("ideology_share_2017", "05_ideology", check_number)
def _ideology_share_2017() -> dict:
    return dict(
        expected=_share_2017(), decimals=0, unit="%", percent=True,
        figures={"total": SOUFAN_2017_TOTAL, "countries": SOUFAN_2017_COUNTRIES,
                 "in_table": _soufan_2017_count(), "not_in_table": SOUFAN_2017_COUNTRIES - _soufan_2017_count(),
                 "sum": float(_soufan(SOUFAN_2017).sum())},
        mistakes=[(_share_2017("all"),
                   "You added up every row of the table, from three reports. Keep only the rows of the 2017 "
                   "Soufan Center report (its source key is soufan_2017_beyond_the_caliphate).")],
        hint="Add up fighters_low over the 2017 report's rows, divide by 40,000 and multiply by 100.",
        explanation=(
            f"The {_word(_soufan_2017_count())} countries in our table account for about {_n(_share_2017())} "
            "percent of "
            f"the “more than {_n(SOUFAN_2017_TOTAL)}” in the Soufan Center's report; the other "
            f"{SOUFAN_2017_COUNTRIES - _soufan_2017_count()} countries for the rest."
        ),
    )


@_task("ideology_bound", "05_ideology", check_choice)
def _ideology_bound() -> dict:
    options = {
        "a": "A lower bound: the true share is at least this large.",
        "b": "An upper bound: the true share is at most this large.",
        "c": "The exact share.",
    }
    return dict(
        options=options, expected="b",
        hints={
            "a": "The report says “more than 40,000”. If the total is larger, what happens to a share "
                "computed by dividing by it?",
            "c": "The report's total is not exact: it says “more than 40,000”.",
        },
        explanation=(
            "The total was “more than 40,000”, so dividing by 40,000 gives the largest the share can be "
            "(if the country figures are right: they are estimates too)."
        ),
    )


__all__ = ["TASKS", "Task", "check", "expected", "tasks_of"]
