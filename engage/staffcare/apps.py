from django.apps import AppConfig


class StaffcareConfig(AppConfig):
    name = "engage.staffcare"
    label = "staffcare"
