"""The navigation a member of staff sees, by the capabilities their roles carry."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from engage.decisions.selectors import NEED_TO_KNOW
from engage.policy.vocabulary import Capability

# (label, url name, capabilities that see it; empty = everyone signed in)
_ITEMS: list[tuple[Any, str, tuple[Capability, ...]]] = [
    (_("Your work"), "home", ()),
    (_("Check a contact"), "contacts:check", ()),
    (_("Incidents"), "incidents:index", ()),
    (_("Customers"), "customers:search", ()),
    (_("Cases"), "decisions:list", NEED_TO_KNOW),
    (_("Letters"), "letters:list", NEED_TO_KNOW),
    (_("Staff care"), "staffcare:index", ()),
    (_("Our policy"), "policy:ours", ()),
    (_("Staff"), "staff:list", (Capability.INFORMATION_GOVERNANCE,)),
    (_("Audit log"), "audit:log", (Capability.INFORMATION_GOVERNANCE,)),
    (_("Settings"), "organisations:settings", (Capability.INFORMATION_GOVERNANCE,)),
    (_("API access"), "api:accounts", (Capability.INFORMATION_GOVERNANCE,)),
]

# Pages reached from another item's page, which that item stays marked as the place you are in:
# information governance's contact pages are found on the organisation settings page.
_WITHIN: dict[str, tuple[str, ...]] = {
    "organisations:settings": (
        "contacts:imports",
        "contacts:levels_settings",
        "contacts:checks_retention",
        "contacts:events_retention",
        "contacts:checks",
    ),
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "organisation_id", None) is None:
        return {"navigation": []}
    held = user.capabilities
    items = []
    for label, name, caps in _ITEMS:
        if caps and not any(c in held for c in caps):
            continue
        url = reverse(name)
        within = [reverse(page) for page in _WITHIN.get(name, ())]
        active = (
            request.path == url
            if name == "home"
            else any(request.path.startswith(prefix) for prefix in (url, *within))
        )
        items.append({"label": label, "url": url, "active": active})
    return {"navigation": items}
