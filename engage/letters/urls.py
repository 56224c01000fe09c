from django.urls import path

from engage.letters import views

app_name = "letters"
urlpatterns = [
    path("", views.letter_list, name="list"),
    path("settings/", views.letter_settings, name="settings"),
    path("new/<int:decision_pk>/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/not-sent/", views.not_sent, name="not_sent"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
]
