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


@dataclass(frozen=True)
class TaskGroup:
    title: str
    tasks: list[Task] = field(default_factory=list)
    empty: str = "Nothing waiting."


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
