from django.urls import path

from engage.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("add/", views.staff_add, name="add"),
    path("<int:pk>/", views.staff_detail, name="detail"),
    path("<int:pk>/roles/", views.staff_edit, name="edit"),
    path("<int:pk>/end-access/", views.staff_deactivate, name="deactivate"),
]
