"""Working-day arithmetic for policy deadlines: UK bank holidays by nation, weekends, local closures."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

import holidays

from engage.policy.vocabulary import Nation

__all__ = ["WorkingCalendar", "bank_holidays"]

_SUBDIVISION = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}

_ONE_DAY = dt.timedelta(days=1)


@functools.cache
def bank_holidays(nation: Nation, year: int) -> frozenset[dt.date]:
    """The bank holidays of `nation` in `year`, including substitute days and one-off holidays.

    Cached per (nation, year): building a `holidays` calendar costs far more than a set lookup, and
    deadlines are computed on hot paths (every letter, every appeal, every task list).
    """
    calendar = holidays.country_holidays("GB", subdiv=_SUBDIVISION[Nation(nation)], years=year)
    return frozenset(calendar)


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days an organisation works: Monday to Friday, less its nation's bank holidays and
    any local closures (e.g. a council's extra day at Christmas).

    Counting convention, used by every method: "n working days after d" counts the working days
    strictly after `d`, so the first working day after a Friday is normally the Monday.
    """

    nation: Nation
    extra_closures: frozenset[dt.date] = field(default_factory=frozenset)

    def __init__(self, nation: Nation | str, extra_closures: Iterable[dt.date] = ()) -> None:
        # Accept any iterable, store a frozenset: the calendar stays hashable and immutable.
        object.__setattr__(self, "nation", Nation(nation))
        object.__setattr__(self, "extra_closures", frozenset(extra_closures))

    def is_working_day(self, d: dt.date) -> bool:
        if d.weekday() >= 5:
            return False
        if d in self.extra_closures:
            return False
        return d not in bank_holidays(self.nation, d.year)

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after `d` (whether or not `d` itself is one)."""
        d += _ONE_DAY
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The `n`th working day after `start`.

        `n == 0` gives `start` itself when it is a working day, otherwise the next working day: the
        day something "received" on a Saturday is treated as received. Hence `add_working_days(d, 0)`
        equals `add_working_days(d, 1)` exactly when `d` is not a working day; from `n == 1` on the
        result is strictly increasing in `n`.
        """
        if n < 0:
            raise ValueError(f"n must be zero or more, not {n}")
        if n == 0:
            return start if self.is_working_day(start) else self.next_working_day(start)
        d = start
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """How many working days fall after `a` up to and including `b` (negative when `b` < `a`).

        The inverse of `add_working_days`: for n >= 1, `working_days_between(d, add_working_days(d, n))`
        is `n`.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a + _ONE_DAY
        while d <= b:
            if self.is_working_day(d):
                count += 1
            d += _ONE_DAY
        return count

    def deemed_receipt(self, posted_on: dt.date, working_days: int) -> dt.date:
        """When a posted letter is treated as received: the `working_days`th working day after posting
        (e.g. 2 for "the second working day after posting"; 0 for "the day it is posted", moved to the
        next working day when posted on a closed day)."""
        return self.add_working_days(posted_on, working_days)
