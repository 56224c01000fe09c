from django.urls import path

from engage.contacts import views

app_name = "contacts"
urlpatterns = [path("check/", views.check, name="check")]
