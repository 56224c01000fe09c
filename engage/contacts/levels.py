"""Levels of contact: when a customer's calls or emails go over the organisation's thresholds, an
item for a manager, never a restriction.

003 §6.3 "Levels of contact" names the signs: "Makes a number of calls in one hour, one day or
one week", "Repeatedly makes long telephone calls to us", "An email is sent to numerous members
of staff ... (scatter gun approach)"; 004 "Unreasonable demands and persistence": "Excessive
telephone calls, emails or letters". Whether any of that is unacceptable, and what follows, is a
person's decision under the policy: this module only points at the numbers.

`over` is pure: from a customer's recent events and the new ones, the highest count in any
window ending at a new event. Counting windows that end at events finds the busiest window of
all (a busiest window can always be slid to end at its last event), and only windows ending
at new events need counting: older ones were counted when their events arrived.

Counted: calls FROM the customer (inbound phone events), their minutes, and for emails, how
many different members of staff (`handler`) received an email from them within
`SAME_EMAIL_WITHIN` (a mail log writes one line per recipient of the same email).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from engage.audit.services import audit_record
from engage.contacts.models import ContactEvent, ContactLevelSettings, LevelsFlag, months_between
from engage.organisations.models import Organisation

__all__ = ["Hit", "NewEvent", "Past", "Thresholds", "evaluate", "over", "thresholds_for"]

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)
SAME_EMAIL_WITHIN = dt.timedelta(minutes=10)
# Events older than this (before now) are stored but not evaluated: a backfill of last year's
# logs should not fill this week's work with last year's numbers.
LEVELS_HORIZON = WEEK
_CHUNK = 500


@dataclass(frozen=True)
class Thresholds:
    calls_per_hour: int | None = None
    calls_per_day: int | None = None
    calls_per_week: int | None = None
    call_minutes_per_week: int | None = None
    email_recipients: int | None = None

    @property
    def any(self) -> bool:
        return any(
            v is not None
            for v in (
                self.calls_per_hour,
                self.calls_per_day,
                self.calls_per_week,
                self.call_minutes_per_week,
                self.email_recipients,
            )
        )


@dataclass(frozen=True)
class Past:
    """One of the customer's inbound events, as the window counts see it."""

    channel: str
    at: dt.datetime
    seconds: int = 0
    handler: str = ""


@dataclass(frozen=True)
class NewEvent:
    customer_id: int
    channel: str
    direction: str
    at: dt.datetime
    seconds: int = 0
    handler: str = ""


@dataclass(frozen=True)
class Hit:
    rule: str
    value: int
    threshold: int
    window_start: dt.datetime
    window_end: dt.datetime


def thresholds_for(organisation: Organisation) -> Thresholds:
    """The organisation's thresholds, or the defaults of `ContactLevelSettings` if none are saved."""
    saved = ContactLevelSettings.objects.filter(organisation=organisation).first()
    row = saved or ContactLevelSettings(organisation=organisation)
    return Thresholds(
        row.calls_per_hour,
        row.calls_per_day,
        row.calls_per_week,
        row.call_minutes_per_week,
        row.email_recipients,
    )


def over(history: Iterable[Past], new: Iterable[dt.datetime], thresholds: Thresholds) -> list[Hit]:
    """Each threshold gone over in a window ending at one of the `new` times (which are also in
    `history`), with the highest value seen. Windows are (end - length, end]."""
    events = sorted(history, key=lambda p: p.at)
    calls = [p for p in events if p.channel == "phone"]
    call_times = [p.at for p in calls]
    emails = [p for p in events if p.channel == "email" and p.handler]
    email_times = [p.at for p in emails]
    # Running totals of call seconds, so a week's minutes are one subtraction.
    totals = [0]
    for p in calls:
        totals.append(totals[-1] + p.seconds)
    best: dict[str, Hit] = {}

    def consider(rule: str, value: int, threshold: int | None, start: dt.datetime, end: dt.datetime) -> None:
        if threshold is None or value <= threshold:
            return
        if rule not in best or value > best[rule].value:
            best[rule] = Hit(rule, value, threshold, start, end)

    for end in sorted(set(new)):
        last = bisect.bisect_right(call_times, end)
        for rule, length, threshold in (
            (LevelsFlag.Rule.CALLS_PER_HOUR, HOUR, thresholds.calls_per_hour),
            (LevelsFlag.Rule.CALLS_PER_DAY, DAY, thresholds.calls_per_day),
            (LevelsFlag.Rule.CALLS_PER_WEEK, WEEK, thresholds.calls_per_week),
        ):
            first = bisect.bisect_right(call_times, end - length)
            consider(rule, last - first, threshold, end - length, end)
        first = bisect.bisect_right(call_times, end - WEEK)
        minutes = (totals[last] - totals[first]) // 60
        consider(
            LevelsFlag.Rule.CALL_MINUTES_PER_WEEK, minutes, thresholds.call_minutes_per_week, end - WEEK, end
        )
        lo = bisect.bisect_right(email_times, end - SAME_EMAIL_WITHIN)
        hi = bisect.bisect_right(email_times, end)
        recipients = len({p.handler.casefold() for p in emails[lo:hi]})
        consider(
            LevelsFlag.Rule.EMAIL_RECIPIENTS,
            recipients,
            thresholds.email_recipients,
            end - SAME_EMAIL_WITHIN,
            end,
        )
    return [best[r] for r in LevelsFlag.Rule.values if r in best]


def evaluate(
    organisation: Organisation,
    thresholds: Thresholds,
    events: Sequence[NewEvent],
    *,
    now: dt.datetime,
    actor: Any = None,
) -> int:
    """Evaluate the customers of newly stored events; raise or update flags. How many were raised.

    One indexed query per 500 customers reads their last week of inbound calls and emails.
    """
    horizon = now - LEVELS_HORIZON
    new: dict[int, list[dt.datetime]] = defaultdict(list)
    for e in events:
        if (
            e.direction == ContactEvent.Direction.INBOUND
            and e.channel in ("phone", "email")
            and e.at >= horizon
        ):
            new[e.customer_id].append(e.at)
    if not new:
        return 0
    earliest = min(min(times) for times in new.values()) - WEEK
    latest = max(max(times) for times in new.values())
    history: dict[int, list[Past]] = defaultdict(list)
    ids = sorted(new)
    for start in range(0, len(ids), _CHUNK):
        for customer_id, past in _history(ids[start : start + _CHUNK], earliest, latest):
            history[customer_id].append(past)
    hits = {customer_id: over(history[customer_id], times, thresholds) for customer_id, times in new.items()}
    hits = {c: h for c, h in hits.items() if h}
    return _flag(organisation, hits, actor) if hits else 0


def history_statement(
    customer_ids: list[int], earliest: dt.datetime, latest: dt.datetime
) -> tuple[str, list[Any]]:
    """The customers' inbound calls and emails from `earliest` to `latest`: one probe of the index
    (month, customer, started_at, key) a month and customer."""
    q = connection.ops.quote_name
    table = q(ContactEvent._meta.db_table)
    months = months_between(earliest, latest)
    sql = (
        f"SELECT {q('customer_id')}, {q('channel')}, {q('started_at')}, {q('duration_seconds')}, {q('handler')} "  # noqa: S608
        f"FROM {table} WHERE {q('month')} IN ({', '.join(['%s'] * len(months))}) "
        f"AND {q('customer_id')} IN ({', '.join(['%s'] * len(customer_ids))}) "
        f"AND {q('started_at')} >= %s AND {q('started_at')} <= %s "
        f"AND {q('direction')} = 'inbound' AND {q('channel')} IN ('phone', 'email')"
    )
    adapt = connection.ops.adapt_datetimefield_value
    return sql, [*months, *customer_ids, adapt(earliest), adapt(latest)]


def _history(customer_ids: list[int], earliest: dt.datetime, latest: dt.datetime) -> list[tuple[int, Past]]:
    with connection.cursor() as cursor:
        cursor.execute(*history_statement(customer_ids, earliest, latest))
        rows = cursor.fetchall()
    return [
        (c, Past(channel, _aware(at), seconds or 0, handler or ""))
        for c, channel, at, seconds, handler in rows
    ]


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _flag(organisation: Organisation, hits: dict[int, list[Hit]], actor: Any) -> int:
    """One open flag per customer and rule: a new one, or the open one raised to the new value."""
    open_flags = {
        (f.customer_id, f.rule): f
        for f in LevelsFlag.objects.filter(
            organisation=organisation, customer_id__in=list(hits), status=LevelsFlag.Status.OPEN
        )
    }
    raised = 0
    for customer_id, found in sorted(hits.items()):
        for hit in found:
            existing = open_flags.get((customer_id, hit.rule))
            if existing is not None:
                if hit.value > existing.value:
                    existing.value = hit.value
                    existing.threshold = hit.threshold
                    existing.window_start, existing.window_end = hit.window_start, hit.window_end
                    existing.save(
                        update_fields=["value", "threshold", "window_start", "window_end", "modified_at"]
                    )
                continue
            flag = LevelsFlag.objects.create(
                organisation=organisation,
                customer_id=customer_id,
                rule=hit.rule,
                threshold=hit.threshold,
                value=hit.value,
                window_start=hit.window_start,
                window_end=hit.window_end,
            )
            audit_record(
                actor=actor,
                action="levels_flag.raise",
                obj=flag,
                detail={"rule": hit.rule, "value": hit.value, "threshold": hit.threshold},
            )
            raised += 1
    return raised
