# An audit event with no person acting: what the site does by itself (renew_timestamps). Only drops
# NOT NULL (on PostgreSQL one catalogue change, no rewrite): the previous release, which always names
# an actor, keeps writing during an upgrade.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class AlterNullOnly(migrations.AlterField):
    """AlterField that, on PostgreSQL, changes the column's NOT NULL and nothing else. Django alters a
    foreign key by dropping and adding its constraint, which locks the users' table too: under the
    stack drill's upgrade that deadlocked with the previous release writing an audit event (holding a
    user read, waiting for the events' table)."""

    def _null(self, schema_editor, to_state):
        model = to_state.apps.get_model('workflow', 'AuditEvent')
        field, quote = model._meta.get_field(self.name), schema_editor.quote_name
        change = 'DROP NOT NULL' if field.null else 'SET NOT NULL'
        schema_editor.execute(f'ALTER TABLE {quote(model._meta.db_table)} ALTER COLUMN {quote(field.column)} {change}')

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != 'postgresql':
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        self._null(schema_editor, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != 'postgresql':
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        self._null(schema_editor, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0026_invitation_waiting'),
    ]

    operations = [
        AlterNullOnly(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='pelaku'),
        ),
    ]
