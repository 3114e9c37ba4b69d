"""page/perPage pagination of the org dashboard family: a JSON array body, the metadata in the
`X-Pagination` header (org-dashboard-api.md)."""

import json
import math

from rest_framework.response import Response


class PageWindow:
    """One page of a valid ParameterFilterSet: its count, then (unless the page is past the
    end) its rows."""

    def __init__(self, filterset):
        self.page, self.per_page = filterset.page, filterset.per_page
        self.count = filterset.count()
        offset = (self.page - 1) * self.per_page
        # Past the end nothing is fetched, so a huge page number never reaches the database.
        in_range = offset < self.count
        self.rows = list(filterset.page_rows(offset, self.per_page)) if in_range else []

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
