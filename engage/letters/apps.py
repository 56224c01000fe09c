from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "engage.letters"
    label = "letters"
