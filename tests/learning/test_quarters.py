"""The quarter every management figure is counted in: where it starts and ends, which one came before, and a
clear Dutch refusal of a period that is not a quarter."""

from datetime import date

import pytest

from casebook.errors import Invalid
from learning.quarters import Quarter


@pytest.mark.parametrize(
    ("label", "first", "last"),
    [
        ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2025-Q2", date(2025, 4, 1), date(2025, 6, 30)),
        ("2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
    ],
)
def test_a_quarter_runs_from_its_first_to_its_last_day(label, first, last):
    quarter = Quarter.parse(label)
    assert (quarter.first_day, quarter.last_day, quarter.label) == (first, last, label)
    assert Quarter.of(first) == Quarter.of(last) == quarter


def test_the_report_of_january_is_about_the_last_quarter_of_the_year_before():
    assert Quarter.of(date(2026, 1, 15)).previous().label == "2025-Q4"
    assert Quarter.of(date(2026, 5, 2)).previous().label == "2026-Q1"


def test_stored_periods_sort_like_the_quarters_and_come_back_unchanged():
    quarters = [Quarter(2024, 4), Quarter(2025, 1), Quarter(2025, 2)]
    periods = [quarter.period for quarter in quarters]
    assert periods == sorted(periods) and len(set(periods)) == 3
    assert [Quarter.from_period(period) for period in periods] == quarters


@pytest.mark.parametrize("label", ["2025-Q5", "2025-Q0", "Q2-2025", "2025", "", "2025-Q2; drop"])
def test_a_period_that_is_not_a_quarter_is_refused_in_dutch(label):
    with pytest.raises(Invalid, match="geef een kwartaal als 2025-Q2"):
        Quarter.parse(label)
