from django.urls import path

from engage.staffcare import views

app_name = "staffcare"
urlpatterns = [
    path("", views.index, name="index"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:pk>/end/", views.request_end, name="request_end"),
    path("debriefs/new/", views.debrief_new, name="debrief_new"),
    path("debriefs/<int:pk>/", views.debrief_detail, name="debrief"),
    path("named-online/", views.named_list, name="named_list"),
    path("named-online/new/", views.named_new, name="named_new"),
    path("named-online/<int:pk>/", views.named_detail, name="named"),
    path("named-online/<int:pk>/told/", views.named_tell, name="named_tell"),
    path("named-online/<int:pk>/say/", views.named_say, name="named_say"),
    path("named-online/<int:pk>/done/", views.named_act, name="named_act"),
    path("named-online/<int:pk>/close/", views.named_close, name="named_close"),
    path("screenshots/<int:pk>/", views.screenshot_open, name="screenshot_open"),
]
