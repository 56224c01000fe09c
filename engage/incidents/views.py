"""Incident pages: logging one question at a time, checking answers, the review queue, review, police, witnesses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from engage import access
from engage.incidents import forms, rules, selectors, services
from engage.incidents.models import Incident, Witness
from engage.policy import engine
from engage.policy.schema import Preset
from engage.policy.services import current_policy
from engage.staff.models import User


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    template: str = "incidents/step.html"

    def applies(self, preset: Preset) -> bool:
        # The portal question is only asked where the policy names a portal (003 App.1, 002 12.2).
        return self.slug != "portal" or bool(preset.health_and_safety_portal.strip())


# The questions, in the order the issue asks them (DESIGN "Log an incident": one thing per page).
STEPS: tuple[Step, ...] = (
    Step("when", "When did it happen?", "incidents/step_when.html"),
    Step("where", "Where did it happen, and which service?"),
    Step("channel", "How was the person in contact?", "incidents/step_question.html"),
    Step("person", "Who was it?"),
    Step("account", "What happened?", "incidents/step_question.html"),
    Step("categories", "What kind of behaviour was it?", "incidents/step_categories.html"),
    Step("staff", "Who was affected, and who saw it?"),
    Step("action", "What did you do at the time?"),
    Step(
        "recording",
        "Did the person say they were recording or live-streaming?",
        "incidents/step_question.html",
    ),
    Step("named", "Were any staff named publicly?", "incidents/step_question.html"),
    Step("portal", "Health and safety portal"),
    Step("support", "Would you like support?"),
)
_BY_SLUG = {s.slug: s for s in STEPS}
# Service error keys that belong to a different field on the page.
_FIELD_FOR = {"occurred_at": "day", "customer": "identifier"}


def _user(request: HttpRequest) -> User:
    # Every page here needs signing in (LoginRequiredMiddleware), so the user is a member of staff.
    return cast(User, request.user)


def _steps_for(preset: Preset) -> list[Step]:
    return [s for s in STEPS if s.applies(preset)]


def _apply_errors(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, msgs in error.message_dict.items():
        field = _FIELD_FOR.get(field, field)
        form.add_error(
            field if field in form.fields and not form.fields[field].widget.is_hidden else None, msgs
        )


def _draft(request: HttpRequest, pk: int) -> Incident:
    """The user's own incident, or 404 (also for anyone else's, in or out of the organisation)."""
    return access.get_for_user(
        selectors.visible(_user(request)).filter(reporter=_user(request)), _user(request), pk=pk
    )


def _evidence_context(incident: Incident, next_url: str = "") -> dict[str, Any]:
    # Evidence is its own app; its pieces are shown here once it provides them.
    context: dict[str, Any] = {"evidence_list": False, "evidence_add_url": ""}
    try:
        get_template("evidence/_list.html")
        context["evidence_list"] = True
    except TemplateDoesNotExist:
        pass
    try:
        url = reverse("evidence:add", kwargs={"ref": incident.reference})
        context["evidence_add_url"] = f"{url}?next={next_url}" if next_url else url
    except NoReverseMatch:
        pass
    return context


# ---------------------------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------------------------


def incident_index(request: HttpRequest) -> HttpResponse:
    mine = selectors.visible(_user(request)).filter(reporter=_user(request)).order_by("-created_at", "-id")
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    queue_size = selectors.review_queue(_user(request)).count()
    return render(request, "incidents/index.html", {"page": page, "queue_size": queue_size})


def incident_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            incident = services.incident_start(actor=_user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("incidents:index")
        return redirect("incidents:step", pk=incident.pk, step=STEPS[0].slug)
    return render(request, "incidents/start.html")


def incident_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    incident = _draft(request, pk)
    if incident.status != Incident.Status.DRAFT:
        return redirect("incidents:detail", pk=incident.pk)
    preset = current_policy(incident.organisation).preset
    steps = _steps_for(preset)
    current = _BY_SLUG.get(step)
    if current is None or current not in steps:
        return redirect("incidents:step", pk=incident.pk, step=steps[0].slug)
    index = steps.index(current)
    changing = request.GET.get("change") == "1"
    form_class = forms.STEP_FORMS[current.slug]
    form = form_class(request.POST or None, incident=incident, preset=preset, user=_user(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_save_step(
                actor=_user(request),
                incident=incident,
                step=current.slug,
                data=form.values(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if changing or index + 1 == len(steps):
                return redirect("incidents:check", pk=incident.pk)
            return redirect("incidents:step", pk=incident.pk, step=steps[index + 1].slug)
    if changing:
        back = reverse("incidents:check", args=[incident.pk])
    elif index:
        back = reverse("incidents:step", args=[incident.pk, steps[index - 1].slug])
    else:
        back = reverse("incidents:index")
    context: dict[str, Any] = {
        "incident": incident,
        "form": form,
        "step": current,
        "title": _portal_title(preset) if current.slug == "portal" else current.title,
        "number": index + 1,
        "total": len(steps),
        "back": back,
        "changing": changing,
        "categories": preset.categories,
        "date_error_parts": getattr(form, "date_error_parts", set()),
    }
    return render(request, current.template, context)


def _portal_title(preset: Preset) -> str:
    return _("Have you logged it in %(portal)s?") % {"portal": preset.health_and_safety_portal}


def incident_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, then send it to the manager."""
    incident = _draft(request, pk)
    if incident.status != Incident.Status.DRAFT:
        return redirect("incidents:detail", pk=incident.pk)
    version = current_policy(incident.organisation)
    form = forms.SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            services.incident_submit(actor=_user(request), incident=incident)
        except ValidationError as error:
            form.is_valid()
            for message in error.messages:
                form.add_error(None, message)
        else:
            return redirect("incidents:logged", pk=incident.pk)
    missing = rules.missing_answers(version.preset, services.answers_of(incident))
    rows = _answer_rows(incident, version.preset, missing, editable=True)
    manager = services.routed_manager(incident.reporter)
    context: dict[str, Any] = {
        "incident": incident,
        "form": form,
        "rows": rows,
        "missing": missing,
        "manager": manager,
        **_evidence_context(incident, reverse("incidents:check", args=[incident.pk])),
    }
    return render(request, "incidents/check.html", context)


def incident_logged(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _draft(request, pk)
    if incident.status == Incident.Status.DRAFT:
        return redirect("incidents:check", pk=incident.pk)
    witnesses = [w.staff for w in incident.witnesses.select_related("staff")]
    return render(
        request,
        "incidents/logged.html",
        {"incident": incident, "manager": incident.routed_to, "witnesses": witnesses},
    )


def _answer_rows(
    incident: Incident, preset: Preset, missing: dict[str, str], editable: bool
) -> list[dict[str, Any]]:
    """The summary list of a draft or a logged incident, one row per answer, each with its step."""

    def yes_no(value: bool | None) -> str:
        return "" if value is None else (_("Yes") if value else _("No"))

    occurred = (
        dateformat.format(timezone.localtime(incident.occurred_at), r"j F Y \a\t H:i")
        if incident.occurred_at
        else ""
    )
    actions = dict(forms.ActionForm.base_fields["immediate_actions"].choices)  # type: ignore[attr-defined]
    channel = incident.get_channel_display() if incident.channel else ""
    person = ""
    if incident.customer is not None:
        person = f"{incident.customer} ({incident.customer.reference})"
    if incident.person_description:
        person = f"{person}\n{incident.person_description}".strip()
    categories = [getattr(preset.category(k), "name", k) for k in incident.categories]
    witnesses = [str(w.staff) for w in incident.witnesses.select_related("staff")]
    rows = [
        ("when", _("When"), occurred, ["occurred_at"]),
        ("where", _("Where"), incident.location, []),
        ("where", _("Service"), incident.service, ["service"]),
        ("channel", _("How they were in contact"), channel, ["channel"]),
        ("person", _("Who it was"), person, ["person"]),
        ("account", _("What happened"), incident.account, ["account"]),
        ("categories", _("Kind of behaviour"), "\n".join(categories), ["categories"]),
        (
            "staff",
            _("Staff affected"),
            "\n".join(str(u) for u in incident.staff_affected.all()),
            ["staff_affected"],
        ),
        ("staff", _("Witnesses"), "\n".join(witnesses) or (_("None") if incident.pk else ""), []),
        (
            "action",
            _("What you did at the time"),
            "\n".join(str(actions.get(a, a)) for a in incident.immediate_actions),
            ["immediate_actions"],
        ),
        (
            "action",
            _("Warned before ending the contact"),
            yes_no(incident.warning_given_first),
            ["warning_given_first"],
        ),
        (
            "recording",
            _("Said they were recording or live-streaming"),
            yes_no(incident.recording_said),
            ["recording_said"],
        ),
        ("named", _("Staff named publicly"), yes_no(incident.staff_named_publicly), ["staff_named_publicly"]),
        (
            "portal",
            _("%(portal)s reference") % {"portal": preset.health_and_safety_portal},
            incident.hs_portal_reference,
            ["hs_portal_reference"],
        ),
        ("support", _("Would like support"), yes_no(incident.support_wanted), ["support_wanted"]),
        ("support", _("Would like time away"), yes_no(incident.time_away_wanted), ["time_away_wanted"]),
    ]
    steps = {s.slug for s in _steps_for(preset)}
    result = []
    for slug, label, value, fields in rows:
        if slug not in steps:
            continue
        problem = next((missing[f] for f in fields if f in missing), "")
        url = reverse("incidents:step", args=[incident.pk, slug]) + "?change=1" if editable else ""
        result.append(
            {
                "step": slug,
                "label": label,
                "value": value,
                "problem": problem,
                "url": url,
                "optional": not fields,
            }
        )
    return result


# ---------------------------------------------------------------------------------------------
# Seeing an incident, reviewing it, police
# ---------------------------------------------------------------------------------------------


def _facts(incident: Incident) -> dict[str, Any]:
    preset = current_policy(incident.organisation).preset
    return {
        "rows": _answer_rows(incident, preset, {}, editable=False),
        "witnesses": list(incident.witnesses.select_related("staff")),
        "reviews": list(incident.reviews.select_related("reviewer")),
        "police": list(incident.police_decisions.select_related("decided_by")),
        "customer_url": _customer_url(incident),
        "needs": list(incident.customer.needs.all()) if incident.customer is not None else [],
    }


def _customer_url(incident: Incident) -> str:
    if not incident.customer_id:
        return ""
    try:
        return reverse("customers:detail", args=[incident.customer_id])
    except NoReverseMatch:
        return ""


def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_for_user(
        selectors.visible(_user(request)).select_related("reporter", "routed_to", "customer"),
        _user(request),
        pk=pk,
    )
    if incident.status == Incident.Status.DRAFT:
        return redirect("incidents:check", pk=incident.pk)
    context = {
        "incident": incident,
        "may_review": services.may_review(_user(request), incident),
        **_facts(incident),
        **_evidence_context(incident),
    }
    return render(request, "incidents/detail.html", context)


def review_queue(request: HttpRequest) -> HttpResponse:
    now = timezone.localtime()
    page = Paginator(selectors.review_queue(_user(request)), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "incident": i,
            "age": rules.age_in_words(timezone.localtime(i.submitted_at), now) if i.submitted_at else "",
        }
        for i in page
    ]
    return render(request, "incidents/queue.html", {"rows": rows, "page": page})


def _reviewable(request: HttpRequest, pk: int) -> Incident:
    """An incident this user may decide on, or 404 (as if it did not exist)."""
    incident = access.get_for_user(
        selectors.visible(_user(request)).select_related("reporter", "routed_to", "customer"),
        _user(request),
        pk=pk,
    )
    if incident.status == Incident.Status.DRAFT or not services.may_review(_user(request), incident):
        raise Http404("Not found")  # as access.get_for_user says it: no hint that it exists
    return incident


def incident_review(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _reviewable(request, pk)
    version = current_policy(incident.organisation)
    preset = version.preset
    user = _user(request)
    options = rules.review_options(
        preset,
        user.role_keys,
        rules.case_facts(incident.categories, incident.immediate_actions),
    )
    form = forms.ReviewForm(request.POST or None, options=options)
    if request.method == "POST" and incident.status != Incident.Status.REVIEWED and form.is_valid():
        try:
            services.incident_review(
                actor=user,
                incident=incident,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Your decision on %(ref)s has been recorded.") % {"ref": incident.reference}
            )
            return redirect("incidents:detail", pk=incident.pk)
    level, clause = engine.police_reporting(preset, incident.categories)
    police_rule = next((r for r in preset.police.rules if r.clause == clause and r.reporting == level), None)
    context = {
        "incident": incident,
        "form": form,
        "allowed": [o for o in options if o.verdict.allowed],
        "refused": [o for o in options if not o.verdict.allowed],
        "police_expectation": rules.police_expectation(level, clause),
        "police_rule": police_rule,
        "not_reporting": services.police_verdict_not_reporting(user, incident),
        **_facts(incident),
        **_evidence_context(incident),
    }
    return render(request, "incidents/review.html", context)


def incident_police(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _reviewable(request, pk)
    preset = current_policy(incident.organisation).preset
    verdict = services.police_verdict_not_reporting(_user(request), incident)
    form = forms.PoliceForm(request.POST or None, may_decide_not_to_report=verdict.allowed)
    if request.method == "POST" and form.is_valid():
        try:
            services.police_decision_record(
                actor=_user(request),
                incident=incident,
                reported=form.cleaned_data["reported"] == "yes",
                reference=form.cleaned_data.get("reference", ""),
                reason_not_reported=form.cleaned_data.get("reason_not_reported", ""),
                staff_view=form.cleaned_data.get("staff_view", ""),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The police decision on %(ref)s has been recorded.") % {"ref": incident.reference}
            )
            return redirect(
                "incidents:review" if incident.status != Incident.Status.REVIEWED else "incidents:detail",
                pk=incident.pk,
            )
    level, clause = engine.police_reporting(preset, incident.categories)
    context = {
        "incident": incident,
        "form": form,
        "verdict": verdict,
        "police_expectation": rules.police_expectation(level, clause),
        "staff_view_recorded": preset.police.staff_view_recorded,
    }
    return render(request, "incidents/police.html", context)


def witness_account(request: HttpRequest, pk: int) -> HttpResponse:
    witness = access.get_for_user(
        Witness.objects.filter(staff=_user(request), invited_at__isnull=False).select_related(
            "incident", "incident__reporter"
        ),
        _user(request),
        incident_id=pk,
    )
    form = forms.WitnessForm(request.POST or None)
    if request.method == "POST" and witness.added_at is None and form.is_valid():
        try:
            services.witness_account_add(
                actor=_user(request), witness=witness, account=form.cleaned_data["account"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("Your account of %(ref)s has been added.") % {"ref": witness.incident.reference}
            )
            return redirect("home")
    return render(
        request, "incidents/witness.html", {"witness": witness, "incident": witness.incident, "form": form}
    )
