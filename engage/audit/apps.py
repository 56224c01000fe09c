from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "engage.audit"
    label = "audit"
