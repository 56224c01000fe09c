from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "engage.evidence"
    label = "evidence"
