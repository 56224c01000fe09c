"""The API under /api/v1/: its endpoints, schema and documentation, and the pages where information
governance manages service accounts."""

from django.urls import path, re_path

from engage.api import pages, views
from engage.api.schema import SchemaView

app_name = "api"
urlpatterns = [
    # Endpoints (no trailing slash, like the contact check's fixed contract)
    path("contact-check", views.ContactCheck.as_view(), name="contact_check"),
    path("customers", views.CustomerList.as_view(), name="customers"),
    path("customers/<str:reference>", views.CustomerDetail.as_view(), name="customer"),
    path("incidents", views.IncidentList.as_view(), name="incidents"),
    path("incidents/<str:reference>", views.IncidentDetail.as_view(), name="incident"),
    path("decisions", views.DecisionList.as_view(), name="decisions"),
    path("decisions/<int:pk>", views.DecisionDetail.as_view(), name="decision"),
    path("reviews", views.ReviewList.as_view(), name="reviews"),
    path("reviews/<int:pk>", views.ReviewDetail.as_view(), name="review"),
    path("appeals", views.AppealList.as_view(), name="appeals"),
    path("appeals/<int:pk>", views.AppealDetail.as_view(), name="appeal"),
    path("letters", views.LetterList.as_view(), name="letters"),
    path("letters/<int:pk>", views.LetterDetail.as_view(), name="letter"),
    path("contact-events", views.ContactEvents.as_view(), name="contact_events"),
    # The schema and its documentation
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", pages.docs, name="docs"),
    # Pages for information governance
    path("service-accounts/", pages.account_list, name="accounts"),
    path("service-accounts/add/", pages.account_add, name="account_add"),
    path("service-accounts/<int:pk>/", pages.account_detail, name="account"),
    path("service-accounts/<int:pk>/tokens/", pages.token_issue, name="token_issue"),
    path("service-accounts/<int:pk>/tokens/<int:token_pk>/revoke/", pages.token_revoke, name="token_revoke"),
    # Anything else under /api/v1/ answers in JSON too (pages keep Django's slash redirect)
    re_path(r"^(?!service-accounts|docs|schema)(?P<rest>.*)$", views.not_found),
]
