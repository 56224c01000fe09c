"""Pages every member of staff has: Your work, Check a contact, sign in and out, health."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from engage.audit.models import AuditRecord
from engage.audit.services import audit_record
from engage.core.forms_auth import SignInForm
from engage.core.work import task_groups


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = list(user.roles.filter(is_archived=False).values_list("name", flat=True))  # type: ignore[union-attr]
    return render(request, "core/home.html", {"roles": roles, "task_groups": task_groups(user)})


API_PREFIX = "/api/"


@never_cache
def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500. An integration gets JSON, like every other API answer ({"detail"}), so
    that its error handling does not meet an HTML page; a person gets the 500 page."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse(
            {
                "detail": "Something went wrong in Engage. Try again; if it happens again, tell your Engage administrator."
            },
            status=500,
        )
    return defaults.server_error(request)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        with transaction.atomic():
            audit_record(actor=form.get_user(), action="staff.sign_in", obj=form.get_user())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        # Record the attempt without saying whether the account exists.
        audit_record(
            actor=None,
            action="staff.sign_in",
            outcome=AuditRecord.Outcome.REFUSED,
            detail={"username": (form.data.get("username") or "")[:150]},
        )
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            with transaction.atomic():
                audit_record(actor=user, action="staff.sign_out", obj=user)  # type: ignore[arg-type]
        return super().post(request, *args, **kwargs)
