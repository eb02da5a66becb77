"""The task queue's results in the admin, with Indonesian column names where the package's admin
lists a property of its own (the rest comes from locale/id)."""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("id", "tugas", "status", "enqueued_at", "started_at", "finished_at", "priority", "queue_name")

    @admin.display(description="tugas")
    def tugas(self, obj):
        return obj.task_name
