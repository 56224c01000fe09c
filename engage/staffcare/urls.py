app_name = "staffcare"
urlpatterns: list = []
