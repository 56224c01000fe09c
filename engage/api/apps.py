from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "engage.api"
    label = "api"

    def ready(self) -> None:
        # Registers the bearer token scheme with drf-spectacular before any schema is made.
        from engage.api import schema  # noqa: F401
