"""Rendering a listing (dashboards.listings) as a page: the whole page, or for an htmx
request its region alone, with the listing's canonical address in HX-Push-Url."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from dashboards.exports.spreadsheet import MAX_SHEET_ROWS, too_many_rows
from dashboards.listings.pager import changed, with_query, without
from dashboards.listings.selection import MAX_SELECTED
from dashboards.web.columns import COLUMNS

REGION_TEMPLATE = "dashboards/partials/listing.html"


def option_choices(listing, name, values, labels):
    """The check-group options of a list parameter, ticked as the listing reads them (as
    written in the address when it is not valid)."""
    chosen = (listing.cleaned.get(name) or []) if listing.is_valid else listing.params.getlist(name)
    return [
        {"value": value, "label": labels[value], "checked": value in chosen} for value in values
    ]


def render_listing(
    request,
    listing,
    *,
    template,
    table,
    nouns,
    kept,
    api_url=None,
    csv_url=None,
    xlsx_url=None,
    columns=None,
    selectable=False,
    emails_url=None,
    context=None,
    page_context=None,
):
    """The listing's page (status 400 when a parameter is invalid), or its region for htmx.

    `table`: builds the table from the rows and the listing's parameters (`query=`); `kept`:
    the parameters set by the table's links, kept as the form's hidden state; `page_context`:
    a callable giving what only the whole page shows (not called for a region); `columns`:
    the viewer's ColumnChoice (views/columns.py), for the table, its menu and the spreadsheet;
    `selectable`: rows carry checkboxes whose selection the exports (and `emails_url`, for
    "Copy emails") narrow to (partials/selection.html)."""
    query = listing.params
    whole = without(query, *listing.window_kind.PARAMETERS)
    xlsx_query = whole
    if columns is not None and columns.customized and not columns.from_address:
        xlsx_query = changed(whole, columns=",".join(columns.shown))
    context = {
        **(context or {}),
        "query": query,
        "errors": listing.errors,
        "kept_params": [(name, value) for name in kept for value in query.getlist(name)],
        "json_url": with_query(api_url, query) if api_url else None,
        "csv_url": with_query(csv_url, whole) if csv_url else None,
        "xlsx_url": with_query(xlsx_url, xlsx_query) if xlsx_url else None,
        "column_options": columns.options if columns is not None else None,
        "can_save_view": getattr(getattr(request, "principal", None), "user", None) is not None,
        "xlsx_max_rows": MAX_SHEET_ROWS,
        "emails_url": with_query(emails_url, whole) if emails_url else None,
        # A selection lasts while the filters do: sorting, paging and columns keep it.
        "selection_key": without(whole, *kept, COLUMNS).urlencode(),
        "max_selected": MAX_SELECTED,
    }
    if listing.is_valid:
        shape = {"exclude": columns.exclude} if columns is not None else {}
        context["table"] = table(listing.rows, query=query, **shape)
        context["table"].selectable = selectable
        context["pager"] = listing.pager(nouns=nouns)
        if context["pager"].past_end_url:
            # Rows exist, this window is past them: say that, not "none yet".
            context["table"].empty_text = _("This page is past the end of the list.")
            context["table"].unfiltered_empty_text = context["table"].empty_text
        context["xlsx_too_many"] = xlsx_url and too_many_rows(listing.count)
    status = 200 if listing.is_valid else 400
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, REGION_TEMPLATE, {**context, "partial": True}, status=status)
        response["HX-Push-Url"] = with_query(request.path, query)
    else:
        if page_context is not None:
            context.update(page_context())
        response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
