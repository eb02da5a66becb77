"""The admin's first page (its apps and the recent actions) asks the same few queries however much has
been done in the admin: its recent actions are read ten at a time with who did them, not one by one."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflow.models import Skpd, User


def logged(admin, count):
    kind = ContentType.objects.get_for_model(Skpd)
    for skpd in Skpd.objects.order_by("pk")[:count]:
        LogEntry.objects.create(user=admin, content_type=kind, object_id=str(skpd.pk), object_repr=str(skpd),
                                action_flag=CHANGE, change_message="Mengubah alamat.")


def test_the_admin_index_asks_as_much_for_two_recent_actions_as_for_forty(admin_client, people):
    admin = User.objects.get(username="admin")
    logged(admin, 2)
    admin_client.get("/admin/")
    with CaptureQueriesContext(connection) as few:
        page = admin_client.get("/admin/")
    assert page.status_code == 200
    logged(admin, 40)
    with CaptureQueriesContext(connection) as many:
        page = admin_client.get("/admin/")
    recent = page.content.decode().split('id="recent-actions-module"')[1]
    assert recent.count('<li class="changelink">') == 10
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert len(few) <= 6, [q["sql"][:120] for q in few.captured_queries]
