"""API bodies from plain rows: a listing's window read as tuples of its serializer's sources
and turned into the very dicts the serializer would give, without building model instances
or running DRF's per-field attribute lookups for every row."""

from functools import cache

from rest_framework import serializers


@cache
def plain_fields(serializer_class):
    """((name, `.values()` lookup, representation), …) of a serializer whose every field reads
    one column (its `source`), or None when a field computes from the whole row (a method
    field, a nested serializer): such a serializer serializes its rows itself."""
    fields = serializer_class().fields
    if any(
        field.source == "*" or isinstance(field, serializers.BaseSerializer)
        for field in fields.values()
    ):
        return None
    return tuple(
        (name, field.source.replace(".", "__"), field.to_representation)
        for name, field in fields.items()
    )


def plain_data(fields, rows):
    """The serializer's data for rows of its fields' lookups (as DRF gives it: None stays
    None, any other value goes through the field's representation)."""
    names = [(name, represent) for name, _, represent in fields]
    return [
        {
            name: None if value is None else represent(value)
            for (name, represent), value in zip(names, row, strict=True)
        }
        for row in rows
    ]
