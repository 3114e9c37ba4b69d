"""The course roster table: presentation of rows already filtered, ordered and windowed."""

import django_tables2 as tables
from django.utils.html import format_html
from django_tables2.utils import OrderByTuple

from dashboards.templatetags.ui import avatar, badge, progress_bar, relative_time


def _cell(label):
    """Cell attributes: data-label names the column when narrow screens stack the cells."""
    return {"td": {"data-label": label}}


class DatabaseOrderedTable(tables.Table):
    """A table whose rows arrive ordered by the database: `order_by` only records the
    ordering, for the headers' links and aria-sort, and never re-sorts in Python."""

    @property
    def order_by(self):
        return self._order_by

    @order_by.setter
    def order_by(self, value):
        if isinstance(value, str):
            value = value.split(",")
        self._order_by = OrderByTuple(value or ())

    @property
    def sorted_column(self):
        """The name of the column of the primary sort key, or None."""
        return self._order_by[0].bare if self._order_by else None

    @property
    def sorted_descending(self):
        return bool(self._order_by) and self._order_by[0].is_descending


class CourseRosterTable(DatabaseOrderedTable):
    unfiltered_empty_text = "No members in this course yet."

    member = tables.Column(
        accessor="real_name", verbose_name="Member", orderable=False, attrs=_cell("Member")
    )
    join_status = tables.Column(verbose_name="Status", orderable=False, attrs=_cell("Status"))
    completion_rate = tables.Column(
        verbose_name="Completion", orderable=False, attrs=_cell("Completion")
    )
    # empty_values=(): render a null time as "never"/"unknown", not tables2's default dash.
    joined_at = tables.Column(
        verbose_name="Joined",
        initial_sort_descending=True,
        empty_values=(),
        attrs=_cell("Joined"),
    )
    last_active_at = tables.Column(
        verbose_name="Last active",
        initial_sort_descending=True,
        empty_values=(),
        attrs=_cell("Last active"),
    )

    class Meta:
        template_name = "dashboards/tables/table.html"
        orderable = True
        order_by_field = "ordering"
        attrs = {"class": "data-table roster-table"}
        empty_text = "No members match these filters."
        row_attrs = {"data-user-id": lambda record: record["user_id"]}

    def render_member(self, record):
        name = record["real_name"] or record["username"] or "Unknown"
        username = record["username"]
        return format_html(
            '<span class="member">{}<span class="member-names"><span class="member-name">{}'
            '</span><span class="member-username">{}</span></span></span>',
            avatar(record["avatar"], name),
            record["real_name"] or "(no name)",
            f"@{username}" if username else "",
        )

    def render_join_status(self, value):
        return badge(value)

    def render_completion_rate(self, value):
        return progress_bar(value)

    def render_joined_at(self, value):
        return relative_time(value, "unknown")

    def render_last_active_at(self, value):
        return relative_time(value, "never")

    def value_member(self, record):
        return record["real_name"]
