"""Letter pages: draft from a decision, preview, edit, check, issue, not sent, downloads, settings.

Thin: every lookup by id goes through `access.get_for_user` (404 for missing and not yours); who may
do what is the services' and selectors' business.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from engage import access
from engage.decisions.forms import apply_errors
from engage.decisions.models import Decision
from engage.letters import facts as letter_facts
from engage.letters import forms, selectors, services
from engage.letters import render as letter_render
from engage.letters.models import Letter
from engage.policy.vocabulary import Capability
from engage.staff.models import User

_DOWNLOADS = {
    "pdf": ("pdf_name", "application/pdf", "pdf", ""),
    "large-print": ("large_print_name", "application/pdf", "pdf", "-large-print"),
    "docx": (
        "docx_name",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "",
    ),
}


def _letter(request: HttpRequest, pk: int) -> Letter:
    letter = access.get_for_user(
        Letter.objects.select_related(
            "case__customer", "decision__organisation", "author", "checked_by", "issued_by", "policy_version"
        ),
        request.user,
        pk=pk,
    )
    if not selectors.may_see(request.user, letter):
        raise PermissionDenied("Only those who work on this case can see its letters.")
    return letter


def _preview(letter: Letter) -> SafeString:
    """The letter as the customer reads it: the frozen record once issued, else built now."""
    if letter.status == Letter.Status.ISSUED and letter.html:
        body = re.search(r"<body[^>]*>(.*)</body>", letter.html, re.S)
        text = body.group(1) if body else ""
        # Shown inside a page with its own h1: each heading one level down (the record is unchanged).
        text = re.sub(r"<(/?)h2\b", r"<\1h3", text)
        text = re.sub(r"<(/?)h1\b", r"<\1h2", text)
        return mark_safe(text)  # noqa: S308 - Engage's own rendering of an autoescaped template
    preset = services.preset_of(letter)
    facts = letter_facts.facts_for(letter, on=timezone.localdate())
    enclosure = letter_render.enclosure_for(preset) if letter.enclose_policy else None
    return mark_safe(letter_render.preview_html(facts, letter.layout, enclosure=enclosure))  # noqa: S308


def _missing(letter: Letter) -> list[str]:
    if letter.is_final:
        return []
    preset = services.preset_of(letter)
    facts = letter_facts.facts_for(letter, on=timezone.localdate())
    return letter_facts.missing_for(letter, facts, preset)


# ---------------------------------------------------------------------------------------------
# Lists and drafting
# ---------------------------------------------------------------------------------------------


def letter_list(request: HttpRequest) -> HttpResponse:
    access.require(
        request.user,
        Capability.MANAGER,
        Capability.SENIOR_DECISION_MAKER,
        Capability.APPEAL_OFFICER,
        Capability.EXECUTIVE,
        Capability.INFORMATION_GOVERNANCE,
    )
    page = Paginator(selectors.letters(request.user).order_by("-created_at", "-id"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "letters/list.html", {"page": page})


def new(request: HttpRequest, decision_pk: int) -> HttpResponse:
    decision = access.get_for_user(
        Decision.objects.select_related("case__customer", "organisation", "policy_version"),
        request.user,
        pk=decision_pk,
    )
    if not selectors.may_draft(request.user, decision):
        raise PermissionDenied("Only those who work on this case can draft its letters.")
    options = letter_facts.options(decision)
    _version, preset = letter_facts.policy_of(decision)
    layouts = services.layouts_allowed(preset)
    default = (
        letter_facts.settings_for(decision.organisation_id).bilingual_layout if len(layouts) > 1 else "en"
    )
    form = forms.NewLetterForm(request.POST or None, options=options, layouts=layouts, default_layout=default)
    if request.method == "POST" and options and form.is_valid():
        option = form.options[form.cleaned_data["letter"]]
        try:
            letter = services.letter_draft(
                actor=request.user,  # type: ignore[arg-type]
                decision=decision,
                kind=option.kind,
                review=option.review,
                appeal=option.appeal,
                layout=form.cleaned_data.get("language", ""),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The draft letter has been started."))
            return redirect("letters:edit", pk=letter.pk)
    return render(
        request,
        "letters/new.html",
        {
            "decision": decision,
            "case": decision.case,
            "form": form,
            "options": options,
            "letters": selectors.for_decision(decision),
        },
    )


# ---------------------------------------------------------------------------------------------
# One letter
# ---------------------------------------------------------------------------------------------


def detail(request: HttpRequest, pk: int, *, errors: list[str] | None = None) -> HttpResponse:
    letter = _letter(request, pk)
    user: Any = request.user
    preset = services.preset_of(letter)
    context = {
        "letter": letter,
        "case": letter.case,
        "preview": _preview(letter),
        "missing": _missing(letter),
        "checkers": services.checkers(letter) if letter.check_required else "",
        "check_members": letter.check_members.all(),
        "can_edit": letter.status == Letter.Status.DRAFT and letter.author_id == user.pk,
        "can_submit": letter.status == Letter.Status.DRAFT and letter.check_required,
        "can_check": services.may_check(user, letter),
        "can_issue": not letter.is_final,
        "can_not_send": not letter.is_final and bool(preset.letters.notification_exemptions),
        "exemption": next(
            (e for e in preset.letters.notification_exemptions if e.key == letter.not_sent_exemption), None
        ),
        "errors": errors or [],
    }
    return render(request, "letters/detail.html", context)


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    if letter.status != Letter.Status.DRAFT or letter.author_id != request.user.pk:
        messages.success(request, _("Only the author can change a draft letter."))
        return redirect("letters:detail", pk=letter.pk)
    people = User.objects.filter(organisation_id=letter.organisation_id, is_active=True)
    initial = {name: getattr(letter, name) for name in services.FREE_TEXT_FIELDS}
    initial.update(
        enclose_policy=letter.enclose_policy, language=letter.layout, signed_by=letter.signed_by_id
    )
    form = forms.EditForm(
        request.POST or None,
        letter=letter,
        layouts=services.layouts_allowed(letter),
        people=people,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.letter_edit(
                actor=request.user,  # type: ignore[arg-type]
                letter=letter,
                layout=data.get("language"),
                enclose_policy=data["enclose_policy"],
                signed_by=data["signed_by"],
                **{name: data[name] for name in services.FREE_TEXT_FIELDS if name in data},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect("letters:detail", pk=letter.pk)
    return render(
        request,
        "letters/edit.html",
        {
            "letter": letter,
            "case": letter.case,
            "decision": letter.decision,
            "form": form,
            "source": _source(letter),
        },
    )


def _source(letter: Letter) -> str:
    """What the case record says, for the drafter to put in neutral words."""
    if letter.review is not None:
        return letter.review.notes
    if letter.appeal is not None:
        return letter.appeal.outcome_reasons
    return letter.decision.reasons


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    try:
        services.letter_submit_for_check(actor=request.user, letter=letter)  # type: ignore[arg-type]
    except ValidationError as error:
        return detail(request, pk, errors=error.messages)
    messages.success(request, _("The letter has been sent for its check."))
    return redirect("letters:detail", pk=letter.pk)


def check(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    preset = services.preset_of(letter)
    form = forms.CheckForm(request.POST or None, preset=preset, actor=request.user, letter=letter)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_check(
                actor=request.user,  # type: ignore[arg-type]
                letter=letter,
                approve=form.cleaned_data["approve"] == "yes",
                note=form.cleaned_data["note"],
                as_group=form.cleaned_data.get("as_group", ""),
                members_present=list(form.cleaned_data.get("members_present") or []),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            text = (
                _("The letter has been checked and can be issued.")
                if letter.status == Letter.Status.CHECKED
                else _("The letter has been returned to its author.")
            )
            messages.success(request, text)
            return redirect("letters:detail", pk=letter.pk)
    return render(
        request,
        "letters/check.html",
        {
            "letter": letter,
            "case": letter.case,
            "form": form,
            "preview": _preview(letter),
            "checkers": services.checkers(letter),
            "allowed": services.may_check(request.user, letter),
        },
    )


def issue(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    if letter.is_final:
        return redirect("letters:detail", pk=letter.pk)
    form = forms.IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_issue(
                actor=request.user,  # type: ignore[arg-type]
                letter=letter,
                issued_on=form.cleaned_data["issued_on"],
                method=form.cleaned_data["method"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The letter has been issued and kept on the case."))
            return redirect("letters:detail", pk=letter.pk)
    return render(
        request,
        "letters/issue.html",
        {
            "letter": letter,
            "case": letter.case,
            "form": form,
            "checkers": services.checkers(letter) if letter.check_required else "",
            "unchecked": letter.check_required and letter.status != Letter.Status.CHECKED,
            "address": letter_facts.recipient(letter.case.customer),
            "email": letter_facts.email_address(letter.case.customer),
        },
    )


def not_sent(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    if letter.is_final:
        return redirect("letters:detail", pk=letter.pk)
    preset = services.preset_of(letter)
    form = forms.NotSentForm(request.POST or None, preset=preset)
    if request.method == "POST" and preset.letters.notification_exemptions and form.is_valid():
        try:
            services.letter_record_not_sent(
                actor=request.user,  # type: ignore[arg-type]
                letter=letter,
                exemption=form.cleaned_data["exemption"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The letter has been recorded as not sent."))
            return redirect("letters:detail", pk=letter.pk)
    return render(
        request,
        "letters/not_sent.html",
        {"letter": letter, "case": letter.case, "form": form, "preset": preset},
    )


def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """An issued letter's frozen file: always an attachment, with Engage's own name for it."""
    letter = _letter(request, pk)
    if fmt not in _DOWNLOADS or letter.status != Letter.Status.ISSUED:
        raise Http404("Not found")
    field, content_type, extension, suffix = _DOWNLOADS[fmt]
    stored = getattr(letter, field)
    if not stored:
        raise Http404("Not found")
    name = f"{letter.reference.replace('/', '-')}-{letter.kind.replace('_', '-')}{suffix}.{extension}"
    response = FileResponse(
        default_storage.open(stored, "rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def letter_settings(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.INFORMATION_GOVERNANCE)
    organisation = request.user.organisation  # type: ignore[union-attr]
    assert organisation is not None
    current = letter_facts.settings_for(organisation)
    form = forms.SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.letter_settings_update(
                actor=request.user,  # type: ignore[arg-type]
                organisation=organisation,
                bilingual_layout=data["bilingual_layout"],
                colleague_check=data["colleague_check"],
                welsh_name=data["welsh_name"],
                welsh_address=data["welsh_address"],
            )
        except ValidationError as error:
            apply_errors(form, error)  # type: ignore[arg-type]
        else:
            messages.success(request, _("The letter settings have been saved."))
            return redirect("letters:settings")
    return render(request, "letters/settings.html", {"form": form})
