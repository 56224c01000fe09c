"""Organisation settings: letterhead details, local closure days, and the way to the contact
settings (imports, levels of contact, how long checks are kept), for information governance."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from engage import access
from engage.contacts.retention import checks_kept_months, events_kept_months
from engage.organisations import services
from engage.organisations.forms import ClosureForm, LetterheadForm
from engage.organisations.models import LocalClosure, Organisation
from engage.policy.vocabulary import Capability


def _own_organisation(request: HttpRequest) -> Organisation:
    access.require(request.user, Capability.INFORMATION_GOVERNANCE)
    organisation = request.user.organisation  # type: ignore[union-attr]
    assert organisation is not None
    return organisation


def settings_page(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request)
    initial = {f: getattr(organisation, f) for f in ("address", "telephone", "email", "website")}
    letterhead = LetterheadForm(request.POST or None, initial=initial)
    if request.method == "POST" and letterhead.is_valid():
        services.organisation_update_settings(
            actor=request.user, organisation=organisation, **letterhead.cleaned_data
        )
        messages.success(request, _("The letterhead details have been saved."))
        return redirect("organisations:settings")
    closures = access.scoped(LocalClosure, request.user)
    return render(
        request,
        "organisations/settings.html",
        {
            "organisation": organisation,
            "form": letterhead,
            "closures": closures,
            "closure_form": ClosureForm(),
            "checks_kept_months": checks_kept_months(organisation),
            "events_kept_months": events_kept_months(organisation),
        },
    )


def closure_add(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_add(
                actor=request.user,
                organisation=organisation,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for field, msgs in error.message_dict.items():
                form.add_error("day" if field == "date" else field, msgs)
        else:
            messages.success(request, _("The closure day has been added."))
            return redirect("organisations:settings")
    return render(request, "organisations/closure_form.html", {"form": form})


@require_POST
def closure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _own_organisation(request)
    closure = access.get_for_user(LocalClosure, request.user, pk=pk)
    services.closure_remove(actor=request.user, closure=closure)
    messages.success(request, _("The closure day has been removed."))
    return redirect("organisations:settings")
