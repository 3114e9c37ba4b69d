"""page/perPage pagination of the org dashboard family: a JSON array body, the metadata in the
`X-Pagination` header (org-dashboard-api.md)."""

import json
import math

from rest_framework.response import Response


class PageWindow:
    """One page of a queryset: its count (counted unless given), then (unless the page is past
    the end) the rows."""

    def __init__(self, queryset, *, page, per_page, count=None):
        self.page, self.per_page = page, per_page
        self.count = queryset.count() if count is None else count
        offset = (page - 1) * per_page
        # Past the end nothing is fetched, so a huge page number never reaches the database.
        # The page's keys are found first, then its rows read whole (a "deferred join"): a
        # deep page skips its offset within the indexes instead of reading every row before.
        page_keys = queryset.values("pk")[offset : offset + per_page]
        self.rows = list(queryset.filter(pk__in=page_keys)) if offset < self.count else []

    @property
    def page_count(self):
        return math.ceil(self.count / self.per_page)

    def header(self):
        return json.dumps(
            {
                "count": self.count,
                "page": self.page,
                "pageCount": self.page_count,
                "perPage": self.per_page,
            }
        )

    def response(self, data):
        """The page's entries as a JSON array with its `X-Pagination` header."""
        return Response(data, headers={"X-Pagination": self.header()})
