"""Two JSON views in one server: the framework's ceiling, and the contact check through the service."""

from __future__ import annotations

import os

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import path

from engage.contacts.services import contact_check

ORGANISATION_ID = int(os.environ.get("BENCH_ORGANISATION_ID", "1"))


@login_not_required
def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"hello": "world"})


@login_not_required
def check(request: HttpRequest) -> JsonResponse:
    try:
        result = contact_check(
            actor=None,
            organisation_id=ORGANISATION_ID,
            label="bench",
            identifier=request.GET.get("identifier", ""),
            channel=request.GET.get("channel", "phone"),
        )
    except ValidationError as exc:
        return JsonResponse({"errors": exc.message_dict}, status=400)
    answer = result.answer
    return JsonResponse(
        {
            "check": str(result.check_id),
            "decision": answer.decision.value,
            "act": answer.act,
            "say": answer.say,
        }
    )


@login_not_required
def answer(request: HttpRequest) -> JsonResponse:
    """The check without its record: to see what the INSERT costs under load."""
    from django.utils import timezone

    from engage.contacts.services import contact_answer

    try:
        result = contact_answer(
            organisation_id=ORGANISATION_ID,
            identifier=request.GET.get("identifier", ""),
            channel=request.GET.get("channel", "phone"),
            at=timezone.now(),
        )
    except ValidationError as exc:
        return JsonResponse({"errors": exc.message_dict}, status=400)
    return JsonResponse(
        {"decision": result.answer.decision.value, "act": result.answer.act, "say": result.answer.say}
    )


urlpatterns = [path("bench/hello", hello), path("bench/check", check), path("bench/answer", answer)]
