"""Writing a confirmed plan: the accounts made and changed, each recorded in the admin's log."""


from django.contrib.auth.hashers import make_password

from workflow.models import User, UserRole
from workflow.people_import.planning import Plan


def write(the_plan: Plan, user, file_name: str) -> list:
    """Create and change the accounts `the_plan` holds (it is ok, planned under a lock in the
    caller's transaction), and record each in the admin's log as its own pages do. Returns the
    accounts made. A few queries for the new accounts, whatever their number; one save per changed
    account, so that what follows a change (an agency's notices dropped on a move) follows it."""
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    new = [row for row in the_plan.rows if row.action == "baru"]
    made = User.objects.bulk_create([
        User(username=row.username, password=make_password(None), skpd=row.skpd, **row.values) for row in new
    ])
    # Not every database gives the new rows' ids back from one insert: read them.
    ids = dict(User.objects.filter(username__in=[row.username for row in new]).values_list("username", "pk"))
    for account in made:
        account.pk = account.id = ids[account.username]
    roles = [UserRole(user_id=ids[row.username], role=role) for row in new for role in row.roles]
    changed = [row for row in the_plan.rows if row.action == "ubah"]
    for row in changed:
        account = row.account
        for name, value in row.values.items():
            setattr(account, name, value)
        if row.values:
            account.save(update_fields=[name for name in row.values])
        roles += [UserRole(user=account, role=role) for role in row.roles]
    UserRole.objects.bulk_create(roles)
    # Bulk: no post_save tells a new officer what already waits on their role (notices.roles).
    from notices.roles import on_given

    on_given((role.user_id, role.role) for role in roles)
    kind = ContentType.objects.get_for_model(User)
    source = f"lewat impor berkas “{file_name}”"
    LogEntry.objects.bulk_create(
        [LogEntry(user_id=user.pk, content_type=kind, object_id=str(ids[row.username]), object_repr=row.username,
                  action_flag=ADDITION, change_message=f"Ditambahkan {source} (baris {row.line}); peran: {row.roles_label}"
                  + (f"; SKPD: {row.skpd.nama_pendek}" if row.skpd else "") + ".")
         for row in new]
        + [LogEntry(user_id=user.pk, content_type=kind, object_id=str(row.account.pk), object_repr=row.username,
                    action_flag=CHANGE, change_message=f"Diubah {source} (baris {row.line}): {'; '.join(row.changes)}.")
           for row in changed]
    )
    return made
