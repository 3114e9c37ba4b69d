"""Rows chosen on a listing page (`selected=`): the user ids of some rows of a member listing,
which its exports (CSV, spreadsheet) and its members' emails narrow to. A narrowing of the
listing's own scope: an id the viewer cannot see, or that the filters leave out, matches
nothing. A page-side parameter: the APIs do not read it (docs/exports.md).

"Every row matching the filters" is not a list of ids but the listing itself (no `selected`).
"""

from django import forms

from dashboards.filters.params import list_items
from dashboards.models.ids import parse_id

SELECTED = "selected"
# Ids travel in the address (comma-separated, repeated); past this many, select every
# matching row instead.
MAX_SELECTED = 500


def selected_ids(params):
    """The distinct ids of `selected` (repeated or comma-separated), or None when absent or
    blank; ValidationError for more than MAX_SELECTED or an item that is not an id."""
    items = list(dict.fromkeys(list_items(params.getlist(SELECTED))))
    if not items:
        return None
    if len(items) > MAX_SELECTED:
        raise forms.ValidationError(
            f"At most {MAX_SELECTED:,} rows can be selected by id ({len(items):,} given); "
            "select every row matching the filters instead."
        )
    bad = next((item for item in items if parse_id(item) is None), None)
    if bad is not None:
        raise forms.ValidationError(f"'{bad[:20]}' is not a row id (a whole number).")
    return [parse_id(item) for item in items]
