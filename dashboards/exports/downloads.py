"""The downloads of a declared listing (dashboards/listings/declaration.py): every row matching
the page's filters, in its order, with the viewer's rights (403/404 like the page), narrowed
to the ticked rows (`selected=`) when the listing is selectable."""

from dashboards.access.pages import page_principal
from dashboards.exports.csv import listing_csv
from dashboards.exports.emails import listing_emails
from dashboards.exports.spreadsheet import file_name, listing_xlsx
from dashboards.tables.columns import chosen_table


def download(declaration, kind):
    """The view of one of the listing's downloads: "csv", "xlsx" or "emails"."""
    write = {"csv": _csv, "xlsx": _xlsx, "emails": _emails}[kind]

    @page_principal
    def view(request, **path):
        subject = declaration.subject(request, **path)
        listing = declaration.build(declaration.query(request.GET), subject, whole=True)
        return write(request, declaration, subject, listing)

    view.declaration = declaration
    return view


def _csv(request, declaration, subject, listing):
    name = file_name(*declaration.file_name(subject), extension="csv")
    return listing_csv(listing, declaration.body, filename=name)


def _xlsx(request, declaration, subject, listing):
    table = chosen_table(
        request,
        declaration.table,
        listing_key=declaration.column_key,
        **declaration.table_kwargs(request, subject),
    )
    name = file_name(*declaration.file_name(subject))
    return listing_xlsx(listing, table, filename=name, sheet=declaration.sheet)


def _emails(request, declaration, subject, listing):
    return listing_emails(listing)
