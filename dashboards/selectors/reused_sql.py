"""Hot queries compiled once: the rights queries that every API request and page runs cost the
ORM about a millisecond each to build and compile, several times what the database takes to
answer them, and their SQL is the same from one request to the next."""

from django.db import router


class ReusedSql:
    """A query built by `build(*ids, **shape)` (ids: ints, such as the caller's user id and the
    ids of the rows; shape: anything else its SQL depends on, hashable), compiled by the ORM
    once per process, database and shape (the number of ids and `shape`), then run as a raw
    query of `model` with each call's ids. `converters`: annotation name → a function giving
    the value the ORM would (a raw query converts the model's fields only: SQLite answers a
    boolean annotation as 0 or 1).

    The SQL is compiled with probe ids (-1, -2, …, then -1001, -1002, …: no row has them, and
    each differs from the others) and each of its parameters is then either a probe, which the
    call's id replaces, or a constant of the query. A shape whose SQL takes an id in any other
    way (inlined in the SQL, or changed by a lookup) is never reused: every call builds and
    compiles its queryset.
    """

    def __init__(self, model, build, *, converters=None):
        self.model = model
        self.build = build
        self.converters = converters or {}
        # (database, number of ids, shape) → (sql, parameters' slots), or None: not reusable.
        self.compiled = {}

    def __call__(self, *ids, **shape):
        """The model instances the query finds, in the database's order."""
        database = router.db_for_read(self.model)
        key = (database, len(ids), tuple(sorted(shape.items())))
        if key not in self.compiled:
            self.compiled[key] = self.compile(database, len(ids), shape)
        compiled = self.compiled[key]
        if compiled is None:
            return list(self.build(*ids, **shape).using(database))
        sql, slots = compiled
        params = [known if index is None else known(ids[index]) for index, known in slots]
        rows = list(self.model._default_manager.db_manager(database).raw(sql, params))
        for row in rows:
            for name, convert in self.converters.items():
                setattr(row, name, convert(getattr(row, name)))
        return rows

    def compile(self, database, count, shape):
        """(sql, slots) for this shape, a slot per parameter: (index of the id, the parameter's
        type) or (None, the constant parameter); None when the shape cannot be reused. Two
        sets of probes must give the same SQL and slots (a constant equal to a probe of one set
        would be taken for an id, and then differ)."""
        found = [
            self.slots(database, shape, [-(first + number) for number in range(count)])
            for first in (1, 1001)
        ]
        return found[0] if found[0] is not None and found[0] == found[1] else None

    def slots(self, database, shape, probes):
        queryset = self.build(*probes, **shape).using(database)
        sql, params = queryset.query.get_compiler(using=database).as_sql()
        if any(str(probe) in sql for probe in probes):
            return None
        slots = []
        for param in params:
            if isinstance(param, int) and not isinstance(param, bool) and param in probes:
                slots.append((probes.index(param), type(param)))
            elif any(str(probe) in str(param) for probe in probes):
                return None
            else:
                slots.append((None, param))
        if {index for index, _ in slots} - {None} != set(range(len(probes))):
            return None
        return sql, slots
