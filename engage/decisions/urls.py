from django.urls import path

from engage.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("periodic-review/", views.periodic, name="periodic"),
    path("periodic-review/open/", views.periodic_open, name="periodic_open"),
    path("periodic-review/items/<int:pk>/", views.periodic_item, name="periodic_item"),
    path("customer/<int:customer_pk>/", views.case_for_customer, name="for_customer"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/decide/", views.choose, name="choose"),
    path("<int:pk>/decide/<str:type>/", views.decide, name="decide"),
    path("<int:pk>/propose/<str:type>/", views.propose, name="propose"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/approve/", views.approve, name="approve"),
    path("decisions/<int:pk>/lift/", views.lift, name="lift"),
    path("decisions/<int:pk>/advice/", views.advice, name="advice"),
    path("decisions/<int:pk>/appeal/", views.appeal_receive, name="appeal_receive"),
    path("sharing/<int:pk>/", views.sharing, name="sharing"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal"),
]
