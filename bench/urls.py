"""The benchmark's server: a trivial JSON view (the framework's ceiling) beside Engage's API, so
the contact check is measured exactly as an integration calls it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import include, path


@login_not_required
def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"hello": "world"})


handler500 = "engage.core.views.server_error"
urlpatterns = [path("bench/hello", hello), path("api/v1/", include("engage.api.urls"))]
