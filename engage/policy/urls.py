from django.urls import path

from engage.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.our_policy, name="ours"),
    path("full-text/", views.policy_text, name="text"),
    path("versions/", views.policy_versions, name="versions"),
]
