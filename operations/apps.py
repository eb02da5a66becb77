from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running an install: backups and restores, the database role the app runs as, stored files
    no row refers to. No models: it works on the other apps' data."""

    name = "operations"
    verbose_name = "Operasional"
