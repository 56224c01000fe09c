"""Working days: bank holidays by nation, weekends, local closures, and the counting rules."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage.policy.vocabulary import Nation
from engage.policy.working_days import WorkingCalendar, bank_holidays

D = dt.date
ENGLAND = WorkingCalendar(Nation.ENGLAND)
WALES = WorkingCalendar(Nation.WALES)
SCOTLAND = WorkingCalendar(Nation.SCOTLAND)
NORTHERN_IRELAND = WorkingCalendar(Nation.NORTHERN_IRELAND)


# --- Known dates (gov.uk/bank-holidays) ------------------------------------------------------


def test_scotland_has_the_second_of_january_and_england_does_not():
    assert not SCOTLAND.is_working_day(D(2025, 1, 2))
    assert ENGLAND.is_working_day(D(2025, 1, 2))


def test_scotland_takes_the_monday_when_st_andrews_day_falls_on_a_sunday():
    # 30 November 2025 is a Sunday; the substitute day is Monday 1 December.
    assert not SCOTLAND.is_working_day(D(2025, 12, 1))
    assert WALES.is_working_day(D(2025, 12, 1))


def test_easter_monday_is_a_holiday_in_england_wales_and_northern_ireland_but_not_scotland():
    easter_monday = D(2025, 4, 21)
    assert not ENGLAND.is_working_day(easter_monday)
    assert not WALES.is_working_day(easter_monday)
    assert not NORTHERN_IRELAND.is_working_day(easter_monday)
    assert SCOTLAND.is_working_day(easter_monday)


def test_good_friday_is_a_holiday_everywhere_in_the_uk():
    for calendar in (ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND):
        assert not calendar.is_working_day(D(2025, 4, 18))


def test_summer_bank_holiday_is_early_august_in_scotland_and_late_august_elsewhere():
    assert not SCOTLAND.is_working_day(D(2025, 8, 4))
    assert SCOTLAND.is_working_day(D(2025, 8, 25))
    assert WALES.is_working_day(D(2025, 8, 4))
    assert not WALES.is_working_day(D(2025, 8, 25))


def test_st_patricks_day_is_a_holiday_only_in_northern_ireland():
    assert not NORTHERN_IRELAND.is_working_day(D(2025, 3, 17))
    assert ENGLAND.is_working_day(D(2025, 3, 17))


def test_boxing_day_on_a_saturday_moves_to_the_monday():
    assert not WALES.is_working_day(D(2026, 12, 28))


def test_weekends_are_not_working_days():
    assert not ENGLAND.is_working_day(D(2025, 6, 7))  # Saturday
    assert not ENGLAND.is_working_day(D(2025, 6, 8))  # Sunday
    assert ENGLAND.is_working_day(D(2025, 6, 9))


def test_the_first_working_day_after_christmas_eve_2025_is_the_following_monday():
    assert WALES.add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 29)


def test_new_year_costs_scotland_one_more_working_day_than_england():
    assert ENGLAND.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)
    assert SCOTLAND.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)


def test_a_letter_posted_before_easter_is_deemed_received_a_day_later_in_england_than_in_scotland():
    posted = D(2025, 4, 17)  # Thursday before Good Friday
    assert ENGLAND.deemed_receipt(posted, 2) == D(2025, 4, 23)
    assert SCOTLAND.deemed_receipt(posted, 2) == D(2025, 4, 22)


def test_a_letter_posted_on_monday_is_deemed_received_on_wednesday():
    assert ENGLAND.deemed_receipt(D(2025, 6, 9), 2) == D(2025, 6, 11)


def test_a_local_closure_is_not_a_working_day_and_deadlines_step_over_it():
    council = WorkingCalendar(Nation.WALES, extra_closures=[D(2025, 12, 24)])
    assert not council.is_working_day(D(2025, 12, 24))
    assert WALES.add_working_days(D(2025, 12, 23), 1) == D(2025, 12, 24)
    assert council.add_working_days(D(2025, 12, 23), 1) == D(2025, 12, 29)


def test_zero_working_days_from_a_working_day_is_that_day():
    assert ENGLAND.add_working_days(D(2025, 6, 9), 0) == D(2025, 6, 9)


def test_zero_working_days_from_a_saturday_is_the_monday():
    assert ENGLAND.add_working_days(D(2025, 6, 7), 0) == D(2025, 6, 9)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError, match="zero or more"):
        ENGLAND.add_working_days(D(2025, 6, 9), -1)


def test_working_days_between_monday_and_friday_is_four_and_negative_backwards():
    assert ENGLAND.working_days_between(D(2025, 6, 9), D(2025, 6, 13)) == 4
    assert ENGLAND.working_days_between(D(2025, 6, 13), D(2025, 6, 9)) == -4
    assert ENGLAND.working_days_between(D(2025, 6, 9), D(2025, 6, 9)) == 0


def test_the_next_working_day_after_a_friday_is_the_monday():
    assert ENGLAND.next_working_day(D(2025, 6, 13)) == D(2025, 6, 16)


def test_a_calendar_takes_its_nation_as_text_and_compares_by_value():
    assert WorkingCalendar("scotland", [D(2025, 1, 3)]) == WorkingCalendar(Nation.SCOTLAND, (D(2025, 1, 3),))
    assert hash(WorkingCalendar("scotland")) == hash(SCOTLAND)


def test_a_calendar_cannot_be_changed_after_it_is_made():
    with pytest.raises(AttributeError):
        SCOTLAND.nation = Nation.WALES  # type: ignore[misc]


def test_bank_holidays_are_worked_out_once_per_nation_and_year():
    assert bank_holidays(Nation.SCOTLAND, 2031) is bank_holidays(Nation.SCOTLAND, 2031)
    assert D(2031, 1, 2) in bank_holidays(Nation.SCOTLAND, 2031)


# --- Properties ------------------------------------------------------------------------------

nations = st.sampled_from(list(Nation))
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))
counts = st.integers(min_value=1, max_value=300)


@st.composite
def calendars_and_days(draw: st.DrawFn) -> tuple[WorkingCalendar, dt.date]:
    """A calendar with local closures near the day drawn, where they can change the answer."""
    start = draw(days)
    offsets = draw(st.lists(st.integers(min_value=-5, max_value=60), max_size=8))
    calendar = WorkingCalendar(draw(nations), [start + dt.timedelta(days=o) for o in offsets])
    return calendar, start


@given(calendars_and_days(), counts)
def test_adding_working_days_never_lands_on_a_closed_day(cal_day, n):
    calendar, start = cal_day
    result = calendar.add_working_days(start, n)
    assert calendar.is_working_day(result)
    assert result not in calendar.extra_closures


@given(calendars_and_days(), counts)
def test_n_working_days_take_at_least_n_calendar_days(cal_day, n):
    calendar, start = cal_day
    assert (calendar.add_working_days(start, n) - start).days >= n


@given(calendars_and_days(), st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=30))
def test_a_later_start_never_gives_an_earlier_result(cal_day, n, later_by):
    calendar, start = cal_day
    later = start + dt.timedelta(days=later_by)
    assert calendar.add_working_days(start, n) <= calendar.add_working_days(later, n)


@given(calendars_and_days(), counts)
def test_one_more_working_day_always_gives_a_later_date(cal_day, n):
    calendar, start = cal_day
    assert calendar.add_working_days(start, n) < calendar.add_working_days(start, n + 1)


@given(calendars_and_days())
def test_zero_and_one_working_days_agree_exactly_when_the_start_is_closed(cal_day):
    calendar, start = cal_day
    zero, one = calendar.add_working_days(start, 0), calendar.add_working_days(start, 1)
    assert (zero == one) == (not calendar.is_working_day(start))
    assert zero <= one


@given(calendars_and_days(), counts)
def test_counting_working_days_undoes_adding_them(cal_day, n):
    calendar, start = cal_day
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@given(calendars_and_days())
def test_no_working_day_is_skipped_on_the_way_to_the_next_one(cal_day):
    calendar, start = cal_day
    nxt = calendar.next_working_day(start)
    assert nxt == calendar.add_working_days(start, 1)
    between = (start + dt.timedelta(days=i) for i in range(1, (nxt - start).days))
    assert not any(calendar.is_working_day(d) for d in between)


@given(calendars_and_days(), st.integers(min_value=0, max_value=10))
def test_a_letter_is_never_deemed_received_before_it_is_posted(cal_day, n):
    calendar, posted = cal_day
    received = calendar.deemed_receipt(posted, n)
    assert received >= posted
    assert calendar.is_working_day(received)
