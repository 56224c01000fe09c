"""Reading contacts: imports for information governance, levels-of-contact items for managers, and
the chart of one customer's contacts over time. Every read goes through `engage.access`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from engage import access
from engage.contacts.models import CHANNEL_CHOICES, ContactEvent, ContactImport, ContactTally, LevelsFlag
from engage.contacts.rules import LONDON
from engage.customers.models import Customer

CHART_WEEKS = 12
# GOV.UK colours, one a channel; the table under the chart carries every number in words.
_COLOURS = {
    "phone": "#1d70b8",
    "email": "#00703c",
    "letter": "#4c2c92",
    "in_person": "#f47738",
    "social_media": "#d53880",
    "online_form": "#28a197",
    "event": "#505a5f",
}
_LABELS = dict(CHANNEL_CHOICES)


def imports(user: Any) -> QuerySet[ContactImport]:
    return access.scoped(ContactImport, user).select_related("created_by").order_by("-created_at")


def tallies(user: Any, days: int = 30) -> list[tuple[str, str, int]]:
    """Events kept only as counts over the last `days` days: (outcome label, channel label, count)."""
    since = timezone.localdate() - dt.timedelta(days=days)
    counts: Counter[tuple[str, str]] = Counter()
    for outcome, channel, n in (
        access.scoped(ContactTally, user).filter(day__gte=since).values_list("outcome", "channel", "count")
    ):
        counts[(outcome, channel)] += n
    outcomes = dict(ContactTally.Outcome.choices)
    return [(str(outcomes[o]), str(_LABELS[c]), n) for (o, c), n in sorted(counts.items())]


def open_flags(user: Any) -> QuerySet[LevelsFlag]:
    return (
        access.scoped(LevelsFlag, user)
        .filter(status=LevelsFlag.Status.OPEN)
        .select_related("customer")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class Bar:
    channel: str
    colour: str
    x: float
    y: float
    width: float
    height: float
    count: int


@dataclass
class Chart:
    """A customer's contacts a week by channel: the rows for the table, the bars for the picture."""

    weeks: list[dt.date]
    channels: list[tuple[str, str, str]]  # (key, label, colour)
    rows: list[tuple[dt.date, list[int], int]] = field(default_factory=list)  # week, counts by channel, total
    bars: list[Bar] = field(default_factory=list)
    width: int = 640
    height: int = 240
    top: int = 0
    ticks: list[tuple[float, int]] = field(default_factory=list)


def contact_chart(customer: Customer, *, until: dt.datetime | None = None, weeks: int = CHART_WEEKS) -> Chart:
    """The last `weeks` weeks (from Monday, local time) of the customer's contacts, both ways."""
    end = (until or timezone.now()).astimezone(LONDON).date()
    first = end - dt.timedelta(days=end.weekday()) - dt.timedelta(weeks=weeks - 1)
    mondays = [first + dt.timedelta(weeks=i) for i in range(weeks)]
    start = dt.datetime.combine(first, dt.time(0), tzinfo=LONDON)
    records = [customer.pk, *Customer.objects.filter(merged_into=customer).values_list("pk", flat=True)]
    counts: Counter[tuple[dt.date, str]] = Counter()
    end = dt.datetime.combine(first + dt.timedelta(weeks=weeks), dt.time(0), tzinfo=LONDON)
    events = ContactEvent.objects.of_customers(records, start, end).filter(started_at__lt=end)
    for at, channel in events.values_list("started_at", "channel"):
        day = at.astimezone(LONDON).date()
        counts[(day - dt.timedelta(days=day.weekday()), channel)] += 1
    used = [key for key, _ in CHANNEL_CHOICES if any(c == key for _, c in counts)]
    chart = Chart(weeks=mondays, channels=[(k, str(_LABELS[k]), _COLOURS[k]) for k in used])
    chart.rows = [(w, [counts[(w, k)] for k in used], sum(counts[(w, k)] for k in used)) for w in mondays]
    chart.top = max([n for _, values, _ in chart.rows for n in values] or [0])
    _lay_out(chart)
    return chart


def _lay_out(chart: Chart) -> None:
    left, bottom, top_margin = 40, 30, 10
    plot_height = chart.height - bottom - top_margin
    group = (chart.width - left) / max(len(chart.weeks), 1)
    each = (group - 6) / max(len(chart.channels), 1)
    scale = plot_height / chart.top if chart.top else 0
    for i, (_week, values, _total) in enumerate(chart.rows):
        for j, count in enumerate(values):
            height = count * scale
            chart.bars.append(
                Bar(
                    chart.channels[j][0],
                    chart.channels[j][2],
                    round(left + i * group + 3 + j * each, 1),
                    round(top_margin + plot_height - height, 1),
                    round(max(each - 1, 1), 1),
                    round(height, 1),
                    count,
                )
            )
    step = max(1, -(-chart.top // 4))
    chart.ticks = [(round(top_margin + plot_height - n * scale, 1), n) for n in range(0, chart.top + 1, step)]


CHECKS_PAGE = 50


@dataclass(frozen=True)
class ChecksPage:
    """One page of contact checks, newest first, and where the next (older) page starts."""

    checks: list[Any]
    older: str | None  # the `before` of the next page, or None on the last


def checks(user: Any, *, customer: str = "", who: str = "", before: str = "") -> ChecksPage:
    """Contact checks of the user's organisation, newest first: by people on the page and by
    integrations through the API (ADR 5), for answering "who looked this person up?".

    Keyset pages: ids are UUIDv7, so "older than" is "id less than", as fast on the last page as
    the first, and the table (unindexed but by id, to keep each check's write cheap) is never
    counted. `customer` is a reference (merged records included); `who` matches the name or
    account recorded. An unknown reference finds nothing rather than everything.
    """
    from engage.contacts.models import ContactCheck

    rows = access.scoped(ContactCheck, user).select_related("customer").order_by("-id")
    if customer:
        found = access.scoped(Customer, user).filter(reference__iexact=customer.strip()).first()
        if found is None:
            return ChecksPage([], None)
        records = [
            found.pk,
            *access.scoped(Customer, user).filter(merged_into=found).values_list("pk", flat=True),
        ]
        rows = rows.filter(customer_id__in=records)
    if who.strip():
        rows = rows.filter(checked_by_label__icontains=who.strip())
    if before:
        try:
            rows = rows.filter(id__lt=uuid.UUID(before))
        except ValueError:
            return ChecksPage([], None)
    page = list(rows[: CHECKS_PAGE + 1])
    older = str(page[CHECKS_PAGE - 1].pk) if len(page) > CHECKS_PAGE else None
    return ChecksPage(page[:CHECKS_PAGE], older)
