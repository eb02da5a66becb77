"""Signing in: Django's own password check; the signed-in user is read with their agency, their
roles and whether anyone delegated a role to them today."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone

from lib import written_sql as sql
from workflow.models import Delegation, Skpd, UserRole
from workflow.roles import DelegationKind


@cache
def user_sql(alias: str) -> tuple[str, str]:
    """The columns and the tables of the user's statement, written once per database: the user,
    their agency's columns, their own roles (joined by commas) and whether a delegation runs for
    them on a day (two parameters, that day, before any of the WHERE clause's). Every request of
    every user reads it: composed by the ORM (an annotation with a correlated EXISTS and a join) it
    cost 2 to 3 ms of Python a request for a query the database answers in 0.05 ms. The tables
    begin with the users as `u`, so a statement may join its own table to them (api.tokens)."""
    connection = connections[alias]
    user_model = get_user_model()

    def column(model, name):
        return sql.column(connection, model, name)

    users, delegations, agencies, roles = (sql.table(connection, m) for m in (user_model, Delegation, Skpd, UserRole))
    user_id = column(user_model, "id")
    joined = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    # Asked of today only: one ended early that still covers today was ended today, and gives nothing
    # now (`delegation.WHOLE_DAYS` says it for any day).
    columns = (
        f"{sql.columns(connection, user_model, 'u')}, {sql.columns(connection, Skpd, 's')},"
        f" (SELECT {joined}(r.{column(UserRole, 'role')}, ',') FROM {roles} r WHERE r.{column(UserRole, 'user')} = u.{user_id}),"
        f" EXISTS(SELECT 1 FROM {delegations} d INNER JOIN {users} o ON o.{user_id} = d.{column(Delegation, 'official')}"
        f" WHERE d.{column(Delegation, 'delegate')} = u.{user_id} AND d.{column(Delegation, 'starts_on')} <= %s"
        f" AND d.{column(Delegation, 'ends_on')} >= %s AND d.{column(Delegation, 'ended_early_at')} IS NULL"
        f" AND (o.{column(user_model, 'is_active')}"
        f" OR d.{column(Delegation, 'kind')} = '{DelegationKind.PLT.value}'))"
    )
    tables = f"{users} u LEFT OUTER JOIN {agencies} s ON s.{column(Skpd, 'id')} = u.{column(user_model, 'skpd')}"
    return columns, tables


@cache
def _user_by_id_sql(alias: str) -> str:
    columns, tables = user_sql(alias)
    return f"SELECT {columns} FROM {tables} WHERE u.{sql.column(connections[alias], get_user_model(), 'id')} = %s"


def user_from_row(alias: str, row, today):
    """The user read by `user_sql`'s columns, `row` (its agency and roles with it)."""
    user_model = get_user_model()
    connection = connections[alias]
    user_fields, agency_fields = user_model._meta.concrete_fields, Skpd._meta.concrete_fields
    width = len(user_fields)
    user = user_model.from_db(alias, [f.attname for f in user_fields],
                              sql.converted(connection, user_fields, row[:width]))
    agency = row[width:width + len(agency_fields)]
    user.skpd = (Skpd.from_db(alias, [f.attname for f in agency_fields], sql.converted(connection, agency_fields, agency))
                 if user.skpd_id else None)
    roles = row[width + len(agency_fields)]
    user._own_roles = frozenset(roles.split(",")) if roles else frozenset()
    if not row[width + len(agency_fields) + 1]:
        user.no_delegation_on = today
    return user


@cache
def _officials_sql(alias: str, roles: tuple[str, ...]) -> str:
    connection = connections[alias]
    user_model = get_user_model()

    def column(model, name):
        return sql.column(connection, model, name)

    columns, tables = user_sql(alias)
    user_id = column(user_model, "id")
    # Today's, as `user_sql`'s: ended early is ended.
    listed = ", ".join(["%s"] * len(roles))
    return (
        f"SELECT {columns} FROM {tables} WHERE u.{column(user_model, 'skpd')} IS NULL"
        f" AND u.{column(user_model, 'is_active')} AND (EXISTS(SELECT 1 FROM {sql.table(connection, UserRole)} h"
        f" WHERE h.{column(UserRole, 'user')} = u.{user_id} AND h.{column(UserRole, 'role')} IN ({listed}))"
        f" OR EXISTS(SELECT 1 FROM {sql.table(connection, Delegation)} g INNER JOIN {sql.table(connection, user_model)} b"
        f" ON b.{user_id} = g.{column(Delegation, 'official')} WHERE g.{column(Delegation, 'delegate')} = u.{user_id}"
        f" AND g.{column(Delegation, 'role')} IN ({listed}) AND g.{column(Delegation, 'starts_on')} <= %s"
        f" AND g.{column(Delegation, 'ends_on')} >= %s AND g.{column(Delegation, 'ended_early_at')} IS NULL"
        f" AND (b.{column(user_model, 'is_active')}"
        f" OR g.{column(Delegation, 'kind')} = '{DelegationKind.PLT.value}')))"
        f" ORDER BY u.{user_id}"
    )


def officials_holding(roles) -> list:
    """The bureau's active officials (no agency) who hold one of `roles` today, in their own right or
    standing in for an active official, in id order, each read as the request's user is (their
    roles with them): one written statement, where the ORM's two (the users joined to their roles,
    then today's delegations) cost the report 2 ms of Python. `policy.roles_of` reads the
    delegations of the few with one running today."""
    roles = tuple(sorted(roles))
    if not roles:
        return []
    alias = router.db_for_read(get_user_model())
    connection = connections[alias]
    today = timezone.localdate()
    day = connection.ops.adapt_datefield_value(today)
    with connection.cursor() as cursor:
        cursor.execute(_officials_sql(alias, roles), [day, day, *roles, *roles, day, day])
        return [user_from_row(alias, row, today) for row in cursor.fetchall()]


class AgencyModelBackend(ModelBackend):
    """The user of each request comes with their agency and their roles in the same query: an
    agency's pages name it (its inbox's tasks, its IKU forms) and every page asks the roles, each
    one more query per page. The same query tells whether a delegation runs for them today;
    `policy.roles_of` reads the delegations only then, not on every page of everyone."""

    # A deactivated account whose right password was given (set by `user_can_authenticate`, which
    # Django's check asks only once the password is right).
    _refused = None

    def authenticate(self, request, username=None, password=None, **kwargs):
        """Django's check; a right password for a deactivated account is noted on the request
        (`account_deactivated`), so that the sign-in page says so instead of "wrong password". The
        password is checked once either way: the time taken tells nothing more."""
        self._refused = None
        user = super().authenticate(request, username, password, **kwargs)
        if user is None and self._refused is not None and request is not None:
            request.account_deactivated = True
        return user

    def user_can_authenticate(self, user):
        allowed = super().user_can_authenticate(user)
        if not allowed:
            self._refused = user
        return allowed

    def get_user(self, user_id):
        user_model = get_user_model()
        alias = router.db_for_read(user_model)
        connection = connections[alias]
        today = timezone.localdate()
        day = connection.ops.adapt_datefield_value(today)
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        with connection.cursor() as cursor:
            cursor.execute(_user_by_id_sql(alias), [day, day, pk])
            row = cursor.fetchone()
        if row is None:
            return None
        user = user_from_row(alias, row, today)
        return user if self.user_can_authenticate(user) else None
