from django.urls import path

from engage.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_index, name="index"),
    path("new/", views.incident_new, name="new"),
    path("review/", views.review_queue, name="queue"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/check/", views.incident_check, name="check"),
    path("<int:pk>/logged/", views.incident_logged, name="logged"),
    path("<int:pk>/review/", views.incident_review, name="review"),
    path("<int:pk>/police/", views.incident_police, name="police"),
    path("<int:pk>/witness/", views.witness_account, name="witness"),
    path("<int:pk>/<slug:step>/", views.incident_step, name="step"),
]
