"""The listing object: a scoped queryset bound to its FilterSet and windowed, read alike by
the page, the API and the exports (the discipline of Django admin's ChangeList).

    listing = Listing(request.GET, course_members(course), CourseMemberFilterSet, OffsetWindow)
    listing.is_valid, listing.errors, listing.count, listing.rows, listing.pager(...)
    listing.window_rows()        # the window's rows as a queryset (the API's bodies read it)
    listing.export_queryset()    # every matching row, in order (the exports read it)

Parameters are validated once; the count, the rows and the pager are computed on first use.
A listing is built from its declaration (listings/declaration.py), never by hand.
"""

from functools import cached_property

from django.core.exceptions import ValidationError

from dashboards.filters.params import PAGE_SIZES
from dashboards.listings.pager import without
from dashboards.listings.selection import SELECTED, selected_ids

EXPORT_CHUNK_SIZE = 2000


class Listing:
    def __init__(
        self,
        params,
        queryset,
        filterset,
        window,
        *,
        tally=None,
        read=None,
        whole=False,
        selectable=False,
    ):
        """`tally`: rows of (filter columns…, members) that count the listing without
        reading it (the org roster's tally); `read`: the queryset's rows as shown (their
        joined columns), applied to the found rows only, so counting and finding the window's
        keys need no join; `whole`: every matching row is wanted (an export), so the window's
        parameters are ignored; `selectable`: `selected=<user ids>` narrows the rows to those
        (listings/selection.py; the pages' exports)."""
        if whole:
            params = whole_params(params, window)
        self.selection_errors = {}
        if selectable:
            try:
                ids = selected_ids(params)
            except ValidationError as error:
                ids, self.selection_errors = None, {SELECTED: error.messages}
            if ids is not None:
                queryset, tally = queryset.filter(user_id__in=ids), None
        self.params = params
        self.filterset = filterset(params, queryset=queryset)
        self.window_kind = window
        self.tally = tally
        self.read = read or (lambda rows: rows)

    @cached_property
    def is_valid(self):
        return self.filterset.is_valid() and not self.selection_errors

    @property
    def cleaned(self):
        """The validated parameters (of the valid ones, when some are not)."""
        self.filterset.is_valid()
        return self.filterset.form.cleaned_data

    @property
    def errors(self):
        """Parameter name → messages, in the contract's order of checks; {} when valid."""
        return {} if self.is_valid else {**self.filterset.error_lists(), **self.selection_errors}

    @property
    def first_error(self):
        return self.filterset.first_error()

    @property
    def whole_params(self):
        """The parameters without the window's: every matching row (the exports' address)."""
        return whole_params(self.params, self.window_kind)

    @cached_property
    def window(self):
        return self.window_kind(self.cleaned)

    @cached_property
    def count(self):
        """The number of matching rows: summed from the tally when it answers, else counted."""
        tally = None if self.tally is None else self.filterset.filtered_tally(self.tally)
        if tally is None:
            return self.filterset.qs.count()
        # A few dozen rows: summed here, cheaper than compiling an aggregate.
        return sum(tally.values_list("members", flat=True))

    def window_rows(self):
        """The window's rows as a queryset, in order, or None past the end (so a huge page
        number never reaches the database). Their keys are found with the filters and the
        order, then the rows are read by key (a "deferred join": a deep page skips its offset
        within the indexes, and the filters run once)."""
        start, size = self.window.start, self.window.size
        if start >= self.count:
            return None
        keys = self.filterset.qs.values("pk")[start : start + size]
        found = self.read(self.filterset.queryset.filter(pk__in=keys))
        return self.filterset.order_queryset(found)

    @cached_property
    def rows(self):
        """The window's rows, in order."""
        rows = self.window_rows()
        return [] if rows is None else list(rows)

    def pager(self, *, nouns):
        counts = {"count": self.count, "shown": len(self.rows), "nouns": nouns}
        return self.window.pager(self.params, sizes=PAGE_SIZES, **counts)

    def export_queryset(self):
        """Every matching row in order, as the rows are read (an export's rows)."""
        return self.read(self.filterset.qs)


def whole_params(params, window):
    return without(params, *window.PARAMETERS)
