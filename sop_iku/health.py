"""/sehat/: whether this process answers and reaches its database, for a supervisor or a load
balancer; says nothing else about the install."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@login_not_required
@never_cache
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("basis data tidak terjangkau\n", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("sehat\n", content_type="text/plain; charset=utf-8")
