"""'Our policy': who decides what, timescales and categories, in plain words, for every member of staff."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from engage import access
from engage.policy.forms import PolicyUploadForm
from engage.policy.models import PolicyVersion
from engage.policy.presets import PresetError
from engage.policy.services import current_policy, policy_load
from engage.policy.vocabulary import Capability

TEXTS_DIR = Path(__file__).resolve().parent / "texts"


def our_policy(request: HttpRequest) -> HttpResponse:
    version = current_policy(request.user.organisation)  # type: ignore[union-attr, arg-type]
    preset = version.preset
    decisions = [
        {
            "rule": d,
            "decided_by": [preset.decider_name(k) for k in d.decided_by],
            "approved_by": [preset.decider_name(k) for k in d.approved_by],
            "checked_by": [preset.decider_name(k) for k in d.letter_checked_by],
        }
        for d in preset.decisions
    ]
    routes = [
        {
            "route": r,
            "decided_at": [preset.decider_name(k) for k in r.decided_at],
            "heard_by": [preset.decider_name(k) for k in r.heard_by],
        }
        for r in preset.appeals.routes
    ]
    return render(
        request,
        "policy/ours.html",
        {
            "version": version,
            "preset": preset,
            "decisions": decisions,
            "routes": routes,
            "reviewers": [preset.decider_name(k) for k in preset.reviews.reviewed_by],
            "can_load": request.user.can(Capability.INFORMATION_GOVERNANCE),  # type: ignore[union-attr]
        },
    )


def policy_text(request: HttpRequest) -> HttpResponse:
    """The published policy's full text, as the organisation published it."""
    version = current_policy(request.user.organisation)  # type: ignore[union-attr, arg-type]
    preset = version.preset
    path = TEXTS_DIR / preset.source
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    return render(request, "policy/text.html", {"preset": preset, "text": text})


def policy_versions(request: HttpRequest) -> HttpResponse:
    """Information governance: the versions loaded so far, and loading a new one."""
    access.require(request.user, Capability.INFORMATION_GOVERNANCE)
    form = PolicyUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            version = policy_load(
                actor=request.user,
                organisation=request.user.organisation,  # type: ignore[union-attr, arg-type]
                text=form.cleaned_data["preset_file"],
                source=str(getattr(request.FILES.get("preset_file"), "name", "") or "upload"),
            )
        except PresetError as error:
            problems = error.problems
            form.add_error("preset_file", _("The file is not a valid policy preset: see the problems below"))
        else:
            messages.success(
                request,
                _("%(title)s version %(v)s now applies.") % {"title": version.title, "v": version.version},
            )
            return redirect("policy:versions")
    versions = access.scoped(PolicyVersion.objects.select_related("loaded_by"), request.user)
    return render(request, "policy/versions.html", {"form": form, "problems": problems, "versions": versions})
