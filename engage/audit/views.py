"""The audit log, for information governance: every recorded action in the organisation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from engage import access
from engage.audit.models import AuditRecord
from engage.policy.vocabulary import Capability


def audit_log(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.INFORMATION_GOVERNANCE)
    records = access.scoped(AuditRecord, request.user)
    action = request.GET.get("action", "").strip()
    if action:
        records = records.filter(action__startswith=action)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    extra_query = urlencode({"action": action}) if action else ""
    return render(request, "audit/log.html", {"page": page, "action": action, "extra_query": extra_query})
