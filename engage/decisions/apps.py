from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "engage.decisions"
    label = "decisions"
