from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "engage.policy"
    label = "policy"
