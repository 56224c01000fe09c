"""Contact pages: "Check a contact" for everyone; imports of contact events, the levels-of-contact
thresholds and how long contact checks are kept for information governance; levels of contact
for managers."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from engage import access
from engage.contacts import importer, levels, retention, selectors, services
from engage.contacts.forms import (
    CheckForm,
    ChecksRetentionForm,
    EventsRetentionForm,
    ImportForm,
    LevelsCloseForm,
    LevelSettingsForm,
)
from engage.contacts.models import CHANNEL_CHOICES, ContactCheck, ContactImport, LevelsFlag
from engage.contacts.rules import Outcome
from engage.policy.vocabulary import Capability

# The result's look, from engage.scss: worded, and never colour alone.
_MODIFIERS = {
    Outcome.ALLOW: "clear",
    Outcome.ALLOW_WITH_CONDITIONS: "restricted",
    Outcome.REDIRECT: "restricted",
    Outcome.REFUSE: "stop",
}


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _organisation_id(request: HttpRequest) -> int:
    organisation_id = getattr(request.user, "organisation_id", None)
    if organisation_id is None:
        raise Http404("Not found")
    return int(organisation_id)


@never_cache
def check(request: HttpRequest) -> HttpResponse:
    """One search box and the channel; the answer in large type with what to say; nothing else.

    A check is recorded, so it is a POST; the home page's box arrives by GET with the identifier
    only, and is asked for the channel.
    """
    _organisation_id(request)
    result = None
    if request.method == "POST":
        form = CheckForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if not data["channel"]:
                    form.add_error("channel", services.CHANNEL_MESSAGE)
                    parsed = services.parse_identifier(data["identifier"])  # both problems at once
                    if parsed.phone_problem:
                        form.add_error("identifier", parsed.phone_problem)
                else:
                    result = services.contact_check(
                        actor=request.user,
                        identifier=data["identifier"],
                        channel=data["channel"],
                        via_representative=data["via_representative"],
                    )
            except ValidationError as error:
                _apply_errors(form, error)
    else:
        form = CheckForm(initial={"identifier": request.GET.get("identifier", "")[:200]})
    context: dict[str, Any] = {"form": form, "result": result}
    if result is not None:
        context["modifier"] = _MODIFIERS[result.decision]
        context["channel_label"] = dict(CHANNEL_CHOICES)[form.cleaned_data["channel"]]
        context["show_customer"] = result.customer is not None and result.decision != Outcome.ALLOW
    return render(request, "contacts/check.html", context)


# ---------------------------------------------------------------------------------------------
# Importing contact events (information governance)
# ---------------------------------------------------------------------------------------------


def imports(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.INFORMATION_GOVERNANCE)
    organisation = request.user.organisation  # type: ignore[union-attr]
    if organisation is None:
        raise Http404("Not found")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = (
            Path(upload.name).suffix.lower()
            if Path(upload.name).suffix.lower() in (".csv", ".jsonl", ".ndjson")
            else ""
        )
        with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
            copy.flush()
            try:
                report = importer.contact_import(
                    actor=request.user, organisation=organisation, path=copy.name, file_name=upload.name
                )
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                if report.already_imported:
                    messages.success(request, _("This file was imported before: nothing has changed."))
                return redirect("contacts:import", pk=report.import_id)
    return render(
        request,
        "contacts/imports.html",
        {
            "form": form,
            "imports": selectors.imports(request.user)[:50],
            "tallies": selectors.tallies(request.user),
            "columns": IMPORT_COLUMNS,
        },
    )


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, Capability.INFORMATION_GOVERNANCE)
    row = access.get_for_user(ContactImport.objects.select_related("created_by"), request.user, pk=pk)
    return render(
        request, "contacts/import.html", {"row": row, "not_listed": row.rejected - len(row.rejections)}
    )


# What each column means, for the page (the importer's docstring says the same).
IMPORT_COLUMNS = [
    (
        "identifier",
        gettext_lazy("Required"),
        gettext_lazy(
            "The caller's number, the sender's email address, a social media handle or a reference."
        ),
    ),
    (
        "channel",
        gettext_lazy("Required"),
        gettext_lazy("phone, email, letter, in_person, social_media, online_form or event."),
    ),
    (
        "direction",
        gettext_lazy("Required"),
        gettext_lazy("inbound (from the customer) or outbound (to the customer)."),
    ),
    (
        "started_at",
        gettext_lazy("Required"),
        gettext_lazy("Date and time, like 2026-03-03T10:30:00Z. Without an offset, UK time."),
    ),
    (
        "duration_seconds",
        gettext_lazy("Optional"),
        gettext_lazy("Whole seconds, or hours, minutes and seconds like 0:12:30."),
    ),
    ("service", gettext_lazy("Optional"), gettext_lazy("The service or queue, like Council Tax.")),
    (
        "handler",
        gettext_lazy("Optional"),
        gettext_lazy("Who took the call or received the email, as the log names them."),
    ),
    (
        "identifier_kind",
        gettext_lazy("Optional"),
        gettext_lazy("phone, email, social or reference, if the channel does not say."),
    ),
]


# ---------------------------------------------------------------------------------------------
# Levels of contact (managers) and their thresholds (information governance)
# ---------------------------------------------------------------------------------------------


def levels_flag(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, *services.LEVELS_DECIDERS)
    flag = access.get_for_user(
        LevelsFlag.objects.select_related("customer", "closed_by"), request.user, pk=pk
    )
    form = LevelsCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.levels_flag_close(actor=request.user, flag=flag, outcome=form.cleaned_data["outcome"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Recorded. The item has left your work."))
            return redirect("home")
    return render(
        request,
        "contacts/levels_flag.html",
        {"flag": flag, "form": form, "chart": selectors.contact_chart(flag.customer, until=flag.window_end)},
    )


def levels_settings(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.INFORMATION_GOVERNANCE)
    organisation = request.user.organisation  # type: ignore[union-attr]
    if organisation is None:
        raise Http404("Not found")
    current = levels.thresholds_for(organisation)
    form = LevelSettingsForm(
        request.POST or None, initial={f: getattr(current, f) for f in services.LEVEL_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.levels_settings_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The levels of contact have been saved."))
            return redirect("contacts:levels_settings")
    return render(request, "contacts/levels_settings.html", {"form": form})


def checks_retention(request: HttpRequest) -> HttpResponse:
    """How many months the organisation keeps its contact checks (an organisation setting, since
    no policy sets a period: see `engage.contacts.retention`)."""
    return _retention(
        request,
        ChecksRetentionForm,
        retention.checks_kept_months,
        retention.contact_checks_retention_update,
        _("How long contact checks are kept has been saved."),
        "contacts/checks_retention.html",
        retention.DEFAULT_MONTHS,
    )


def events_retention(request: HttpRequest) -> HttpResponse:
    """How many months the organisation keeps contact events from telephony and mail logs."""
    return _retention(
        request,
        EventsRetentionForm,
        retention.events_kept_months,
        retention.contact_events_retention_update,
        _("How long contact events are kept has been saved."),
        "contacts/events_retention.html",
        retention.DEFAULT_EVENT_MONTHS,
    )


def _retention(
    request: HttpRequest,
    form_class: type[forms.Form],
    kept: Callable[[Any], int],
    update: Callable[..., Any],
    saved: str,
    template: str,
    default_months: int,
) -> HttpResponse:
    access.require(request.user, Capability.INFORMATION_GOVERNANCE)
    organisation = request.user.organisation  # type: ignore[union-attr]
    if organisation is None:
        raise Http404("Not found")
    form = form_class(request.POST or None, initial={"months": kept(organisation)})
    if request.method == "POST" and form.is_valid():
        try:
            update(actor=request.user, organisation=organisation, months=form.cleaned_data["months"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, saved)
            return redirect("organisations:settings")
    return render(request, template, {"form": form, "default_months": default_months})


@never_cache
def checks_log(request: HttpRequest) -> HttpResponse:
    """Every contact check, newest first, for information governance: who looked someone up, when,
    on which channel and what they were told (a subject access request asks exactly this)."""
    access.require(request.user, Capability.INFORMATION_GOVERNANCE)
    customer = request.GET.get("customer", "")[:30]
    who = request.GET.get("who", "")[:200]
    page = selectors.checks(request.user, customer=customer, who=who, before=request.GET.get("before", ""))
    organisation = request.user.organisation  # type: ignore[union-attr]
    older = None
    if page.older:
        older = urlencode(
            {k: v for k, v in (("customer", customer), ("who", who), ("before", page.older)) if v}
        )
    return render(
        request,
        "contacts/checks_log.html",
        {
            "page": page,
            "customer": customer,
            "who": who,
            "older": older,
            "first_page": not request.GET.get("before"),
            "kept_months": retention.checks_kept_months(organisation) if organisation else None,
            "decisions": dict(ContactCheck.Decision.choices),
            "channels": dict(CHANNEL_CHOICES),
        },
    )
