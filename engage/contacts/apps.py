from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "engage.contacts"
    label = "contacts"
