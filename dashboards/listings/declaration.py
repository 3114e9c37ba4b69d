"""A listing declared once, in the spirit of Django admin's ModelAdmin: one object states how
its subject is found with the viewer's rights, its scope, its tally, its FilterSet, its window,
the page-only parameters it translates, its table, its API body, whether rows are selectable,
and its downloads. The page and its htmx region, the API answer, the CSV, the spreadsheet,
`emails.txt` and saved views are all built from it (dashboards/urls.py lists their routes), so
no endpoint wires a listing by hand.

    listing = COURSE_MEMBERS.build(request.GET, course)            # the page's rows
    listing = COURSE_MEMBERS.build(query, course, whole=True)      # every row (an export)
"""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from dashboards.listings.listing import Listing


@dataclass(frozen=True, kw_only=True)
class Page:
    """The listing's page: its route and name, its template, and what it shows besides the
    table: `context(request, subject, listing)` for the page and its htmx region alike,
    `whole_page(request, subject, listing)` for the whole page only."""

    route: str
    name: str
    template: str
    context: Any = None
    whole_page: Any = None


@dataclass(frozen=True, kw_only=True)
class Declaration:
    # The listing's key: its downloads' route names (`<name>-csv`, …) and its column choice.
    name: str
    kind: str  # what it lists, in words (a saved view says it)
    nouns: Any  # count → "members"
    # (request, **path ids) → the subject, with the viewer's rights (else Http404 or 403).
    subject: Any
    scope: Any  # subject → the queryset of every row the listing may show
    filterset: type
    window: type
    read: Any = None  # rows → the rows as shown (their joined columns)
    tally: Any = None  # subject → rows that count the listing without reading it
    # The page's query → the API's: page-only parameters translated (pages, exports, views).
    page_only: Any = None
    page_only_names: tuple = ()
    table: type
    columns: str = ""  # the viewers' column choice is kept under this key (default: name)
    table_options: Any = None  # (request, subject) → the table's keyword arguments
    body: type | None = None  # the API body's serializer (also the CSV's columns)
    api: str | None = None  # the API route's name
    api_kwargs: Any = None  # subject → the API route's kwargs
    selectable: bool = False
    # Downloads: their route (without the extension), the formats, the file name's words.
    downloads: str = ""
    formats: tuple = ()
    file_name: Any = None  # subject → words of the file name
    sheet: str = "Rows"
    page: Page | None = None

    @property
    def column_key(self):
        return self.columns or self.name

    def build(self, params, subject, *, whole=False):
        """The listing of subject's rows for these parameters (already the API's: see
        `query`); `whole`: every matching row (the window's parameters ignored), narrowed to
        the `selected=` rows when the listing is selectable."""
        return Listing(
            params,
            self.scope(subject),
            self.filterset,
            self.window,
            tally=self.tally(subject) if self.tally else None,
            read=self.read,
            whole=whole,
            selectable=whole and self.selectable,
        )

    def query(self, params):
        """A page's (or a saved view's, or a download's) query as the API reads it."""
        return self.page_only(params) if self.page_only else params

    def has_page_only(self, params):
        return any(name in params for name in self.page_only_names)

    def table_kwargs(self, request, subject):
        return self.table_options(request, subject) if self.table_options else {}

    def download_url(self, kind, subject_kwargs):
        """The route of one of the listing's downloads (csv, xlsx, emails), or None."""
        if kind not in self.formats:
            return None
        return reverse(f"{self.name}-{kind}", kwargs=subject_kwargs)

    def api_url(self, subject):
        return reverse(self.api, kwargs=self.api_kwargs(subject)) if self.api else None
