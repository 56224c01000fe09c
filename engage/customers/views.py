"""Customer pages: search, the customer's record, adding a customer and what identifies them, merging."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from engage import access
from engage.customers import selectors, services
from engage.customers.forms import (
    ConfirmForm,
    CustomerCreateForm,
    IdentifierForm,
    IdentifierKindForm,
    NeedForm,
    RepresentativeForm,
    SearchForm,
    VulnerabilityNoteForm,
)
from engage.customers.models import Customer, Identifier, Representative, RepresentativeIdentifier
from engage.customers.services import NewIdentifier
from engage.decisions.selectors import can_see_history, current_marker

# Service errors name these; on a form without such a field they belong to the first identifier.
_FIELD_FOR = {"identifiers": "phone"}


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    for field, msgs in error.message_dict.items():
        field = _FIELD_FOR.get(field, field)
        form.add_error(field if field in form.fields else None, msgs)


def _posted(request: HttpRequest) -> Any:
    # Bound on any POST, even an empty one: a confirmation page posts no fields.
    return request.POST if request.method == "POST" else None


def _customer(request: HttpRequest, pk: int) -> Customer:
    """The user's organisation's customer, or 404 (for missing and for not theirs alike)."""
    return access.get_for_user(Customer.objects.select_related("organisation"), request.user, pk=pk)


def _open_customer(request: HttpRequest, pk: int) -> Customer:
    # A merged record takes no more changes: its pages are the survivor's.
    customer = _customer(request, pk)
    if customer.merged_into_id is not None:
        raise Http404("This record was merged into another.")
    return customer


def customer_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        result = selectors.search(request.user, form.cleaned_data["q"])
        if result.problem:
            form.add_error("q", result.problem)
    return render(request, "customers/search.html", {"form": form, "result": result})


def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _customer(request, pk)
    if customer.merged_into_id is not None:
        survivor = selectors.surviving(customer)
        return render(request, "customers/merged.html", {"customer": customer, "survivor": survivor})
    can_see_vulnerability = selectors.can_see_vulnerability(request.user)
    identifier_rows = list(customer.identifiers.all())
    return render(
        request,
        "customers/detail.html",
        {
            "customer": customer,
            "identifiers": identifier_rows,
            "representatives": customer.representatives.prefetch_related("identifiers"),
            "needs": customer.needs.select_related("created_by"),
            "can_see_vulnerability": can_see_vulnerability,
            "notes": customer.vulnerability_notes.select_related("created_by")
            if can_see_vulnerability
            else [],
            "duplicates": selectors.likely_duplicates(request.user, customer),
            "can_merge": selectors.can_merge(request.user),
            # The marker is for everyone; the case behind it only for those with need to know.
            "marker": current_marker(customer),
            "can_see_case": can_see_history(request.user),
        },
    )


def customer_add(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation  # type: ignore[union-attr]
    if organisation is None:
        raise Http404("Not found")
    form = CustomerCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer = services.customer_create(
                actor=request.user,
                organisation=organisation,
                kind=data["kind"],
                full_name=data["full_name"],
                display_name=data["display_name"],
                identifiers=_new_identifiers(data),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been added as %(ref)s.") % _said(customer))
            return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/add.html", {"form": form})


def _new_identifiers(data: dict[str, Any]) -> list[NewIdentifier]:
    new = [NewIdentifier(kind, data[kind]) for kind in ("phone", "email", "reference") if data[kind].strip()]
    if data["social"].strip():
        new.append(NewIdentifier("social", data["social"], platform=data["platform"]))
    if data["postal_address"].strip():
        new.append(NewIdentifier("postal_address", data["postal_address"], postcode=data["postcode"]))
    elif data["postcode"].strip():
        new.append(NewIdentifier("postcode", data["postcode"]))
    return new


def identifier_choose(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _open_customer(request, pk)
    form = IdentifierKindForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        return redirect("customers:identifier_add", pk=customer.pk, kind=form.cleaned_data["kind"])
    title = _("Add an identifier")
    return render(
        request,
        "customers/form.html",
        {"form": form, "title": title, "customer": customer, "button": _("Continue")},
    )


def identifier_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    customer = _open_customer(request, pk)
    if kind not in Identifier.Kind.values:
        raise Http404("Not found")
    form = IdentifierForm(_posted(request), kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        value_field = "social" if kind == Identifier.Kind.SOCIAL else kind
        try:
            services.identifier_add(
                actor=request.user,
                customer=customer,
                kind=kind,
                raw=data[value_field],
                platform=data.get("platform", ""),
                postcode=data.get("postcode", "") if kind == Identifier.Kind.POSTAL_ADDRESS else "",
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            label = Identifier.Kind(kind).label
            messages.success(request, _("%(what)s added.") % {"what": label})
            return redirect("customers:detail", pk=customer.pk)
    title = _("Add %(what)s") % {"what": str(Identifier.Kind(kind).label).lower()}
    return render(request, "customers/form.html", {"form": form, "title": title, "customer": customer})


def identifier_end(request: HttpRequest, pk: int, identifier_pk: int) -> HttpResponse:
    customer = _open_customer(request, pk)
    identifier = access.get_for_user(
        Identifier.objects.select_related("customer"), request.user, pk=identifier_pk, customer=customer
    )
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.identifier_end(actor=request.user, identifier=identifier)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("%(what)s marked as no longer used.") % {"what": identifier.display})
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/end_identifier.html",
        {"form": form, "customer": customer, "identifier": identifier},
    )


def representative_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _open_customer(request, pk)
    form = RepresentativeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.representative_add(actor=request.user, customer=customer, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Representative added."))
            return redirect("customers:detail", pk=customer.pk)
    title = _("Add a representative")
    return render(request, "customers/form.html", {"form": form, "title": title, "customer": customer})


def _representative(request: HttpRequest, customer: Customer, rep_pk: int) -> Representative:
    return access.get_for_user(Representative.objects.all(), request.user, pk=rep_pk, customer=customer)


def representative_identifier_add(request: HttpRequest, pk: int, rep_pk: int, kind: str) -> HttpResponse:
    customer = _open_customer(request, pk)
    representative = _representative(request, customer, rep_pk)
    if kind not in RepresentativeIdentifier.KINDS:
        raise Http404("Not found")
    form = IdentifierForm(_posted(request), kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.representative_identifier_add(
                actor=request.user,
                representative=representative,
                kind=kind,
                raw=data["social" if kind == Identifier.Kind.SOCIAL else kind],
                platform=data.get("platform", ""),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            label = Identifier.Kind(kind).label
            messages.success(request, _("%(what)s added.") % {"what": label})
            return redirect("customers:detail", pk=customer.pk)
    title = _("Add %(what)s for %(name)s") % {
        "what": str(Identifier.Kind(kind).label).lower(),
        "name": representative.name,
    }
    return render(request, "customers/form.html", {"form": form, "title": title, "customer": customer})


def representative_identifier_end(
    request: HttpRequest, pk: int, rep_pk: int, identifier_pk: int
) -> HttpResponse:
    customer = _open_customer(request, pk)
    representative = _representative(request, customer, rep_pk)
    identifier = access.get_for_user(
        RepresentativeIdentifier.objects.select_related("representative__customer"),
        request.user,
        pk=identifier_pk,
        representative=representative,
    )
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.representative_identifier_end(actor=request.user, identifier=identifier)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("%(what)s marked as no longer used.") % {"what": identifier.display})
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/end_identifier.html",
        {"form": form, "customer": customer, "identifier": identifier, "representative": representative},
    )


def need_record(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _open_customer(request, pk)
    form = NeedForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.need_record(
                actor=request.user, customer=customer, description=form.cleaned_data["description"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Need or reasonable adjustment recorded."))
            return redirect("customers:detail", pk=customer.pk)
    title = _("Record a need or reasonable adjustment")
    return render(request, "customers/form.html", {"form": form, "title": title, "customer": customer})


def vulnerability_note_record(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, *selectors.VULNERABILITY_READERS)
    customer = _open_customer(request, pk)
    form = VulnerabilityNoteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.vulnerability_note_record(
                actor=request.user, customer=customer, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Vulnerability note recorded."))
            return redirect("customers:detail", pk=customer.pk)
    title = _("Record a vulnerability note")
    return render(request, "customers/form.html", {"form": form, "title": title, "customer": customer})


def customer_merge(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Check your answers, then merge `other` into the record `pk`, which is kept."""
    access.require(request.user, *selectors.MERGERS)
    keep = _open_customer(request, pk)
    merge = _open_customer(request, other_pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_merge(actor=request.user, keep=keep, merge=merge)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("%(merged)s has been merged into %(kept)s.")
                % {"merged": merge.reference, "kept": keep.reference},
            )
            return redirect("customers:detail", pk=keep.pk)
    return render(
        request,
        "customers/merge.html",
        {
            "form": form,
            "keep": keep,
            "merge": merge,
            "moving": {
                "identifiers": merge.identifiers.all(),
                "representatives": merge.representatives.all(),
                "needs": merge.needs.all(),
                "notes": merge.vulnerability_notes.count(),
            },
        },
    )


def _said(customer: Customer) -> dict[str, str]:
    return {"name": customer.name, "ref": customer.reference}
