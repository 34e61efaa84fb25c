"""Queries the ORM builds once and requests run again with their own values.

Building a query through the ORM costs ten times what running a small one does: looking up
one row by its key took 0.14 ms built (at best: `.first()` took 0.19 ms) and 0.012 ms run
(SQLite, docs/performance.md). The reads every signed-in request makes (its session, its
account's sign-out generation) and those of the busiest pages and of writing a note are
therefore built once for each database connection, with a stand-in where each value goes,
and later requests run the same statement with their values put in its parameters.

A stand-in is a value no row holds, given as the query's own value (a negative id, a
string of its own): the statement is written as the ORM writes it, with every rule of the
queryset it came from. Here, in the lowest layer with Django, so every app above may use it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.transaction import TransactionManagementError


@dataclass(frozen=True, slots=True)
class _Statement:
    sql: str
    params: tuple
    order: tuple[int, ...]  # where each column the queryset names is in the statement's rows
    converters: tuple[tuple[int, Callable, object], ...]  # the compiler's own, in order:
    # each a column's index, the converter, and the column's expression
    locks: bool  # SELECT … FOR UPDATE: only inside a transaction, as the ORM itself says
    stand_ins: dict[str, object]  # each value's name to its stand-in, as in `params`


class CompiledQuery:
    """A `values_list` queryset, built by `build(**stand_ins)` the first time each database
    asks for it; `rows(**values)` runs it with `values` in place of the stand-ins.

        _number = CompiledQuery(
            lambda user_id: Generation.objects.filter(user_id=user_id).values_list("number"),
            user_id=-1,
        )
        _number.rows(user_id=request.user.pk)   # [(3,)]

    Each stand-in must reach the statement's parameters as it was given (or, a datetime, as
    the database's adapter writes it): building one that does not is an error, so a value
    is never silently left out. A value of None goes in as NULL, which `=` never matches:
    where None must mean IS NULL, compile another query. A whole number beyond 64 bits,
    which no column holds, finds no rows (the queries here are lookups by equality).
    """

    def __init__(self, build: Callable[..., QuerySet], **stand_ins: object) -> None:
        self._build = build
        self._stand_ins = stand_ins
        self._statements: dict[tuple[str, str], _Statement] = {}
        self._model: type[Model] | None = None
        self._names: tuple[str, ...] = ()
        self._loading: tuple[_Loading, _Loading | None] | None = None

    def rows(self, using: str | None = None, **values: object) -> list[tuple]:
        """The rows, each a tuple of the columns the queryset's `values_list` names."""
        alias = using or router.db_for_read(self._queried_model())
        connection = connections[alias]
        statement = self._statement(alias)
        if statement.locks and connection.get_autocommit():
            raise TransactionManagementError("select_for_update is only for a transaction.")
        if any(_beyond_64_bits(value) for value in values.values()):
            return []  # no row holds it: as the ORM answers an equality lookup of one
        given = {
            statement.stand_ins[name]: _adapted(connection, value) for name, value in values.items()
        }
        params = [given.get(param, param) for param in statement.params]
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            found = cursor.fetchall()
        if not found:
            return []
        # Column by column: a converter is a loop over its column, not a call per cell.
        columns = list(zip(*found, strict=True))
        for index, convert, expression in statement.converters:
            columns[index] = [convert(value, expression, connection) for value in columns[index]]
        return list(zip(*[columns[index] for index in statement.order], strict=True))

    def objects(self, using: str | None = None, **values: object) -> list[Model]:
        """The rows as instances of the queryset's model, with the fields it names loaded
        (the others deferred, as with `.only()`; names are the fields' attnames). Names of
        one foreign key's row (`article__id`, `article__episode_id`) make that row too,
        with those fields loaded and the rest deferred, as `select_related` would."""
        alias = using or router.db_for_read(self._queried_model())
        rows = self.rows(alias, **values)
        if self._loading is None:  # the first time, once the statement named its columns
            self._loading = _Loading.of(self._model, self._names)
        own, related = self._loading
        instances = []
        for row in rows:
            instance = own.load(alias, row)
            if related is not None:  # None when the key is (a LEFT OUTER JOIN found none)
                setattr(instance, related.relation, related.load_or_none(alias, row))
            instances.append(instance)
        return instances

    def _queried_model(self) -> type[Model]:
        if self._model is None:
            self._model = self._build(**self._stand_ins).model
        return self._model

    def _statement(self, alias: str) -> _Statement:
        connection = connections[alias]
        key = (alias, connection.vendor)
        statement = self._statements.get(key)
        if statement is None:
            statement = self._statements[key] = self._compile(connection)
        return statement

    def _compile(self, connection) -> _Statement:
        queryset = self._build(**self._stand_ins)
        names = getattr(queryset, "_fields", None)
        if not names:
            raise TypeError("A compiled query is a values_list() queryset naming its columns.")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        stand_ins = {
            name: _adapted(connection, stand_in) for name, stand_in in self._stand_ins.items()
        }
        missing = [name for name, stand_in in stand_ins.items() if stand_in not in params]
        if missing:
            raise ValueError(f"The statement does not take these stand-ins: {missing}.")
        found = compiler.get_converters([column for column, _, _ in compiler.select])
        converters = tuple(
            (index, converter, expression)
            for index, (column_converters, expression) in found.items()
            for converter in column_converters
        )
        # The columns as the statement selects them, by the names the queryset gave them.
        selected = [alias for _, _, alias in compiler.select]
        self._model, self._names = queryset.model, tuple(names)
        return _Statement(
            sql,
            tuple(params),
            tuple(selected.index(name) for name in names),
            converters,
            locks=bool(queryset.query.select_for_update),
            stand_ins=stand_ins,
        )


def field_names(model: type[Model]) -> tuple[str, ...]:
    """Every column of the model's table, by its field's attname: what `objects()` reads
    to make whole instances."""
    return tuple(field.attname for field in model._meta.concrete_fields)


def _beyond_64_bits(value: object) -> bool:
    return isinstance(value, int) and not -(2**63) <= value < 2**63


def _adapted(connection, value: object) -> object:
    """A value as the ORM puts it in a statement's parameters."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


@dataclass(frozen=True, slots=True)
class _Loading:
    """How one model's instance is made from a row: its loaded fields' attnames and where
    each is in the row, in the model's order of fields (`Model.from_db` reads them so)."""

    model: type[Model]
    relation: str  # the foreign key it is reached by ("" for the queried model itself)
    attnames: tuple[str, ...]
    indexes: tuple[int, ...]

    @classmethod
    def of(cls, model: type[Model], names: tuple[str, ...]) -> tuple[_Loading, _Loading | None]:
        relations = {name.split("__")[0] for name in names if "__" in name}
        if len(relations) > 1 or any(name.count("__") > 1 for name in names):
            raise TypeError("A compiled query makes at most one related row, one step away.")
        own = cls._for(model, "", {name: i for i, name in enumerate(names) if "__" not in name})
        if not relations:
            return own, None
        relation = relations.pop()
        related_model = model._meta.get_field(relation).related_model
        prefix = f"{relation}__"
        columns = {
            name.removeprefix(prefix): i for i, name in enumerate(names) if name.startswith(prefix)
        }
        return own, cls._for(related_model, relation, columns)

    @classmethod
    def _for(cls, model: type[Model], relation: str, columns: dict[str, int]) -> _Loading:
        attnames = tuple(f.attname for f in model._meta.concrete_fields if f.attname in columns)
        if len(attnames) != len(columns) or model._meta.pk.attname not in columns:
            raise TypeError(
                f"Name {model.__name__}'s fields by their attnames, its primary key among them."
            )
        return cls(model, relation, attnames, tuple(columns[name] for name in attnames))

    def load(self, alias: str, row: tuple) -> Model:
        return self.model.from_db(alias, self.attnames, [row[i] for i in self.indexes])

    def load_or_none(self, alias: str, row: tuple) -> Model | None:
        key = row[self.indexes[self.attnames.index(self.model._meta.pk.attname)]]
        return None if key is None else self.load(alias, row)
