"""Tags every audit record written during a request with where the request came from."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from engage.audit.services import audit_source


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
        address = request.META.get("REMOTE_ADDR", "unknown")
        with audit_source(f"web {address} {request.method} {request.path}"):
            return self.get_response(request)
