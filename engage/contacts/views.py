"""Contact pages: "Check a contact" (filled by the contact check work)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def check(request: HttpRequest) -> HttpResponse:
    return render(request, "contacts/check.html", {"identifier": request.GET.get("identifier", "")})
