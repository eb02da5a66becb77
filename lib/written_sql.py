"""Reads written out as SQL where composing them through the ORM cost more than the database took to
answer (the request's user, the round's table, the dashboard's comparison): each model's table and
column names quoted for the connection's database, and the values read handed back as the ORM hands
them to a model (SQLite's moments made aware, its integers booleans, JSON decoded)."""

from functools import cache

from django.db import connections


def table(connection, model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(connection, model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def columns(connection, model, alias: str) -> str:
    """Every concrete column of `model` under the table alias `alias`, in the model's field order
    (as `Model.from_db` takes them)."""
    return ", ".join(f"{alias}.{connection.ops.quote_name(field.column)}" for field in model._meta.concrete_fields)


def converted(connection, fields, values) -> list:
    """`values` read for `fields` (model fields, in the same order), through each field's converters."""
    return [_convert(connection, field, value) for field, value in zip(fields, values)]


def _convert(connection, field, value):
    for converter, expression in _converters(connection.alias, field):
        value = converter(value, expression, connection)
    return value


@cache
def _converters(alias: str, field) -> tuple:
    connection = connections[alias]
    expression = field.get_col(field.model._meta.db_table)
    return tuple((converter, expression) for converter in
                 connection.ops.get_db_converters(expression) + field.get_db_converters(connection))
