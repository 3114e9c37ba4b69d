"""A declared listing (dashboards/listings/declaration.py) as a page: the whole page, or for an
htmx request its region alone, with the listing's canonical address in HX-Push-Url."""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from dashboards.access.pages import page_principal
from dashboards.exports.spreadsheet import MAX_SHEET_ROWS, too_many_rows
from dashboards.listings.pager import changed, with_query, without
from dashboards.listings.selection import MAX_SELECTED
from dashboards.tables.columns import COLUMNS, ColumnChoice

REGION_TEMPLATE = "dashboards/partials/listing.html"


def listing_page(declaration):
    """The view of a declared listing's page (status 400 when a parameter is invalid)."""

    @page_principal
    def view(request, **path):
        subject = declaration.subject(request, **path)
        query = declaration.query(request.GET)
        if declaration.has_page_only(request.GET) and not request.htmx:
            # A plain GET with page-only parameters goes to its canonical address (htmx
            # requests get it in HX-Push-Url instead).
            return HttpResponseRedirect(with_query(request.path, query))
        listing = declaration.build(query, subject)
        return render_listing(request, declaration, subject, listing, path)

    view.declaration = declaration
    return view


def option_choices(listing, name, values, labels):
    """The check-group options of a list parameter, ticked as the listing reads them (as
    written in the address when it is not valid)."""
    chosen = (listing.cleaned.get(name) or []) if listing.is_valid else listing.params.getlist(name)
    return [
        {"value": value, "label": labels[value], "checked": value in chosen} for value in values
    ]


def render_listing(request, declaration, subject, listing, path):
    """The listing's page, or its region for htmx. The table's links set the window's and the
    order's parameters, kept as the form's hidden state; the viewer's column choice shapes
    the table, its menu and the spreadsheet; selectable rows carry checkboxes whose selection
    the downloads narrow to (partials/selection.html)."""
    page = declaration.page
    query = listing.params
    whole = listing.whole_params
    columns = ColumnChoice(
        request, declaration.table, declaration.column_key, query=query, remember=True
    )
    xlsx_query = whole
    if columns.customized and not columns.from_address:
        xlsx_query = changed(whole, columns=",".join(columns.shown))
    kept = (*listing.filterset.ORDER_PARAMETERS, listing.window_kind.SIZE)
    urls = {kind: declaration.download_url(kind, path) for kind in ("csv", "xlsx", "emails")}
    api_url = declaration.api_url(subject)
    context = {
        **(page.context(request, subject, listing) if page.context else {}),
        "query": query,
        "errors": listing.errors,
        "kept_params": [(name, value) for name in kept for value in query.getlist(name)],
        "json_url": with_query(api_url, query) if api_url else None,
        "csv_url": with_query(urls["csv"], whole) if urls["csv"] else None,
        "xlsx_url": with_query(urls["xlsx"], xlsx_query) if urls["xlsx"] else None,
        "column_options": columns.options,
        "can_save_view": getattr(getattr(request, "principal", None), "user", None) is not None,
        "xlsx_max_rows": MAX_SHEET_ROWS,
        "emails_url": with_query(urls["emails"], whole) if urls["emails"] else None,
        # A selection lasts while the filters do: sorting, paging and columns keep it.
        "selection_key": without(whole, *kept, COLUMNS).urlencode(),
        "max_selected": MAX_SELECTED,
    }
    if listing.is_valid:
        table = declaration.table(
            listing.rows,
            query=query,
            order_by=listing.filterset.table_order,
            exclude=columns.exclude,
            **declaration.table_kwargs(request, subject),
        )
        table.selectable = declaration.selectable
        context["table"] = table
        context["pager"] = listing.pager(nouns=declaration.nouns)
        if context["pager"].past_end_url:
            # Rows exist, this window is past them: say that, not "none yet".
            table.empty_text = _("This page is past the end of the list.")
            table.unfiltered_empty_text = table.empty_text
        context["xlsx_too_many"] = urls["xlsx"] and too_many_rows(listing.count)
    status = 200 if listing.is_valid else 400
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, REGION_TEMPLATE, {**context, "partial": True}, status=status)
        response["HX-Push-Url"] = with_query(request.path, query)
    else:
        if page.whole_page is not None:
            context.update(page.whole_page(request, subject, listing))
        response = render(request, page.template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
