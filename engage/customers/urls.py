from django.urls import path

from engage.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_search, name="search"),
    path("add/", views.customer_add, name="add"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/identifiers/add/", views.identifier_choose, name="identifier_choose"),
    path("<int:pk>/identifiers/add/<slug:kind>/", views.identifier_add, name="identifier_add"),
    path("<int:pk>/identifiers/<int:identifier_pk>/end/", views.identifier_end, name="identifier_end"),
    path("<int:pk>/representatives/add/", views.representative_add, name="representative_add"),
    path(
        "<int:pk>/representatives/<int:rep_pk>/identifiers/add/<slug:kind>/",
        views.representative_identifier_add,
        name="representative_identifier_add",
    ),
    path(
        "<int:pk>/representatives/<int:rep_pk>/identifiers/<int:identifier_pk>/end/",
        views.representative_identifier_end,
        name="representative_identifier_end",
    ),
    path("<int:pk>/needs/add/", views.need_record, name="need_record"),
    path(
        "<int:pk>/vulnerability-notes/add/", views.vulnerability_note_record, name="vulnerability_note_record"
    ),
    path("<int:pk>/merge/<int:other_pk>/", views.customer_merge, name="merge"),
]
