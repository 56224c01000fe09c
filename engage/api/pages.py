"""Pages: service accounts and their tokens for information governance, and the API's documentation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from engage import access
from engage.api import services
from engage.api.forms import ServiceAccountForm
from engage.api.models import ApiToken, ServiceAccount
from engage.api.schema import schema
from engage.policy.vocabulary import Capability

_IG = Capability.INFORMATION_GOVERNANCE
_METHODS = ("get", "post", "put", "patch", "delete")


def _apply_errors(form: ServiceAccountForm, error: ValidationError) -> None:
    for field, msgs in error.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


def account_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, _IG)
    accounts = (
        access.scoped(ServiceAccount, request.user)
        .annotate(live_tokens=Count("tokens", filter=Q(tokens__revoked_at__isnull=True)))
        .order_by("name", "id")
    )
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(request, "api/accounts.html", {"page": page})


def account_add(request: HttpRequest) -> HttpResponse:
    access.require(request.user, _IG)
    organisation = request.user.organisation  # type: ignore[union-attr]
    assert organisation is not None  # require() passed, so the user belongs to one
    form = ServiceAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.service_account_create(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s has been added. Create a token for it.") % {"name": account}
            )
            return redirect("api:account", pk=account.pk)
    return render(request, "api/account_add.html", {"form": form})


def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, _IG)
    account = access.get_for_user(ServiceAccount.objects.select_related("created_by"), request.user, pk=pk)
    tokens = account.tokens.select_related("created_by", "revoked_by")
    return render(request, "api/account.html", {"account": account, "tokens": tokens})


@require_POST
@never_cache
def token_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The new token, on this response only: Engage keeps its hash, so it can never show it again.
    Rendered rather than redirected, so the token is never written to the session."""
    access.require(request.user, _IG)
    account = access.get_for_user(ServiceAccount, request.user, pk=pk)
    try:
        issued = services.token_issue(actor=request.user, account=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("api:account", pk=account.pk)
    return render(request, "api/token_issued.html", {"account": account, "issued": issued})


def token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    access.require(request.user, _IG)
    token = access.get_for_user(
        ApiToken.objects.select_related("account__organisation"), request.user, pk=token_pk, account_id=pk
    )
    if request.method == "POST":
        try:
            services.token_revoke(actor=request.user, token=token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Token %(prefix)s… has been revoked. It no longer works.") % {"prefix": token.prefix},
            )
        return redirect("api:account", pk=token.account_id)
    return render(request, "api/token_revoke.html", {"token": token, "account": token.account})


@login_not_required
def docs(request: HttpRequest) -> HttpResponse:
    """Every operation of the schema, on a plain page: no script, so the site's Content Security
    Policy holds and it works without JavaScript (Swagger UI and Redoc would need a CDN or
    bundled assets)."""
    spec = schema()
    operations = [
        _operation(spec, path, method, item[method])
        for path, item in spec["paths"].items()
        for method in _METHODS
        if method in item
    ]
    sections: dict[str, list[dict[str, Any]]] = {}
    for tag in spec.get("tags", []):
        sections[tag["name"]] = []
    for operation in operations:
        sections.setdefault(operation["tag"], []).append(operation)
    paragraphs = [" ".join(p.split()) for p in spec["info"].get("description", "").split("\n\n") if p.strip()]
    return render(
        request,
        "api/docs.html",
        {
            "info": spec["info"],
            "paragraphs": paragraphs,
            "sections": [(name, ops) for name, ops in sections.items() if ops],
        },
    )


def _operation(spec: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> dict[str, Any]:
    responses = []
    for code, response in op.get("responses", {}).items():
        body = response.get("content", {}).get("application/json", {}).get("schema")
        responses.append(
            {"code": code, "description": response.get("description", ""), "fields": _fields(spec, body)}
        )
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    return {
        "id": op["operationId"],
        "tag": (op.get("tags") or ["Other"])[0],
        "method": method.upper(),
        "path": path,
        "summary": op.get("summary", ""),
        "description": op.get("description", ""),
        "parameters": [
            {
                "name": p["name"],
                "where": p["in"],
                "required": p.get("required", False),
                "type": _type(spec, p.get("schema", {})),
                "description": p.get("description", ""),
            }
            for p in op.get("parameters", [])
        ],
        "request": _fields(spec, body),
        "responses": responses,
    }


def _resolve(spec: dict[str, Any], schema: dict[str, Any] | None) -> dict[str, Any]:
    while schema and "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema or {}


def _type(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    """A schema in words: "string (date)", "one of allow, refuse", "list of Measure", "Customer or null"."""
    if "$ref" in schema:
        target = _resolve(spec, schema)
        name = schema["$ref"].rsplit("/", 1)[1]
        return _type(spec, target) if "enum" in target else name
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in schema:
            return " or ".join(_type(spec, s) for s in schema[combinator])
    if "enum" in schema:
        return "one of " + ", ".join("null" if v is None else str(v) for v in schema["enum"] if v != "")
    kinds = schema.get("type", "object")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    words = []
    for kind in kinds:
        if kind == "array":
            words.append("list of " + _type(spec, schema.get("items", {})))
        elif kind == "string" and "format" in schema:
            words.append(f"string ({schema['format']})")
        else:
            words.append(kind)
    return " or ".join(words)


def _fields(spec: dict[str, Any], schema: dict[str, Any] | None, prefix: str = "") -> list[dict[str, str]]:
    """The fields of a body, nested objects and lists of objects spelled out ("measures[].type")."""
    resolved = _resolve(spec, schema)
    rows = []
    required = set(resolved.get("required", []))
    for name, field in resolved.get("properties", {}).items():
        rows.append(
            {
                "name": prefix + name,
                "type": _type(spec, field),
                "required": name in required,
                "description": _resolve(spec, field).get("description", field.get("description", "")),
            }
        )
        nested = field.get("items") if field.get("type") == "array" else field
        for option in nested.get("oneOf", [nested]) if nested else []:
            target = _resolve(spec, option)
            if "$ref" in option and "properties" in target:
                marker = "[]." if field.get("type") == "array" else "."
                rows.extend(_fields(spec, option, prefix + name + marker))
    return rows
