"""Django's database sessions (SESSION_ENGINE), the session of each request read by a statement
written once per database: every signed-in request reads its session first, and composed by the
ORM that read cost about 0.3 ms of Python for a query the database answers in 0.02 ms."""

from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from lib import written_sql as sql


@cache
def _read_sql(alias: str) -> str:
    connection = connections[alias]
    model = db.SessionStore.get_model_class()

    def column(name):
        return sql.column(connection, model, name)

    return (f"SELECT {column('session_data')} FROM {sql.table(connection, model)}"
            f" WHERE {column('session_key')} = %s AND {column('expire_date')} > %s")


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The session's row as `load` reads it (its data), or None when it is gone or expired."""
        if self.session_key is None:
            return None
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(_read_sql(alias), [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0])
