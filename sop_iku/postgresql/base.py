"""Django's PostgreSQL backend, waiting out a failover when it connects.

While the standby is being promoted (deploy/failover), the connection string's hosts are one
stopped primary and one read-only standby: libpq finds no host taking writes and every request
that connects in those seconds failed with a 500. A new connection now tries again, with a
growing pause, for up to SOP_DB_FAILOVER_WAIT seconds (default 15) before giving up; requests cut
off in the middle of a query still fail (sop_iku/errors.py answers them 503, form given back).
A refusal no failover mends (a wrong password, user or database name, pg_hba.conf) is not tried again.

SOP_DB_FAILOVER_WAIT=0 gives Django's behaviour back (fail at the first refusal), as does
sop_iku.postgresql.without_waiting() for the health checks.
"""

import logging
import time

from django.conf import settings
from django.db.backends.postgresql import base

from sop_iku.postgresql import lasting_refusal, waiting

logger = logging.getLogger("sop_iku.database")

FIRST_PAUSE = 0.2
LAST_PAUSE = 2.0


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + (getattr(settings, "SOP_DB_FAILOVER_WAIT", 15) if waiting() else 0)
        pause = FIRST_PAUSE
        while True:
            try:
                return super().get_new_connection(conn_params)
            except base.Database.OperationalError as error:
                if time.monotonic() + pause > deadline or lasting_refusal(error):
                    raise
                logger.warning("Basis data belum menerima koneksi tulis (%s); dicoba lagi dalam %.1f s.",
                               str(error).splitlines()[0], pause)
                time.sleep(pause)
                pause = min(pause * 2, LAST_PAUSE)
