from django.urls import path

from engage.evidence import views

app_name = "evidence"
urlpatterns = [
    path("incident/<str:ref>/", views.evidence_list, name="list"),
    path("add/<str:ref>/", views.evidence_add, name="add"),
    path("<int:pk>/open/", views.evidence_open, name="open"),
    path("<int:pk>/file/", views.evidence_file, name="file"),
    path("<int:pk>/preview/", views.evidence_preview, name="preview"),
    path("<int:pk>/withdraw/", views.evidence_withdraw, name="withdraw"),
]
