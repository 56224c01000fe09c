"""Engage's URLs: one include per domain."""

from django.contrib import admin
from django.urls import include, path

from engage.core import views as core

urlpatterns = [
    path("", core.home, name="home"),
    path("sign-in/", core.SignInView.as_view(), name="login"),
    path("sign-out/", core.SignOutView.as_view(), name="logout"),
    path("healthz", core.healthz, name="healthz"),
    path("staff/", include("engage.staff.urls")),
    path("audit/", include("engage.audit.urls")),
    path("organisation/", include("engage.organisations.urls")),
    path("policy/", include("engage.policy.urls")),
    path("customers/", include("engage.customers.urls")),
    path("incidents/", include("engage.incidents.urls")),
    path("evidence/", include("engage.evidence.urls")),
    path("staff-care/", include("engage.staffcare.urls")),
    path("cases/", include("engage.decisions.urls")),
    path("letters/", include("engage.letters.urls")),
    path("contacts/", include("engage.contacts.urls")),
    path("api/v1/", include("engage.api.urls")),
    path("platform-admin/", admin.site.urls),
]

handler500 = "engage.core.views.server_error"
