"""The columns a viewer chose to see in a listing's table and spreadsheet (`columns=`).

`columns` lists the table's column names, comma-separated or repeated. Unknown names are
ignored (a saved view or an old link may name a column that no longer exists); a choice that
leaves no known column, or an empty one, means every column. The CSV and the JSON keep the
API's columns whatever the choice.
"""

from dashboards.filters.params import list_items

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


def chosen_table(request, table_class, *, listing_key, rows=(), query=None, **kwargs):
    """The table with the viewer's chosen columns only."""
    query = request.GET if query is None else query
    shown = chosen_columns(query, table_class)
    exclude = [name for name in column_names(table_class) if shown and name not in shown]
    return table_class(rows, query=query, exclude=exclude, **kwargs)
