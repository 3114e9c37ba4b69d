"""Presentation helpers for every page: the tables' cells as filters (times, progress,
badges, avatars: dashboards/tables/cells.py writes them), org types, the filters' state, the
completion histogram."""

from django import template

from dashboards.models.roles import ORG_TYPE_LABELS
from dashboards.tables.cells import avatar, badge, progress_bar, relative_time

register = template.Library()

# The tables' cells, as the pages' filters.
register.filter("relative_time", relative_time)
register.filter("progress_bar", progress_bar)
register.filter("badge", badge)
register.filter("avatar", avatar)


@register.filter
def org_type(value):
    """An org's type in the page's language ("portal")."""
    return ORG_TYPE_LABELS.get(value, value)


@register.simple_tag
def table_row(table, row):
    """A listing table's row: tables/base.py ListingTable.row_html."""
    return table.row_html(row)


# Parameters that page, order or shape a listing; any other non-blank one filters it.
NOT_FILTERS = frozenset(
    {"page", "perPage", "limit", "offset", "sort", "order", "ordering", "columns", "bom"}
)


@register.filter
def has_filters(query):
    """Whether a request's query filters the listing (so an empty table offers to clear it)."""
    return any(
        value.strip()
        for name, values in query.lists()
        if name not in NOT_FILTERS
        for value in values
    )


@register.inclusion_tag("dashboards/partials/histogram.html")
def completion_histogram(buckets, height=120, rows_url=None):
    """An inline SVG bar chart of the ten completion buckets (no script, no chart library);
    with rows_url (an address ending in a query), each bar links to its bucket's rows."""
    tallest = max(buckets, default=0) or 1
    bar_width, gap, label_room = 28, 6, 18
    bars = []
    for index, count in enumerate(buckets):
        low = index * 10
        high = 100 if index == len(buckets) - 1 else low + 9
        bar_height = round(count / tallest * (height - label_room - 14))
        bars.append(
            {
                "x": index * (bar_width + gap),
                "y": height - label_room - bar_height,
                "width": bar_width,
                "height": bar_height,
                "count": count,
                "label": f"{low}–{high}%",
                "url": (
                    f"{rows_url}&completion_min={low}&completion_max={high}" if rows_url else None
                ),
                "tick": f"{low}",
                "text_x": index * (bar_width + gap) + bar_width / 2,
                "count_y": height - label_room - bar_height - 3,
            }
        )
    return {
        "bars": bars,
        "width": len(buckets) * (bar_width + gap) - gap,
        "height": height,
        "tick_y": height - 4,
        "total": sum(buckets),
    }
