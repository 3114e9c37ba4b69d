"""The two window kinds: which rows of a listing a request asks for, and how each API family
answers with them.

- OffsetWindow: `limit` rows from `offset` (the course family, course-users-api.md): a DRF
  body `{count, next, previous, results}`; errors `{"<param>": ["…"]}`.
- PageWindow: page `page` of `perPage` entries (the org family, org-dashboard-api.md): a
  JSON array with the metadata in `X-Pagination`; errors `{"error": 400, "message": "…"}`
  with the first invalid parameter's message.
"""

import json
import math

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from dashboards.api.errors import bad_request
from dashboards.listings.pager import Pager


class OffsetWindow:
    PARAMETERS = ("limit", "offset")

    def __init__(self, cleaned):
        self.limit, self.offset = cleaned["limit"], cleaned["offset"]
        self.start, self.size = self.offset, self.limit

    @staticmethod
    def refusal(listing):
        return ValidationError(listing.errors)

    def api_response(self, request, count, data):
        paginator = LimitOffsetPagination()
        paginator.request, paginator.limit, paginator.offset = request, self.limit, self.offset
        paginator.count = count
        return paginator.get_paginated_response(data)

    def pager(self, query, **counts):
        return Pager.from_offset(query, limit=self.limit, offset=self.offset, **counts)


class PageWindow:
    PARAMETERS = ("page", "perPage")

    def __init__(self, cleaned):
        self.page, self.per_page = cleaned["page"], cleaned["perPage"]
        self.start, self.size = (self.page - 1) * self.per_page, self.per_page

    @staticmethod
    def refusal(listing):
        return bad_request(listing.first_error)

    def api_response(self, request, count, data):
        pagination = {
            "count": count,
            "page": self.page,
            "pageCount": math.ceil(count / self.per_page),
            "perPage": self.per_page,
        }
        return Response(data, headers={"X-Pagination": json.dumps(pagination)})

    def pager(self, query, **counts):
        return Pager.from_page(query, page=self.page, per_page=self.per_page, **counts)
