"""Evidence pages: the list, adding a file, opening a distressing item with a reason, and the file itself.

Files are only ever served from here, after `selectors.can_see`, as an attachment with a name and
type Engage set from the content; anyone who may not see an item gets 404, as for a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from engage.evidence import selectors, services
from engage.evidence.forms import EvidenceAddForm, OpenForm, WithdrawForm
from engage.evidence.models import Evidence


def evidence_list(request: HttpRequest, ref: str) -> HttpResponse:
    incident = selectors.incident_for_evidence(request.user, ref)
    return render(request, "evidence/list.html", {"incident": incident})


def evidence_add(request: HttpRequest, ref: str) -> HttpResponse:
    incident = selectors.incident_for_evidence(request.user, ref)
    form = EvidenceAddForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.evidence_add(
                actor=request.user,
                incident=incident,
                uploaded_file=form.cleaned_data["file"],
                distressing=form.cleaned_data["distressing"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Evidence %(n)s has been added to %(ref)s.")
                % {"n": evidence.number, "ref": incident.reference},
            )
            # Back to where the reporter came from (e.g. "Check your answers" while logging the
            # incident), but only to a path on this site.
            back = request.POST.get("next") or request.GET.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts=None, require_https=False):
                return redirect(back)
            return redirect("evidence:list", ref=incident.reference)
    # A browser never keeps a chosen file when the page comes back with errors: say so.
    reselect = form.is_bound and bool(form.errors) and "file" not in form.errors
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(
        request,
        "evidence/add.html",
        {"form": form, "incident": incident, "reselect": reselect, "next": next_url},
    )


def evidence_open(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A distressing item: warning text, then "Why are you opening this?"; the answer opens it."""
    evidence = selectors.evidence_for_user(request.user, pk)
    if not evidence.distressing:
        return redirect("evidence:file", pk=evidence.pk)
    form = OpenForm(request.POST or None)
    may_open = selectors.may_open(request.user, evidence)
    if request.method == "POST" and may_open and form.is_valid():
        try:
            services.evidence_open(actor=request.user, evidence=evidence, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _attachment(evidence)
    return render(request, "evidence/open.html", {"form": form, "evidence": evidence, "may_open": may_open})


@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Download an item that is not distressing (recorded); a distressing one goes to its warning first."""
    evidence = selectors.evidence_for_user(request.user, pk)
    if evidence.distressing:
        return redirect("evidence:open", pk=evidence.pk)
    try:
        services.evidence_download(actor=request.user, evidence=evidence)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    return _attachment(evidence)


@require_GET
def evidence_preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The picture for an <img> on the evidence list: images that are not distressing, nothing else."""
    evidence = selectors.evidence_for_user(request.user, pk)
    if not evidence.is_image or evidence.distressing or evidence.is_withdrawn:
        raise Http404("Not found")
    return _attachment(evidence)


def evidence_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_for_user(request.user, pk)
    if not selectors.may_withdraw(request.user, evidence):
        raise PermissionDenied(
            _("Only the person who added this item, a manager or information governance can withdraw it.")
        )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_withdraw(
                actor=request.user, evidence=evidence, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(item)s has been withdrawn.") % {"item": _item_name(evidence)})
            return redirect("evidence:list", ref=evidence.incident.reference)
    return render(request, "evidence/withdraw.html", {"form": form, "evidence": evidence})


def _attachment(evidence: Evidence) -> FileResponse:
    # Always an attachment, with Engage's own name and the type found by inspection: the browser
    # never renders an uploaded file as a page, and never guesses its type. (An <img> still shows
    # an attachment, which is how the list shows pictures that are not distressing.)
    response = FileResponse(
        default_storage.open(evidence.stored_name, "rb"),
        as_attachment=True,
        filename=evidence.download_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _apply_errors(form: Form, error: ValidationError) -> None:
    for field, msgs in error.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


def _item_name(evidence: Evidence) -> Any:
    return _("Evidence %(n)s of %(ref)s") % {"n": evidence.number, "ref": evidence.incident.reference}
