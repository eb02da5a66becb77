"""Give the role the app runs as what it needs on PostgreSQL, and nothing that could rewrite the
audit log: run by the migrating role (which owns the tables) after `migrate`.

The app's role owns no table, so it can neither switch off nor drop the trigger that guards the log;
on the log it may read and append, never change, delete or empty. Tables made by later migrations
get the same rights by default.
"""

from django.core.management.base import CommandError
from django.db import connection, transaction

from lib.commands import OperatorCommand

AUDIT_TABLE = "workflow_auditevent"


class Command(OperatorCommand):
    help = "Memberi peran basis data aplikasi hak yang diperlukannya (PostgreSQL), tanpa hak mengubah riwayat."

    def add_arguments(self, parser):
        parser.add_argument("role", help="peran PostgreSQL yang dipakai aplikasi (DATABASE_URL-nya)")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Hanya untuk PostgreSQL: SQLite tidak mengenal peran.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper, rolname = current_user FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(f"Peran {role} tidak ada; buat dulu: CREATE ROLE {role} LOGIN PASSWORD '...'.")
            if found[0] or found[1]:
                raise CommandError(f"Peran {role} adalah superuser atau peran pemilik tabel: aplikasi harus memakai peran lain.")
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s", [role])
            owned = [name for (name,) in cursor.fetchall()]
            if owned:
                raise CommandError(f"Peran {role} memiliki tabel {', '.join(owned)}: pindahkan kepemilikannya ke peran migrasi.")
            quoted = connection.ops.quote_name(role)
            with transaction.atomic():
                for sql in (
                    f"GRANT CONNECT ON DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} TO {quoted}",
                    f"GRANT USAGE ON SCHEMA public TO {quoted}",
                    f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
                    f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
                    f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
                    f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
                    f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABLE} FROM {quoted}",
                    f"REVOKE TRUNCATE, TRIGGER ON ALL TABLES IN SCHEMA public FROM {quoted}",
                ):
                    cursor.execute(sql)
        self.stdout.write(f"Peran {role}: membaca dan menulis data aplikasi; riwayat hanya dibaca dan ditambah.")
