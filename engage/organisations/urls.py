from django.urls import path

from engage.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("closures/add/", views.closure_add, name="closure_add"),
    path("closures/<int:pk>/remove/", views.closure_remove, name="closure_remove"),
]
