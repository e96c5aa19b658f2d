from django.apps import AppConfig


class ShubbakConfig(AppConfig):
    """The project package: shell templates, static files, template tags and commands."""

    name = "shubbak"
    verbose_name = "Shubbak"
