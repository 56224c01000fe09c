"""'Our policy': who decides what, timescales and categories, in plain words, for every member of staff."""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from engage.policy.services import current_policy

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
        },
    )


def policy_text(request: HttpRequest) -> HttpResponse:
    """The published policy's full text, as the organisation published it."""
    version = current_policy(request.user.organisation)  # type: ignore[union-attr, arg-type]
    preset = version.preset
    path = TEXTS_DIR / preset.source
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    return render(request, "policy/text.html", {"preset": preset, "text": text})
