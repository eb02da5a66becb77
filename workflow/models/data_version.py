from django.db import models


class DataVersion(models.Model):
    """One row whose number moves whenever the bureau's data changes (`workflow.data_version`):
    what a list page worked out is kept under it and read again only once it moves."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "versi data"
        verbose_name_plural = "versi data"

    def __str__(self) -> str:
        return str(self.value)
