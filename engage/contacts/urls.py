from django.urls import path

from engage.contacts import views

app_name = "contacts"
urlpatterns = [
    path("check/", views.check, name="check"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("levels/settings/", views.levels_settings, name="levels_settings"),
    path("check/retention/", views.checks_retention, name="checks_retention"),
    path("events/retention/", views.events_retention, name="events_retention"),
    path("checks/", views.checks_log, name="checks"),
    path("levels/<int:pk>/", views.levels_flag, name="levels_flag"),
]
