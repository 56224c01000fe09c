from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "engage.incidents"
    label = "incidents"
