from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "engage.customers"
    label = "customers"
