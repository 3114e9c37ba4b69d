"""The pager every listing page shows: "N rows", previous/next, page-size links.

Built from the listing's own query parameters, so every link keeps the filters and the order.
Each window kind (dashboards.listings.windows) builds it with its own parameters; the partial
`dashboards/partials/pager.html` shows it.
"""

import math
from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import ngettext


def changed(query, **changes):
    """A copy of a QueryDict with each named parameter set to a value, or removed for None."""
    query = query.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = str(value)
    return query


def without(query, *names):
    """A copy of a QueryDict without the named parameters."""
    return changed(query, **dict.fromkeys(names))


def link(query, **changes):
    """A relative link to the same page with the query changed."""
    return "?" + changed(query, **changes).urlencode()


def with_query(path, query):
    """path?query, or path alone for an empty query."""
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


def rows(count):
    return ngettext("row", "rows", count)


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Pager:
    count: int
    first_row: int
    last_row: int
    page: int
    page_count: int
    noun: str
    previous_url: str | None = None
    next_url: str | None = None
    first_url: str | None = None
    last_url: str | None = None
    sizes: list[PageLink] = field(default_factory=list)
    # Set when the window starts past the last row: the link to the last page.
    past_end_url: str | None = None

    @classmethod
    def from_page(cls, query, *, count, page, per_page, shown, sizes, nouns=None):
        """A pager over page `page` of `per_page` rows (the org API's `page`/`perPage`)."""
        url = partial(link, query)
        page_count = max(1, math.ceil(count / per_page))
        first_row = (page - 1) * per_page + 1
        has_previous, has_next = page > 1, page < page_count
        return cls(
            count=count,
            first_row=first_row if shown else 0,
            last_row=first_row + shown - 1 if shown else 0,
            page=page,
            page_count=page_count,
            noun=(nouns or rows)(count),
            previous_url=url(page=min(page, page_count + 1) - 1 if page > 2 else None)
            if has_previous
            else None,
            next_url=url(page=page + 1) if has_next else None,
            first_url=url(page=None) if has_previous else None,
            last_url=url(page=page_count) if has_next else None,
            sizes=[
                PageLink(str(size), url(perPage=size, page=None), current=size == per_page)
                for size in sizes
            ],
            past_end_url=url(page=page_count if page_count > 1 else None)
            if count and page > page_count
            else None,
        )

    @classmethod
    def from_offset(cls, query, *, count, limit, offset, shown, sizes, nouns=None):
        """A pager over `limit` rows from `offset`; `query` is the request's QueryDict,
        `nouns(count)` the word for what is counted, in the page's language (`ngettext`)."""
        url = partial(link, query)
        last_offset = max(0, (math.ceil(count / limit) - 1) * limit)
        has_previous = offset > 0
        has_next = offset + limit < count
        size_links = [
            PageLink(str(size), url(limit=size, offset=None), current=size == limit)
            for size in sizes
        ]
        return cls(
            count=count,
            first_row=offset + 1 if shown else 0,
            last_row=offset + shown if shown else 0,
            page=offset // limit + 1,
            page_count=max(1, math.ceil(count / limit)),
            noun=(nouns or rows)(count),
            previous_url=url(offset=max(0, offset - limit) or None) if has_previous else None,
            next_url=url(offset=offset + limit) if has_next else None,
            first_url=url(offset=None) if has_previous else None,
            last_url=url(offset=last_offset) if has_next else None,
            sizes=size_links,
            past_end_url=url(offset=last_offset or None) if count and offset >= count else None,
        )
