"""The columns a viewer chose to see in a listing's table and spreadsheet (`columns=`).

`columns` lists the table's column names, comma-separated or repeated. Unknown names are
ignored (a saved view or an old link may name a column that no longer exists), so they are
never a 400; a choice that names no known column, or an empty one, means every column. The
CSV and the JSON keep the API's columns whatever the choice.

A page remembers the last choice per user and listing (User.listing_columns) and applies it
when its address has no `columns`; the spreadsheet link then carries it explicitly.
"""

from dashboards.filters.params import list_items
from dashboards.models import User

COLUMNS = "columns"


def column_names(table_class):
    """The table's column names, in its order."""
    return list(table_class.base_columns)


def chosen_columns(params, table_class):
    """The known column names of `columns=` in the table's order; None when not given, and
    every column when it names none."""
    if COLUMNS not in params:
        return None
    named = set(list_items(params.getlist(COLUMNS)))
    names = column_names(table_class)
    return [name for name in names if name in named] or names


class ColumnChoice:
    """The columns shown for one request: from the address, else the viewer's remembered
    choice, else all. `remember=True` (the page) stores a choice made in the address."""

    def __init__(self, request, table_class, listing_key, *, query=None, remember=False):
        query = request.GET if query is None else query
        self.table_class = table_class
        self.names = column_names(table_class)
        self.user = getattr(getattr(request, "principal", None), "user", None)
        self.listing_key = listing_key
        chosen = chosen_columns(query, table_class)
        self.from_address = chosen is not None
        if chosen is None:
            chosen = self._remembered()
        elif remember:
            self._remember(chosen)
        self.shown = chosen or self.names

    @property
    def customized(self):
        return self.shown != self.names

    @property
    def exclude(self):
        return [name for name in self.names if name not in self.shown]

    @property
    def options(self):
        """The menu's checkboxes: every column, ticked when shown."""
        columns = self.table_class.base_columns
        return [
            {
                "value": name,
                "label": columns[name].verbose_name or name,
                "checked": name in self.shown,
            }
            for name in self.names
        ]

    def table(self, rows=(), **kwargs):
        return self.table_class(rows, exclude=self.exclude, **kwargs)

    def _remembered(self):
        stored = ((self.user and self.user.listing_columns) or {}).get(self.listing_key)
        if not isinstance(stored, list):
            return None
        return [name for name in self.names if name in stored] or None

    def _remember(self, chosen):
        if self.user is None:
            return
        choices = dict(self.user.listing_columns or {})
        value = None if chosen == self.names else chosen
        if choices.get(self.listing_key) == value:
            return
        if value is None:
            choices.pop(self.listing_key, None)
        else:
            choices[self.listing_key] = value
        self.user.listing_columns = choices
        User.objects.filter(pk=self.user.pk).update(listing_columns=choices)


def chosen_table(request, table_class, *, listing_key, rows=(), query=None, **kwargs):
    """The table with the viewer's chosen columns only (from the address, else remembered)."""
    query = request.GET if query is None else query
    choice = ColumnChoice(request, table_class, listing_key, query=query)
    return choice.table(rows, query=query, **kwargs)
