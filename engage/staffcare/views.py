"""Staff care pages: ask not to deal with a customer, note a debrief, report being named online.

Thin views: each reads through `engage.access` and the need-to-know selectors (anything another
organisation holds, or another person's that you need not see, is "not found"), parses one form
and calls one service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from engage import access
from engage.customers import selectors as customer_selectors
from engage.incidents.models import Incident
from engage.policy.services import current_policy
from engage.policy.vocabulary import Capability
from engage.staff.models import User
from engage.staffcare import forms, rules, selectors, services
from engage.staffcare.models import NamedOnlineReport, NamedOnlineScreenshot, StaffRequest

_MANAGERS = (Capability.MANAGER, Capability.SENIOR_DECISION_MAKER, Capability.APPEAL_OFFICER)


def _apply_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, msgs in error.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


def _posted(request: HttpRequest) -> Any:
    # Not `request.POST or None`: an empty submission must still be checked and its errors shown.
    return request.POST if request.method == "POST" else None


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "staffcare/form.html", {"form": form, **context})


def _me_and_my_team(user: Any) -> Any:
    """Whom a person may act for: themselves and anyone below them, or None if they manage no one."""
    team = selectors.managed_by(user)
    if not team.exists():
        return None
    return User.objects.filter(Q(pk=user.pk) | Q(pk__in=team.values("pk"))).order_by(
        "first_name", "last_name"
    )


def _parties(report: NamedOnlineReport) -> list[rules.Party]:
    preset = current_policy(report.organisation).preset
    return rules.parties_to_tell(preset, reported_by_someone_else=report.reported_by_someone_else)


# ----------------------------------------------------------------------------- start page


def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    requests = selectors.requests_for(user)
    debriefs = selectors.debriefs_for(user)
    named = selectors.named_online_for(user)
    manages_anyone = selectors.managed_by(user).exists()
    sees_team_requests = manages_anyone or user.can(Capability.SENIOR_DECISION_MAKER)
    sees_named = manages_anyone or user.can(Capability.HR_COMMUNICATIONS)
    return render(
        request,
        "staffcare/index.html",
        {
            "my_requests": requests.filter(staff_member=user),
            "my_debriefs": debriefs.filter(staff_member=user).prefetch_related("held_with"),
            "my_named": named.filter(staff_member=user),
            "team_requests": (
                requests.exclude(staff_member=user).filter(status__in=StaffRequest.OPEN)[:50]
                if sees_team_requests
                else None
            ),
            "team_debriefs": (
                debriefs.exclude(staff_member=user).prefetch_related("held_with")[:20]
                if manages_anyone
                else None
            ),
            "team_named": (
                named.exclude(staff_member=user).filter(status=NamedOnlineReport.Status.OPEN)[:50]
                if sees_named
                else None
            ),
            "manages_anyone": manages_anyone,
        },
    )


# -------------------------------------------------------------------------- staff requests


def request_new(request: HttpRequest) -> HttpResponse:
    """Find the customer, then say what you would like. A reason is never required."""
    user: Any = request.user
    customer_pk = request.GET.get("customer")
    if not customer_pk:
        search_form = forms.CustomerSearchForm(request.GET or None)
        found = (
            customer_selectors.search(user, search_form.cleaned_data["q"]) if search_form.is_valid() else None
        )
        return render(request, "staffcare/request_find.html", {"form": search_form, "found": found})
    customer = access.get_for_user(customer_selectors.customers(user), user, pk=customer_pk)
    for_whom = _me_and_my_team(user)
    form = forms.RequestForm(_posted(request), for_whom=for_whom, initial={"staff_member": user})
    if request.method == "POST" and form.is_valid():
        staff_member = form.cleaned_data.get("staff_member") or user
        try:
            made = services.staff_request_make(
                actor=user,
                staff_member=staff_member,
                customer=customer,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your request has been sent."))
            return redirect("staffcare:request", pk=made.pk)
    return _form_page(
        request,
        form,
        title=_("Ask for a change"),
        caption=customer.name,
        back=reverse("staffcare:request_new"),
        intro=_(
            "Ask not to deal with %(name)s. Your manager will decide, and you will see the decision here."
        )
        % {"name": customer.name},
        button=_("Send request"),
    )


def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    item = access.get_for_user(
        selectors.requests_for(user).select_related("created_by", "correspond_as", "ended_by"), user, pk=pk
    )
    own = item.staff_member_id == user.pk
    return render(
        request,
        "staffcare/request_detail.html",
        {
            "item": item,
            "own": own,
            "may_decide": item.status == StaffRequest.Status.REQUESTED and selectors.may_decide(user, item),
            "may_end": item.is_open and (own or selectors.may_decide(user, item)),
            "decider": item.staff_member.line_manager,
        },
    )


def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    item = access.get_for_user(selectors.requests_for(user), user, pk=pk)
    if not selectors.may_decide(user, item):
        raise PermissionDenied("Only a manager above this person, or a senior manager, can decide this.")
    seniors = selectors.people_with(item.organisation_id, *_MANAGERS).exclude(pk=item.staff_member_id)
    form = forms.DecideForm(_posted(request), request=item, seniors=seniors)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_request_decide(
                actor=user,
                request=item,
                agree=form.cleaned_data["decision"] == "agree",
                reason=form.cleaned_data["reason"],
                correspond_as=form.cleaned_data.get("correspond_as"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Your decision has been recorded. %(name)s can see it.") % {"name": item.staff_member},
            )
            return redirect("staffcare:request", pk=item.pk)
    return _form_page(
        request,
        form,
        title=_("Decide on this request"),
        caption=f"{item.staff_member}: {item.get_kind_display()}",
        back=reverse("staffcare:request", args=[item.pk]),
        summary=item,
        button=_("Save decision"),
    )


def request_end(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    item = access.get_for_user(selectors.requests_for(user), user, pk=pk)
    own = item.staff_member_id == user.pk
    if not own and not selectors.may_decide(user, item):
        raise PermissionDenied("Only the person, their manager, or a senior manager can end this.")
    form = forms.EndForm(_posted(request), own=own)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_request_end(actor=user, request=item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The request has ended."))
            return redirect("staffcare:request", pk=item.pk)
    return _form_page(
        request,
        form,
        title=_("Withdraw your request") if own else _("End this request"),
        caption=item.customer.name,
        back=reverse("staffcare:request", args=[item.pk]),
        button=_("Withdraw request") if own else _("End request"),
        warning=not own,
    )


# -------------------------------------------------------------------------------- debriefs


def _debrief_companions(user: Any) -> Any:
    """Who a debrief might have been held with: the person's managers, themselves, their team."""
    ids = {user.pk}
    person = user
    for _level in range(selectors.MANAGEMENT_DEPTH):
        person = person.line_manager
        if person is None:
            break
        ids.add(person.pk)
    near = Q(pk__in=ids) | Q(line_manager=user)
    if user.line_manager_id is not None:
        near |= Q(line_manager_id=user.line_manager_id)
    return access.scoped(User, user).filter(near, is_active=True).order_by("first_name", "last_name")


def _recent_incidents(user: Any, people: Any) -> Any:
    ids = list(
        access.scoped(Incident, user)
        .exclude(status=Incident.Status.DRAFT)
        .filter(Q(reporter__in=people) | Q(staff_affected__in=people))
        .order_by("-created_at")
        .values_list("pk", flat=True)
        .distinct()[:50]
    )
    return Incident.objects.filter(pk__in=ids).order_by("-created_at")


def debrief_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    for_whom = _me_and_my_team(user)
    people = list(for_whom) if for_whom is not None else [user]
    form = forms.DebriefForm(
        _posted(request),
        for_whom=for_whom,
        held_with=_debrief_companions(user),
        incidents=_recent_incidents(user, people),
    )
    if request.method == "POST" and form.is_valid():
        staff_member = form.cleaned_data.get("staff_member") or user
        try:
            debrief = services.debrief_record(
                actor=user,
                staff_member=staff_member,
                held_with=form.cleaned_data["held_with"],
                held_on=form.cleaned_data["held_on"],
                incident=form.cleaned_data["incident"],
                agreed_actions=form.cleaned_data["agreed_actions"],
                follow_up_on=form.cleaned_data["follow_up_on"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The debrief has been noted."))
            return redirect("staffcare:debrief", pk=debrief.pk)
    return _form_page(
        request,
        form,
        title=_("Note a debrief"),
        back=reverse("staffcare:index"),
        intro=_("After a difficult incident, a short talk with your manager, and what you agreed."),
        button=_("Save"),
    )


def debrief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    debrief = access.get_for_user(selectors.debriefs_for(user).select_related("created_by"), user, pk=pk)
    return render(
        request, "staffcare/debrief_detail.html", {"debrief": debrief, "held_with": debrief.held_with.all()}
    )


# ---------------------------------------------------------------------------- named online


def named_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    reports = selectors.named_online_for(user).exclude(staff_member=user)
    return render(request, "staffcare/named_list.html", {"reports": reports[:100]})


def named_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    about_colleague = request.GET.get("about") == "colleague"
    colleagues = (
        access.scoped(User, user)
        .filter(is_active=True)
        .exclude(pk=user.pk)
        .order_by("first_name", "last_name")
        if about_colleague
        else None
    )
    form = forms.NamedOnlineForm(
        _posted(request), request.FILES if request.method == "POST" else None, colleagues=colleagues
    )
    if request.method == "POST" and form.is_valid():
        staff_member = form.cleaned_data.get("staff_member") or user
        try:
            report = services.named_online_report(
                actor=user,
                staff_member=staff_member,
                platform=form.cleaned_data["platform"],
                links=form.cleaned_data["links"],
                description=form.cleaned_data["description"],
                screenshots=form.cleaned_data["screenshots"],
                staff_view=form.cleaned_data.get("staff_view", ""),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if about_colleague:
                messages.success(
                    request,
                    _("Thank you. %(name)s's line manager will tell them in private.")
                    % {"name": staff_member},
                )
                return redirect("staffcare:index")
            messages.success(request, _("Thank you for telling us."))
            return redirect("staffcare:named", pk=report.pk)
    return _form_page(
        request,
        form,
        title=_("Tell us a colleague has been named online")
        if about_colleague
        else _("Tell us you have been named online"),
        back=reverse("staffcare:index"),
        intro=(
            _("Only the people who need to know will be told.")
            if about_colleague
            else _(
                "Only where it was posted is needed now. You can add the rest later, or ask your manager to."
            )
        ),
        button=_("Send"),
    )


def _named_for(user: Any, pk: int) -> NamedOnlineReport:
    return access.get_for_user(
        selectors.named_online_for(user).select_related(
            "staff_member__line_manager", "closed_by", "staff_view_recorded_by"
        ),
        user,
        pk=pk,
    )


def named_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    report = _named_for(user, pk)
    parties = _parties(report)
    told = {e["party"]: {**e, "on": dt.date.fromisoformat(e["on"])} for e in report.told}
    handler = selectors.may_handle_named_online(user, report)
    own = report.staff_member_id == user.pk
    return render(
        request,
        "staffcare/named_detail.html",
        {
            "report": report,
            "own": own,
            "handler": handler,
            "is_open": report.status == NamedOnlineReport.Status.OPEN,
            "parties": [(p, told.get(p.key)) for p in parties],
            "others_told": [e for key, e in told.items() if key not in {p.key for p in parties}],
            "untold": rules.untold(parties, told),
            "screenshots": report.screenshots.all(),
            "may_tell": handler or own,
        },
    )


def named_tell(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    report = _named_for(user, pk)
    own = report.staff_member_id == user.pk
    if not (own or selectors.may_handle_named_online(user, report)):
        raise PermissionDenied("Only the person, their manager, or HR and communications can record this.")
    parties = [
        p
        for p in rules.untold(_parties(report), report.told_keys)
        if not (own and p.key == rules.STAFF_MEMBER)
    ]
    form = forms.TellForm(_posted(request), parties=parties)
    if request.method == "POST" and form.is_valid():
        try:
            services.named_online_tell(
                actor=user,
                report=report,
                parties=form.cleaned_data["parties"],
                told_on=form.cleaned_data["told_on"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Who has been told is recorded."))
            return redirect("staffcare:named", pk=report.pk)
    line_manager = report.staff_member.line_manager
    return _form_page(
        request,
        form,
        title=_("Record who has been told"),
        caption=str(report.staff_member),
        back=reverse("staffcare:named", args=[report.pk]),
        intro=_("Tell only these people: no one else needs to know.")
        + (
            " "
            + _("%(name)s's line manager is %(manager)s.")
            % {"name": report.staff_member, "manager": line_manager}
            if line_manager
            else ""
        ),
        button=_("Save"),
        nothing_left=not parties,
    )


def named_say(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    report = _named_for(user, pk)
    own = report.staff_member_id == user.pk
    if not (own or selectors.may_handle_named_online(user, report)):
        raise PermissionDenied("Only the person, their manager, or HR and communications can record this.")
    form = forms.SayForm(
        _posted(request),
        own=own,
        name=str(report.staff_member),
        initial={"staff_view": report.staff_view},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.named_online_say(actor=user, report=report, staff_view=form.cleaned_data["staff_view"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. This has been recorded."))
            return redirect("staffcare:named", pk=report.pk)
    return _form_page(
        request,
        form,
        title=_("Say what you would like done") if own else _("Record what they would like done"),
        back=reverse("staffcare:named", args=[report.pk]),
        intro=_("You have a say in what, if anything, is done about it.") if own else "",
        button=_("Save"),
    )


def named_act(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    report = _named_for(user, pk)
    if not selectors.may_handle_named_online(user, report):
        raise PermissionDenied("Only their manager, or HR and communications, can record this.")
    form = forms.ActForm(_posted(request), initial={"actions_taken": report.actions_taken})
    if request.method == "POST" and form.is_valid():
        try:
            services.named_online_act(
                actor=user, report=report, actions_taken=form.cleaned_data["actions_taken"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("What has been done is recorded."))
            return redirect("staffcare:named", pk=report.pk)
    return _form_page(
        request,
        form,
        title=_("Record what has been done"),
        caption=str(report.staff_member),
        back=reverse("staffcare:named", args=[report.pk]),
        intro=_("What is done should follow what %(name)s wants, where the policy allows.")
        % {"name": report.staff_member},
        button=_("Save"),
    )


def named_close(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    report = _named_for(user, pk)
    if not selectors.may_handle_named_online(user, report):
        raise PermissionDenied("Only their manager, or HR and communications, can close this.")
    form = forms.CloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.named_online_close(actor=user, report=report)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The report is closed."))
            return redirect("staffcare:named", pk=report.pk)
    untold = rules.untold(_parties(report), report.told_keys)
    return _form_page(
        request,
        form,
        title=_("Close this report"),
        caption=str(report.staff_member),
        back=reverse("staffcare:named", args=[report.pk]),
        intro=(
            _("Not yet recorded as told: %(names)s.") % {"names": ", ".join(p.name for p in untold)}
            if untold
            else _("Everyone the policy names has been told.")
        ),
        button=_("Close report"),
    )


@require_POST
def screenshot_open(request: HttpRequest, pk: int) -> FileResponse:
    """Opened on purpose with a button, never shown inline, and each opening recorded."""
    user: Any = request.user
    screenshot = access.get_for_user(
        NamedOnlineScreenshot.objects.select_related("report__organisation").filter(
            report__in=selectors.named_online_for(user)
        ),
        user,
        pk=pk,
    )
    services.named_online_screenshot_open(actor=user, screenshot=screenshot)
    response = FileResponse(screenshot.file.open("rb"), content_type=screenshot.content_type)
    extension = screenshot.file.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="screenshot-{screenshot.pk}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response
