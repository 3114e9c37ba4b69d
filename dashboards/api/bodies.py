"""A listing's API answer: the family's body for the window's rows, or the family's 400.

- The course family (an OffsetWindow): a DRF body `{count, next, previous, results}`; errors
  `{"<param>": ["…"]}`.
- The org family (a PageWindow): a JSON array with the metadata in `X-Pagination`; errors
  `{"error": 400, "message": "…"}` with the first invalid parameter's message.
"""

import json
import math

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from dashboards.api.errors import bad_request
from dashboards.api.rows import plain_data, plain_fields
from dashboards.listings.windows import OffsetWindow, PageWindow


def listing_response(request, listing, serializer_class):
    """The family's body for the listing's window, or raise its 400."""
    family = FAMILIES[listing.window_kind]
    if not listing.is_valid:
        raise family.refusal(listing)
    fields = plain_fields(serializer_class)
    if fields is None:
        data = serializer_class(listing.rows, many=True).data
    else:
        rows = listing.window_rows()
        lookups = [lookup for _, lookup, _ in fields]
        data = plain_data(fields, [] if rows is None else rows.values_list(*lookups))
    return family.response(request, listing.window, listing.count, data)


class OffsetBody:
    @staticmethod
    def refusal(listing):
        return ValidationError(listing.errors)

    @staticmethod
    def response(request, window, count, data):
        paginator = LimitOffsetPagination()
        paginator.request, paginator.limit, paginator.offset = request, window.limit, window.offset
        paginator.count = count
        return paginator.get_paginated_response(data)


class PageBody:
    @staticmethod
    def refusal(listing):
        return bad_request(listing.first_error)

    @staticmethod
    def response(request, window, count, data):
        pagination = {
            "count": count,
            "page": window.page,
            "pageCount": math.ceil(count / window.per_page),
            "perPage": window.per_page,
        }
        return Response(data, headers={"X-Pagination": json.dumps(pagination)})


FAMILIES = {OffsetWindow: OffsetBody, PageWindow: PageBody}
