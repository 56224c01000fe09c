"""'Your work': each domain says what is waiting for a person; this module gathers it.

A domain provides `engage/<domain>/work.py` with `tasks_for(user) -> TaskGroup | None` and is
listed in _SOURCES, so the home page reads top to bottom with no hidden registration.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Any

_SOURCES: tuple[str, ...] = (
    "engage.incidents.work",
    "engage.decisions.work",
    "engage.staffcare.work",
    "engage.letters.work",
    "engage.contacts.work",
)


@dataclass(frozen=True)
class Task:
    label: str
    url: str
    due: dt.date | None = None
    overdue: bool = False
    detail: str = ""


# The most tasks a group lists on the home page. The rest are counted, and come up as these are
# done: ten thousand decisions awaiting a letter made the page take seconds (docs/benchmarks.md).
SHOWN = 50


@dataclass(frozen=True)
class TaskGroup:
    title: str
    tasks: list[Task] = field(default_factory=list)
    empty: str = "Nothing waiting."
    # Tasks the domain counted but did not build, beyond `tasks` (a domain that may have many
    # builds at most SHOWN of them).
    not_built: int = 0

    @property
    def shown(self) -> list[Task]:
        return self.tasks[:SHOWN]

    @property
    def more(self) -> int:
        """How many more are waiting than the page lists."""
        return max(len(self.tasks) - SHOWN, 0) + self.not_built


def task_groups(user: Any) -> list[TaskGroup]:
    groups = []
    for name in _SOURCES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # the domain has no work page yet
        group = module.tasks_for(user)
        if group is not None:
            groups.append(group)
    return groups
