from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from api import schema  # noqa: F401 - registers the token scheme with drf-spectacular
        from api.tokens import revoke_on_lost_trust

        post_save.connect(revoke_on_lost_trust, sender=get_user_model(), dispatch_uid="api-tokens-lost-trust")
