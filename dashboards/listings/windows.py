"""The two window kinds: which rows of a listing a request asks for.

- OffsetWindow: `limit` rows from `offset` (the course family, course-users-api.md).
- PageWindow: page `page` of `perPage` entries (the org family, org-dashboard-api.md).

How each API family answers with a window is the API's business (dashboards/api/bodies.py).
"""

from dashboards.listings.pager import Pager


class OffsetWindow:
    PARAMETERS = ("limit", "offset")
    SIZE = "limit"

    def __init__(self, cleaned):
        self.limit, self.offset = cleaned["limit"], cleaned["offset"]
        self.start, self.size = self.offset, self.limit

    def pager(self, query, **counts):
        return Pager.from_offset(query, limit=self.limit, offset=self.offset, **counts)


class PageWindow:
    PARAMETERS = ("page", "perPage")
    SIZE = "perPage"

    def __init__(self, cleaned):
        self.page, self.per_page = cleaned["page"], cleaned["perPage"]
        self.start, self.size = (self.page - 1) * self.per_page, self.per_page

    def pager(self, query, **counts):
        return Pager.from_page(query, page=self.page, per_page=self.per_page, **counts)
