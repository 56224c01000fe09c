from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "engage.organisations"
    label = "organisations"
