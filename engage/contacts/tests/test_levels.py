"""Levels of contact as pure counting: windows at their edges, minutes, the scatter gun (003 §6.3)."""

from __future__ import annotations

import datetime as dt

from engage.contacts.levels import Past, Thresholds, over

T = dt.datetime(2026, 3, 9, 10, 0, tzinfo=dt.UTC)
HOURLY = Thresholds(calls_per_hour=2)


def _calls(*minutes: int, seconds: int = 60) -> list[Past]:
    return [Past("phone", T + dt.timedelta(minutes=m), seconds) for m in minutes]


def test_three_calls_within_an_hour_are_over_two_an_hour():
    [hit] = over(_calls(0, 30, 59), [T + dt.timedelta(minutes=59)], HOURLY)
    assert (hit.rule, hit.value, hit.threshold) == ("calls_per_hour", 3, 2)
    assert (hit.window_start, hit.window_end) == (T - dt.timedelta(minutes=1), T + dt.timedelta(minutes=59))


def test_a_call_exactly_an_hour_before_is_outside_the_window():
    """Windows are (end - 1 hour, end]: 10:00, 10:30 and 11:00 are never three in an hour."""
    assert over(_calls(0, 30, 60), [T + dt.timedelta(minutes=60)], HOURLY) == []


def test_only_windows_ending_at_new_events_are_counted():
    history = _calls(0, 10, 20, 300)
    assert over(history, [T + dt.timedelta(minutes=300)], HOURLY) == []
    assert over(history, [T + dt.timedelta(minutes=20)], HOURLY)[0].value == 3


def test_minutes_on_the_phone_in_a_week():
    """003 §6.3: "Repeatedly makes long telephone calls to us"."""
    history = [Past("phone", T + dt.timedelta(days=d), 45 * 60) for d in range(5)]
    [hit] = over(history, [T + dt.timedelta(days=4)], Thresholds(call_minutes_per_week=180))
    assert (hit.rule, hit.value) == ("call_minutes_per_week", 225)


def test_outbound_and_other_channels_are_not_calls():
    history = [Past("email", T + dt.timedelta(minutes=m), 0, "a") for m in range(5)]
    assert over(history, [T + dt.timedelta(minutes=4)], HOURLY) == []


def test_the_same_email_to_more_staff_than_allowed_is_a_scatter_gun():
    people = ["Ffion", "Dafydd", "ffion", "Siân"]
    history = [Past("email", T + dt.timedelta(seconds=i), 0, who) for i, who in enumerate(people)]
    [hit] = over(history, [T + dt.timedelta(seconds=3)], Thresholds(email_recipients=2))
    assert (hit.rule, hit.value) == ("email_recipients", 3)  # Ffion twice is one person
    later = Past("email", T + dt.timedelta(minutes=30), 0, "Gwen")
    assert over([*history, later], [later.at], Thresholds(email_recipients=2)) == []


def test_no_thresholds_no_items():
    assert over(_calls(*range(50)), [T + dt.timedelta(minutes=49)], Thresholds()) == []
