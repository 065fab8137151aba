"""Single-row writes for the hottest paths (a new ticket or a reply, from mail and the
API), without the ORM compiling the same statement again for every row.

`insert` and `update` build a model's INSERT (per row count) and UPDATE (per set of
columns) once per process and prepare each value exactly as the ORM does
(`pre_save`, then `get_db_prep_save`), so the rows are the ones `save()` and
`bulk_create()` would write; like `bulk_create`, no signals are sent (Rapport has no
business logic in signals). Anything larger falls back to `bulk_create`.

With fast paths off, `insert` is `bulk_create` and `update` is `save(update_fields=...)`
plus a queryset `update` of `F(name) + n` for the added numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import F
from django.db.models.fields import NOT_PROVIDED, Field

from rapport.core import fast

# Bound parameters per statement: well under SQLite's and PostgreSQL's limits.
MAX_PARAMS = 900


@cache
def _insert_fields(model: type[models.Model]) -> tuple[list[Field], Field | None]:
    """The columns an INSERT names, and the generated key it returns (None: the key is
    one of the columns, e.g. a one-to-one primary key)."""
    meta = model._meta
    auto = meta.auto_field
    return [f for f in meta.concrete_fields if f is not auto and not f.generated], auto


@cache
def _plain(model: type[models.Model]) -> bool:
    """Whether every column's value is prepared in Python (no database default)."""
    return all(
        getattr(f, "db_default", NOT_PROVIDED) is NOT_PROVIDED for f in model._meta.concrete_fields
    )


_NONE = type(None)
_KEYS = (models.AutoField, models.BigAutoField, models.SmallAutoField)
_INTEGERS = (
    models.IntegerField, models.SmallIntegerField, models.BigIntegerField,
    models.PositiveIntegerField, models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)  # fmt: skip
# For these exact field classes, a value of these exact types is what the ORM's own
# preparation (`pre_save`, then `get_db_prep_save`) returns unchanged: it is passed as
# it is. Anything else (an enum member, a datetime, a field subclass) is prepared by
# the ORM. A new ticket has about a hundred values: most are these.
_AS_IS: dict[type[Field], frozenset[type]] = {
    models.CharField: frozenset({str, _NONE}),
    models.TextField: frozenset({str, _NONE}),
    models.BooleanField: frozenset({bool, _NONE}),
    # Only NULL: an instant is converted (SQLite stores it as naive UTC text).
    models.DateTimeField: frozenset({_NONE}),
    # Keys (and the foreign keys to them) are never adapted by the backend.
    **{cls: frozenset({int, _NONE}) for cls in _KEYS},
}


def _as_is(field: Field, db: Any) -> frozenset[type]:
    """The value types `field` passes unchanged (empty: always prepared by the ORM)."""
    if type(field) in (models.ForeignKey, models.OneToOneField):
        return _as_is(field.target_field, db)  # type: ignore[attr-defined]
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return frozenset()
    if type(field) in _INTEGERS:
        # PostgreSQL's backend wraps integers in typed values (its statements are
        # prepared with typed parameters); SQLite's takes them as they are.
        plain = (
            type(db.ops).adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value
        )
        return frozenset({int, _NONE}) if plain else frozenset({_NONE})
    return _AS_IS.get(type(field), frozenset())


@cache
def _preparers(model: type[models.Model], vendor: str) -> list[tuple[Field, str, frozenset[type]]]:
    db = connections[DEFAULT_DB_ALIAS]
    return [(f, f.attname, _as_is(f, db)) for f in _insert_fields(model)[0]]


def _row(obj: models.Model, db: Any) -> list[Any]:
    """The INSERT's values of `obj`, as the ORM prepares them."""
    values = []
    for field, attname, as_is in _preparers(type(obj), db.vendor):
        value = getattr(obj, attname)
        values.append(
            value if type(value) in as_is else field.get_db_prep_save(field.pre_save(obj, True), db)
        )
    return values


@cache
def _insert_sql(model: type[models.Model], rows: int, vendor: str) -> str:
    fields, auto = _insert_fields(model)
    qn = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608 (names from the model; values are parameters)
        f"VALUES {', '.join([one] * rows)}"
    )
    return sql + (f" RETURNING {qn(auto.column)}" if auto is not None else "")


def insert(objs: Sequence[models.Model]) -> None:
    """INSERT new rows of one model in one statement; their generated keys are set."""
    if not objs:
        return
    model = type(objs[0])
    fields, auto = _insert_fields(model)
    if (
        not fast.enabled("rows")
        or len(objs) * len(fields) > MAX_PARAMS
        or not connection.features.can_return_rows_from_bulk_insert
        or not _plain(model)
    ):
        model._default_manager.bulk_create(objs)
        return
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: each proxied lookup costs
    params: list[Any] = []
    for obj in objs:
        # A row built before its parent was saved (a new ticket's clocks) takes the
        # parent's key now, as bulk_create does.
        obj._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
        params += _row(obj, db)
    with db.cursor() as cursor:
        cursor.execute(_insert_sql(model, len(objs), db.vendor), params)
        keys = cursor.fetchall() if auto is not None else []
    for i, obj in enumerate(objs):
        if auto is not None:
            setattr(obj, auto.attname, auto.to_python(keys[i][0]))
        obj._state.adding = False
        obj._state.db = db.alias


@cache
def _fields(model: type[models.Model], names: tuple[str, ...]) -> list[Field]:
    found = [model._meta.get_field(n) for n in names]
    fields = [f for f in found if isinstance(f, Field) and f.concrete]
    if len(fields) != len(found):
        raise ValueError(f"not columns of {model.__name__}: {names}")
    return fields


@cache
def _update_sql(
    model: type[models.Model], names: tuple[str, ...], added: tuple[str, ...], vendor: str
) -> str:
    meta = model._meta
    qn = connection.ops.quote_name
    columns = ", ".join(
        [f"{qn(f.column)} = %s" for f in _fields(model, names)]
        + [f"{qn(f.column)} = {qn(f.column)} + %s" for f in _fields(model, added)]
    )
    return f"UPDATE {qn(meta.db_table)} SET {columns} WHERE {qn(meta.pk.column)} = %s"  # noqa: S608 (names from the model)


def update(obj: models.Model, names: Sequence[str], add: Mapping[str, int] | None = None) -> None:
    """Write these fields of a saved row (as `save(update_fields=names)`); `add`: numbers
    added to columns in the database (as `F(name) + n`), whatever the object holds."""
    model = type(obj)
    if not fast.enabled("rows"):
        if names:
            obj.save(update_fields=list(names))
        if add:
            model._default_manager.filter(pk=obj.pk).update(
                **{name: F(name) + n for name, n in add.items()}
            )
        return
    db = connections[DEFAULT_DB_ALIAS]
    key, added = tuple(names), tuple(add or ())
    params: list[Any] = [
        f.get_db_prep_save(f.pre_save(obj, False), db) for f in _fields(model, key)
    ]
    params += [(add or {})[name] for name in added]
    params.append(model._meta.pk.get_db_prep_value(obj.pk, db))
    with db.cursor() as cursor:
        cursor.execute(_update_sql(model, key, added, db.vendor), params)
