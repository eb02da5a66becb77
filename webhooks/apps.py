from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhook"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from webhooks import events
        from workflow.services import transition_recorded

        transition_recorded.connect(events.on_transition, dispatch_uid="webhooks.announce")
