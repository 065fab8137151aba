"""Querysets compiled to SQL once per connection, then only bound and run.

On the pages agents open all day, Django spends more CPU turning a queryset into
SQL than the database spends answering it: the ticket page's own row took about
1 ms to compile and 0.15 ms to run on PostgreSQL. A `Prepared` query is written
as an ordinary function that builds the queryset from its parameters. On first
use it is compiled twice, with two sets of marker values in place of the
parameters; identical SQL proves the statement does not depend on the values,
and the markers show where each value goes. Later calls put the real values in
those places and turn the rows into what the queryset would have returned:
model instances with their `select_related` objects and annotations, dicts for
`values()`, tuples for `values_list()`, values for `values_list(flat=True)`.

Whatever changes the statement's shape (who is asking, whether a ticket's
internal notes are shown, how many ids a list holds) belongs in the `key`, which
is passed to the builder as is; each key is compiled once. Parameters are ints,
strings, or tuples of ints (a tuple's length is part of the key). A builder
that uses a parameter where the markers cannot follow it (in a LIKE pattern, as
a slice bound, unused, or in a branch that the two marker sets take differently)
fails on its first call with `NotPreparable`. A Python branch that both marker
sets take alike cannot be seen: keep parameters out of Python conditions.

Compiled statements live on the database connection they were compiled for:
threads never share a compiler, and a new connection compiles afresh.

With fast paths off (`rapport.core.fast.enabled`), a call runs the builder's
queryset as Django would, with the same parameters, and returns its rows as a list.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, TypeVar

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import (  # type: ignore[attr-defined]  # private, as ModelIterable uses it
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler

from rapport.core import fast

Param = int | str | tuple[int, ...]
K = TypeVar("K", bound=Hashable)

# Compiled variants kept per query and connection (keys are often per person).
MAX_VARIANTS = 64
_MAX_INT = 2**63  # beyond a bigint; such a value could not be bound anyway
# Two marker sets, inside the range of a 32-bit integer column so that Django's
# out-of-range shortcut (an empty result without SQL) never applies to them, and
# of opposite parity, slot by slot.
_INT_MARKERS = (1_700_000_000, 1_800_000_001)


class NotPreparable(Exception):
    """The builder's SQL depends on a parameter's value, or hides where it goes."""


@dataclass(frozen=True)
class _Slot:
    position: int  # in the statement's parameters
    name: str
    index: int | None  # within a tuple parameter


class _Compiled:
    def __init__(
        self,
        qs: QuerySet[Any],
        compiler: SQLCompiler,
        sql: str,
        params: list[Any],
        slots: list[_Slot],
    ) -> None:
        self.sql = sql
        self.template = params
        self.slots = slots
        self.db = qs.db
        # Compiling filled the compiler's select, klass_info and col_count: what turns
        # rows into results, taken here as the ORM's own iterables take it. The
        # compiler and its query are not kept (tens of KiB for a query with joins).
        select = compiler.select
        fields = [column[0] for column in select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise NotPreparable("composite fields are not supported")
        self.connection = compiler.connection
        self.converters = list(compiler.get_converters(fields).items())
        iterable = qs._iterable_class
        if iterable is ModelIterable:
            if qs._prefetch_related_lookups or qs._known_related_objects:  # type: ignore[attr-defined]
                raise NotPreparable("prefetch_related and related managers are not supported")
            self.make = self._models
            klass_info = compiler.klass_info
            assert klass_info is not None
            model_fields = klass_info["select_fields"]
            self.model = klass_info["model"]
            self.model_slice = slice(model_fields[0], model_fields[-1] + 1)
            self.init_list = [c[0].target.attname for c in select[self.model_slice]]
            self.populators = get_related_populators(klass_info, select, self.db)
            self.annotations = list((compiler.annotation_col_map or {}).items())
        elif iterable is ValuesIterable:
            query = qs.query
            self.names = (
                list(query.selected)
                if query.selected
                else [*query.extra_select, *query.values_select, *query.annotation_select]
            )
            self.make = self._dicts
        elif iterable is ValuesListIterable:
            self.make = self._tuples
        elif iterable is FlatValuesListIterable:
            self.make = self._flat
        else:
            raise NotPreparable(f"{iterable.__name__} results are not supported")

    def run(self, params: dict[str, Param]) -> list[Any]:
        values = list(self.template)
        for slot in self.slots:
            value = params[slot.name]
            values[slot.position] = value if slot.index is None else value[slot.index]  # type: ignore[index]
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, values)
            rows = cursor.fetchall()
        return self.make(self._converted(rows))

    def _converted(self, rows: list[Any]) -> list[Any]:
        """Values as Python wants them (SQLite's dates are text, say), as
        `SQLCompiler.apply_converters` makes them."""
        if not self.converters:
            return rows
        connection = self.connection
        out = []
        for row in rows:
            row = list(row)
            for position, (converters, expression) in self.converters:
                value = row[position]
                for convert in converters:
                    value = convert(value, expression, connection)
                row[position] = value
            out.append(row)
        return out

    def _models(self, rows: list[Any]) -> list[Any]:
        out = []
        for row in rows:
            obj = self.model.from_db(self.db, self.init_list, row[self.model_slice])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            out.append(obj)
        return out

    def _dicts(self, rows: list[Any]) -> list[dict[str, Any]]:
        names = self.names
        return [dict(zip(names, row, strict=False)) for row in rows]  # as ValuesIterable

    def _tuples(self, rows: list[Any]) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in rows]

    def _flat(self, rows: list[Any]) -> list[Any]:
        return [row[0] for row in rows]


class Prepared(Generic[K]):
    """A queryset builder `build(key, **params)` whose SQL is compiled once per key."""

    def __init__(self, build: Callable[Concatenate[K, ...], QuerySet[Any]]) -> None:
        self.build = build
        self.__doc__ = build.__doc__

    def __call__(self, key: K, /, **params: Param) -> list[Any]:
        if not fast.enabled("prepared"):
            return list(self.build(key, **params))
        shape = []
        for name, value in params.items():
            if isinstance(value, tuple):
                if not all(type(v) is int and -_MAX_INT < v < _MAX_INT for v in value):
                    raise ValueError(f"{name}: a tuple of 64-bit integers is expected")
                shape.append((name, len(value)))
            elif type(value) is int:
                if not -_MAX_INT < value < _MAX_INT:
                    raise ValueError(f"{name}: {value} is beyond a 64-bit integer")
                shape.append((name, -1))
            elif type(value) is str:
                shape.append((name, -2))
            else:
                raise TypeError(f"{name}: an int, a str or a tuple of ints is expected")
        variants = _variants(self)
        cache_key = (key, tuple(shape))
        compiled = variants.get(cache_key)
        if compiled is None:
            compiled = self._compile(key, params)
            variants[cache_key] = compiled
            if len(variants) > MAX_VARIANTS:
                variants.popitem(last=False)
        else:
            variants.move_to_end(cache_key)
        return compiled.run(params)

    def _compile(self, key: K, params: dict[str, Param]) -> _Compiled:
        sets = [_markers(params, which) for which in (0, 1)]
        built = [self.build(key, **markers) for markers, _ in sets]
        compilers = [qs.query.get_compiler(using=qs.db) for qs in built]
        try:
            (sql, first), (other_sql, second) = (compiler.as_sql() for compiler in compilers)
        except (EmptyResultSet, FullResultSet) as shortcut:
            raise NotPreparable("the queryset answers without SQL") from shortcut
        if sql != other_sql or len(first) != len(second):
            raise NotPreparable("the SQL changes with the parameters' values")
        slots: list[_Slot] = []
        template = list(first)
        for position, (a, b) in enumerate(zip(first, second, strict=True)):
            if a == b:
                continue  # a constant of this key
            slot = sets[0][1].get(a)
            if slot is None or sets[1][1].get(b) != slot:
                raise NotPreparable(f"parameter {position} is neither a constant nor a marker")
            slots.append(_Slot(position, *slot))
            template[position] = None
        missing = set(sets[0][1].values()) - {(slot.name, slot.index) for slot in slots}
        if missing:
            names = ", ".join(sorted({name for name, _ in missing}))
            raise NotPreparable(f"not found in the SQL: {names}")
        return _Compiled(built[0], compilers[0], sql, template, slots)


def _markers(
    params: dict[str, Param], which: int
) -> tuple[dict[str, Param], dict[Any, tuple[str, int | None]]]:
    """Marker values standing for `params`, and where each marker came from."""
    counter = _INT_MARKERS[which]
    markers: dict[str, Param] = {}
    origin: dict[Any, tuple[str, int | None]] = {}
    for name, value in params.items():
        if isinstance(value, tuple):
            items = []
            for index in range(len(value)):
                counter += 1
                items.append(counter)
                origin[counter] = (name, index)
            markers[name] = tuple(items)
        elif isinstance(value, int):
            counter += 1
            markers[name] = counter
            origin[counter] = (name, None)
        else:
            text = f"\x1f{which}:{name}\x1f"
            markers[name] = text
            origin[text] = (name, None)
    return markers, origin


def _variants(query: Prepared[Any]) -> OrderedDict[Any, _Compiled]:
    connection = connections[DEFAULT_DB_ALIAS]
    # Keyed by the query itself, not its id(): a query that is gone (one made for a
    # test) could leave its id to a new one, which would then run the old statements.
    store: dict[Prepared[Any], OrderedDict[Any, _Compiled]] | None = getattr(
        connection, "_rapport_prepared", None
    )
    if store is None:
        store = {}
        connection._rapport_prepared = store  # type: ignore[attr-defined]
    found = store.get(query)
    if found is None:
        found = store[query] = OrderedDict()
    return found
