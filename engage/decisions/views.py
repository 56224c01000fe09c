"""Case pages: the case and its timeline, deciding, approving, sharing, reviews, appeals, the periodic review.

Thin: every lookup by id goes through `access.get_for_user` (404 for missing and not yours), every
list through `access.scoped`; the rules are the services' and the engine's.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from engage import access
from engage.customers.models import Customer
from engage.decisions import forms, rules, selectors, services
from engage.decisions.markers import Active, marker_text
from engage.decisions.measures import parse
from engage.decisions.models import (
    Appeal,
    Case,
    Decision,
    PeriodicReview,
    PeriodicReviewItem,
    Review,
    SharingRecord,
)
from engage.letters import selectors as letter_selectors
from engage.policy import engine
from engage.policy.describe import who
from engage.policy.services import current_policy
from engage.policy.vocabulary import DecisionType


def _need_to_know(request: HttpRequest) -> None:
    access.require(request.user, *selectors.NEED_TO_KNOW)


def _preset(request: HttpRequest) -> Any:
    organisation = request.user.organisation  # type: ignore[union-attr]
    assert organisation is not None  # _need_to_know or the access guard passed: they have one
    return current_policy(organisation).preset


def _group_args(form: Any) -> dict[str, Any]:
    return {
        "as_group": form.cleaned_data.get("as_group", ""),
        "members_present": list(form.cleaned_data.get("members_present") or []),
    }


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------


def case_list(request: HttpRequest) -> HttpResponse:
    _need_to_know(request)
    page = Paginator(selectors.cases(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "decisions/case_list.html", {"page": page})


def case_for_customer(request: HttpRequest, customer_pk: int) -> HttpResponse:
    """The customer's case, or a button to open one (for those who may decide about them)."""
    customer = access.get_for_user(Customer, request.user, pk=customer_pk)
    case = Case.objects.filter(customer=customer).first()
    if case is not None:
        return redirect("decisions:case", pk=case.pk)
    _need_to_know(request)
    if request.method == "POST":
        case = services.case_open(actor=request.user, customer=customer)
        messages.success(request, _("Case %(ref)s has been opened.") % {"ref": case.reference})
        return redirect("decisions:case", pk=case.pk)
    return render(request, "decisions/case_open.html", {"customer": customer})


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone sees the customer and the marker; only those with need to know see the history."""
    case = access.get_for_user(Case.objects.select_related("customer"), request.user, pk=pk)
    history = selectors.can_see_history(request.user)
    context: dict[str, Any] = {
        "case": case,
        "customer": case.customer,
        "marker": selectors.current_marker(case.customer),
        "history": history,
    }
    if history:
        decisions = list(
            case.decisions.exclude(status=Decision.Status.PROPOSED)
            .select_related("decided_by")
            .order_by("-decided_at")
        )
        context.update(
            timeline=selectors.timeline(case),
            decisions=decisions,
            proposals=case.decisions.filter(status=Decision.Status.PROPOSED).select_related("proposed_by"),
            reviews_due=Review.objects.filter(
                decision__case=case, outcome="", decision__status=Decision.Status.IN_FORCE
            ).select_related("decision"),
            appeals=Appeal.objects.filter(decision__case=case).select_related("decision"),
            incidents=selectors.case_incidents(case),
        )
    return render(request, "decisions/case.html", context)


# ---------------------------------------------------------------------------------------------
# Deciding
# ---------------------------------------------------------------------------------------------


def choose(request: HttpRequest, pk: int) -> HttpResponse:
    """Which decision: the ones this person may take as radios; the rest in inset text with the
    policy's reason and clause (DESIGN "Screens": say so rather than hiding it)."""
    _need_to_know(request)
    case = access.get_for_user(Case.objects.select_related("customer"), request.user, pk=pk)
    preset = _preset(request)
    keys = rules.acting_keys(preset, request.user.role_keys)  # type: ignore[union-attr]
    facts = selectors.case_facts(case, all_known_warnings=True)
    options = [
        (r, _open_with_exemption(preset, keys, r, v, facts))
        for r, v in engine.options_for(preset, keys, facts)
        if r.type in rules.CASE_DECISIONS
    ]
    allowed = [(r.type.value, r.name) for r, v in options if v.allowed]
    refused = [(r, v) for r, v in options if not v.allowed]
    form = forms.ChooseForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        return redirect("decisions:decide", pk=case.pk, type=form.cleaned_data["type"])
    return render(
        request, "decisions/choose.html", {"case": case, "form": form, "refused": refused, "allowed": allowed}
    )


def _case_decision(request: HttpRequest, pk: int, type: str) -> tuple[Case, Any, DecisionType, Any]:
    """The case (404 outside the user's organisation) and a decision its policy provides for."""
    _need_to_know(request)
    case = access.get_for_user(Case.objects.select_related("customer"), request.user, pk=pk)
    preset = _preset(request)
    try:
        dtype = DecisionType(type)
    except ValueError:
        raise Http404("Not a decision") from None
    rule = preset.decision(dtype)
    if rule is None or dtype not in rules.CASE_DECISIONS:
        raise Http404("Not a decision this policy provides for")
    return case, preset, dtype, rule


def propose(request: HttpRequest, pk: int, type: str) -> HttpResponse:
    """Ask for a decision this person may not take themselves (003 Guidance: a request to the
    manager or the Complaints Review Group; 004 "Decision matrix": the Team Leader refers to the
    CCSM). It goes to the work of those who may take it, who decide from the case page."""
    case, _policy, dtype, rule = _case_decision(request, pk, type)
    form = forms.ProposeForm(request.POST or None, incidents=selectors.case_incidents(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_propose(
                actor=request.user,  # type: ignore[arg-type]
                case=case,
                type=dtype,
                reasons=form.cleaned_data["reasons"],
                incidents=form.cleaned_data["incidents"],
            )
        except ValidationError as error:
            for key, msgs in error.message_dict.items():
                form.add_error(key if key in form.fields else None, msgs)
        else:
            messages.success(request, _("Your proposal has been sent to those who can take the decision."))
            return redirect("decisions:case", pk=case.pk)
    return render(request, "decisions/propose.html", {"case": case, "rule": rule, "form": form})


def _open_with_exemption(
    preset: Any, keys: frozenset[str], rule: Any, verdict: engine.Verdict, facts: engine.CaseFacts
) -> engine.Verdict:
    """A decision refused only for want of a warning stays open where the policy accepts an
    exemption: the decision page asks which applies, and the service checks it."""
    if verdict.allowed or not rule.warning_exemptions or facts.warnings_given:
        return verdict
    exempt = engine.may_decide(preset, keys, rule.type, replace(facts, exemption=rule.warning_exemptions[0]))
    return exempt if exempt.allowed else verdict


def decide(request: HttpRequest, pk: int, type: str) -> HttpResponse:
    case, preset, dtype, rule = _case_decision(request, pk, type)
    proposal = None
    proposal_id = request.GET.get("proposal") or request.POST.get("proposal")
    if proposal_id:
        proposal = access.get_for_user(Decision, request.user, pk=proposal_id, case=case, status="proposed")
    keys = rules.acting_keys(preset, request.user.role_keys)  # type: ignore[union-attr]
    verdict = engine.may_decide(preset, keys, dtype, selectors.case_facts(case, all_known_warnings=True))
    today = timezone.localdate()
    form = forms.DecisionForm(
        request.POST or None,
        preset=preset,
        rule=rule,
        actor=request.user,  # type: ignore[arg-type]
        incidents=selectors.case_incidents(case),
        warnings=selectors.known_warnings(case),
        today=today,
        initial={"incidents": list(proposal.incidents.all()), "reasons": proposal.reasons}
        if proposal
        else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_make(
                actor=request.user,  # type: ignore[arg-type]
                case=case,
                type=dtype,
                proposal=proposal,
                **form.service_arguments(),
            )
        except ValidationError as error:
            for key, msgs in (
                error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            ):
                form.add_error(form.error_key(key) if key else None, msgs)
        else:
            if decision.status == Decision.Status.AWAITING_APPROVAL:
                text = _("The decision has been recorded and is waiting for approval.")
            else:
                text = _("The decision has been recorded.")
            messages.success(request, text)
            return redirect("decisions:decision", pk=decision.pk)
    latest_review = engine.latest_review_date(preset, today)
    return render(
        request,
        "decisions/decide.html",
        {
            "case": case,
            "rule": rule,
            "verdict": verdict,
            "form": form,
            "proposal": proposal,
            "latest_review": latest_review,
            "needs": case.customer.needs.all() if hasattr(case.customer, "needs") else [],
        },
    )


# ---------------------------------------------------------------------------------------------
# A decision and what follows it
# ---------------------------------------------------------------------------------------------


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need_to_know(request)
    decision = access.get_for_user(
        Decision.objects.select_related(
            "case__customer",
            "decided_by",
            "approved_by",
            "policy_version",
            "referral_to",
            "referral_contact_officer",
        ),
        request.user,
        pk=pk,
    )
    preset = decision.policy_version.preset if decision.policy_version else _preset(request)
    rule = preset.decision(decision.type)
    keys = rules.acting_keys(_preset(request), request.user.role_keys)  # type: ignore[union-attr]
    measures = list(decision.measures.all())
    today = timezone.localdate()
    restriction = decision.type in rules.RESTRICTIONS
    answer = selectors.appeal_answer(preset, decision) if restriction and decision.decided_as else None
    deadline = None
    if answer is not None and answer.internal and decision.decided_on:
        from engage.policy.services import calendar_for

        deadline = engine.appeal_deadline(
            preset, calendar_for(decision.organisation), decided_on=decision.decided_on
        )
    lift_rule = preset.decision(DecisionType.LIFT)
    context = {
        "decision": decision,
        "case": decision.case,
        "rule": rule,
        "restriction": restriction,
        "measures": [(m, marker_text([Active(parse(m.type, m.params), m.ends_on)], today)) for m in measures],
        "incidents": decision.incidents.all(),
        "members": decision.members_present.all(),
        "approval_members": decision.approval_members.all(),
        "sharing": decision.sharing.select_related("told_by"),
        "reviews": decision.reviews.select_related("reviewer"),
        "appeals": decision.appeals.all(),
        "answer": answer,
        "deadline": deadline,
        "lifted_by": decision.lifted_by.select_related("decided_by").first(),
        "approvers": who(preset, decision.approval_needed_by) if decision.approval_needed_by else "",
        "can_approve": decision.status == Decision.Status.AWAITING_APPROVAL
        and bool(keys & set(decision.approval_needed_by))
        and decision.decided_by_id != request.user.pk,
        "can_lift": restriction
        and decision.status == Decision.Status.IN_FORCE
        and lift_rule is not None
        and bool(keys & set(lift_rule.decided_by)),
        "can_appeal": restriction and decision.status in (Decision.Status.IN_FORCE, Decision.Status.ENDED),
        "can_advise": decision.type == DecisionType.REFERRAL
        and decision.referral_to_id == request.user.pk
        and not decision.referral_advice,
        "exemption": next(
            (e for e in preset.appeals.no_internal_appeal if e.key == decision.no_internal_appeal_reason),
            None,
        ),
        "decided_as": preset.decider_name(decision.decided_as) if decision.decided_as else "",
        "approved_as": preset.decider_name(decision.approved_as) if decision.approved_as else "",
        "letter": _letter_step(preset, rule),
        "letters": letter_selectors.for_decision(decision),
        "pending_review": decision.reviews.filter(outcome="").first(),
    }
    return render(request, "decisions/decision.html", context)


def _letter_step(preset: Any, rule: Any) -> str:
    if rule is None or not rule.letter_required:
        return ""
    checked = (
        f", checked by {who(preset, rule.letter_checked_by)} before it is sent"
        if rule.letter_checked_by
        else ""
    )
    return f"A letter to the customer is required{checked} ({rule.clause})."


def approve(request: HttpRequest, pk: int) -> HttpResponse:
    _need_to_know(request)
    decision = access.get_for_user(
        Decision.objects.select_related("case__customer", "decided_by"), request.user, pk=pk
    )
    preset = _preset(request)
    form = forms.ApproveForm(request.POST or None, preset=preset, actor=request.user, decision=decision)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_approve(
                actor=request.user,  # type: ignore[arg-type]
                decision=decision,
                approve=form.cleaned_data["approve"] == "yes",
                note=form.cleaned_data["note"],
                **_group_args(form),
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Your decision on the approval has been recorded."))
            return redirect("decisions:decision", pk=decision.pk)
    return render(
        request,
        "decisions/form.html",
        {
            "form": form,
            "decision": decision,
            "title": _("Approve or refuse this decision"),
            "button": _("Save"),
        },
    )


def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    _need_to_know(request)
    record = access.get_for_user(
        SharingRecord.objects.select_related("decision__case__customer"), request.user, pk=pk
    )
    form = forms.SharingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sharing_record(
                actor=request.user,  # type: ignore[arg-type]
                record=record,
                told_on=form.cleaned_data["told_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("%(party)s recorded as told.") % {"party": record.party})
            return redirect(reverse("decisions:decision", args=[record.decision_id]) + "#sharing")
    return render(
        request,
        "decisions/form.html",
        {
            "form": form,
            "decision": record.decision,
            "title": _("Record that %(party)s have been told") % {"party": record.party},
            "button": _("Record as told"),
            "dates": [("told_on", _("When were they told?"))],
        },
    )


def review(request: HttpRequest, pk: int) -> HttpResponse:
    _need_to_know(request)
    item = access.get_for_user(Review.objects.select_related("decision__case__customer"), request.user, pk=pk)
    decision = item.decision
    preset = _preset(request)
    form = forms.ReviewForm(request.POST or None, preset=preset, actor=request.user, decision=decision)  # type: ignore[arg-type]
    if item.outcome:
        form = None  # type: ignore[assignment]
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_record(
                actor=request.user,  # type: ignore[arg-type]
                review=item,
                outcome=data["outcome"],
                notes=data["notes"],
                in_active_contact=data["in_active_contact"] == "yes",
                next_review_on=data.get("next_review_on"),
                keep_measures=[int(k) for k in data["keep_measures"]] or None,
                ends_on=data.get("ends_on"),
                **_group_args(form),
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The review has been recorded."))
            return redirect("decisions:decision", pk=decision.pk)
    latest = engine.latest_review_date(preset, timezone.localdate())
    return render(
        request,
        "decisions/review.html",
        {"form": form, "review": item, "decision": decision, "latest": latest, "preset": preset},
    )


def lift(request: HttpRequest, pk: int) -> HttpResponse:
    _need_to_know(request)
    decision = access.get_for_user(Decision.objects.select_related("case__customer"), request.user, pk=pk)
    form = forms.LiftForm(request.POST or None, preset=_preset(request), actor=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_lift(
                actor=request.user,  # type: ignore[arg-type]
                decision=decision,
                reasons=form.cleaned_data["reasons"],
                **_group_args(form),
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The restriction has been lifted."))
            return redirect("decisions:decision", pk=decision.pk)
    return render(
        request,
        "decisions/form.html",
        {
            "form": form,
            "decision": decision,
            "title": _("Lift this restriction"),
            "button": _("Lift the restriction"),
        },
    )


def advice(request: HttpRequest, pk: int) -> HttpResponse:
    decision = access.get_for_user(Decision.objects.select_related("case__customer"), request.user, pk=pk)
    form = forms.AdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_advice_record(
                actor=request.user,  # type: ignore[arg-type]
                decision=decision,
                advice=form.cleaned_data["advice"],
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Your advice has been recorded and returned."))
            return redirect("decisions:decision", pk=decision.pk)
    return render(
        request,
        "decisions/form.html",
        {
            "form": form,
            "decision": decision,
            "title": _("Advise on this referral"),
            "button": _("Return my advice"),
        },
    )


# ---------------------------------------------------------------------------------------------
# Appeals
# ---------------------------------------------------------------------------------------------


def appeal_receive(request: HttpRequest, pk: int) -> HttpResponse:
    _need_to_know(request)
    decision = access.get_for_user(Decision.objects.select_related("case__customer"), request.user, pk=pk)
    preset = decision.policy_version.preset if decision.policy_version else _preset(request)
    answer = selectors.appeal_answer(preset, decision) if decision.decided_as else None
    form = forms.AppealReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.appeal_receive(
                actor=request.user,  # type: ignore[arg-type]
                decision=decision,
                received_on=data["received_on"],
                decision_received_on=data.get("decision_received_on"),
                grounds=data["grounds"],
                grounds_detail=data["grounds_detail"],
                about_restriction_only=data["about_restriction_only"],
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The appeal has been recorded."))
            return redirect("decisions:appeal", pk=appeal.pk)
    return render(
        request, "decisions/appeal_receive.html", {"form": form, "decision": decision, "answer": answer}
    )


def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need_to_know(request)
    appeal = access.get_for_user(
        Appeal.objects.select_related("decision__case__customer", "decision__decided_by", "decided_by"),
        request.user,
        pk=pk,
    )
    preset = _preset(request)
    keys = rules.acting_keys(preset, request.user.role_keys)  # type: ignore[union-attr]
    form = None
    if appeal.status == Appeal.Status.AWAITING_DECISION and keys & set(appeal.heard_by):
        form = forms.AppealDecideForm(request.POST or None, preset=preset, actor=request.user, appeal=appeal)  # type: ignore[arg-type]
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.appeal_decide(
                    actor=request.user,  # type: ignore[arg-type]
                    appeal=appeal,
                    outcome=data["outcome"],
                    reasons=data["reasons"],
                    keep_measures=[int(k) for k in data["keep_measures"]] or None,
                    ends_on=data.get("ends_on"),
                    late_accepted_reason=data.get("late_accepted_reason", ""),
                    **_group_args(form),
                )
            except ValidationError as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The outcome of the appeal has been recorded."))
                return redirect("decisions:appeal", pk=appeal.pk)
    grounds = dict(rules.APPEAL_GROUNDS)
    return render(
        request,
        "decisions/appeal.html",
        {
            "appeal": appeal,
            "decision": appeal.decision,
            "form": form,
            "grounds": [grounds.get(g, g) for g in appeal.grounds],
            "heard_by": who(preset, appeal.heard_by) if appeal.heard_by else "",
        },
    )


# ---------------------------------------------------------------------------------------------
# The periodic review
# ---------------------------------------------------------------------------------------------


def periodic(request: HttpRequest) -> HttpResponse:
    _need_to_know(request)
    preset = _preset(request)
    today = timezone.localdate()
    due = rules.periodic_due(preset, today)
    current = access.scoped(PeriodicReview, request.user).filter(due_on=due[1]).first() if due else None
    items = current.items.select_related("decision__case__customer", "checked_by") if current else []
    form = None
    if current is not None and current.signed_off_at is None:
        form = forms.SignOffForm(request.POST or None, preset=preset, actor=request.user)  # type: ignore[arg-type]
        if request.method == "POST" and form.is_valid():
            try:
                services.periodic_review_signoff(
                    actor=request.user,  # type: ignore[arg-type]
                    periodic=current,
                    summary=form.cleaned_data["summary"],
                    **_group_args(form),
                )
            except ValidationError as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The review has been signed off."))
                return redirect("decisions:periodic")
    return render(
        request,
        "decisions/periodic.html",
        {
            "due": due,
            "current": current,
            "items": items,
            "form": form,
            "clause": preset.reviews.periodic.clause,
        },
    )


@require_POST
def periodic_open(request: HttpRequest) -> HttpResponse:
    _need_to_know(request)
    services.periodic_review_open(actor=request.user, organisation=request.user.organisation)  # type: ignore[union-attr, arg-type]
    return redirect("decisions:periodic")


def periodic_item(request: HttpRequest, pk: int) -> HttpResponse:
    _need_to_know(request)
    item = access.get_for_user(
        PeriodicReviewItem.objects.select_related("decision__case__customer", "periodic_review"),
        request.user,
        pk=pk,
    )
    form = forms.PeriodicItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.periodic_item_check(
                actor=request.user,  # type: ignore[arg-type]
                item=item,
                still_needed=form.cleaned_data["still_needed"] == "yes",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("Checked."))
            return redirect("decisions:periodic")
    return render(
        request,
        "decisions/form.html",
        {
            "form": form,
            "decision": item.decision,
            "title": _("Check this restriction"),
            "button": _("Save"),
            "back": reverse("decisions:periodic"),
        },
    )
