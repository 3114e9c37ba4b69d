"""Column types shared by the models."""

from django.db import models


class CodePointTextField(models.TextField):
    """Text compared by code point on every engine (PostgreSQL's "C" collation, SQLite's BINARY)."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params

    def deconstruct(self):
        # The migrations name the field by its public path; keep it whatever module holds it.
        name, _, args, kwargs = super().deconstruct()
        return name, "dashboards.models.CodePointTextField", args, kwargs
