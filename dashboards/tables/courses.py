"""The course tables: a course's members, and the courses a caller may view (the home page).
Sortable columns are named after the course API's `ordering` keys."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from dashboards.filters.courses import JOIN_STATUSES
from dashboards.tables.base import BadgeColumn, ListingTable, ProgressColumn, TimeColumn, cell
from dashboards.templatetags.ui import avatar


class CourseMemberTable(ListingTable):
    unfiltered_empty_text = "No members in this course yet."
    sheet_words = {"join_status": {status: status.capitalize() for status in JOIN_STATUSES}}

    member = tables.Column(
        accessor="real_name", verbose_name="Member", orderable=False, attrs=cell("Member")
    )
    join_status = BadgeColumn(verbose_name="Status", orderable=False, attrs=cell("Status"))
    completion_rate = ProgressColumn(
        verbose_name="Completion", orderable=False, attrs=cell("Completion")
    )
    # empty_values=(): render a null time as "never"/"unknown", not tables2's default dash.
    joined_at = TimeColumn(
        verbose_name="Joined",
        empty="unknown",
        initial_sort_descending=True,
        empty_values=(),
        attrs=cell("Joined"),
    )
    last_active_at = TimeColumn(
        verbose_name="Last active",
        empty="never",
        initial_sort_descending=True,
        empty_values=(),
        attrs=cell("Last active"),
    )

    class Meta(ListingTable.Meta):
        order_by_field = "ordering"
        attrs = {"class": "data-table course-member-table"}
        empty_text = "No members match these filters."
        row_attrs = {"data-user-id": lambda record: record["user_id"]}

    def sort_changes(self, column):
        return {"ordering": column.order_by_alias.next, "offset": None}

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

    def value_member(self, record):
        return record["real_name"]


class CourseTable(ListingTable):
    """The courses a caller may view, by title."""

    unfiltered_empty_text = (
        "No course to show. You see a course here when you created or manage it, or "
        "administer an org it is shared with."
    )

    title = tables.Column(verbose_name="Course", orderable=False, attrs=cell("Course"))
    member_count = tables.Column(
        verbose_name="Members", orderable=False, attrs=cell("Members", numeric=True)
    )
    manager_count = tables.Column(
        verbose_name="Managers", orderable=False, attrs=cell("Managers", numeric=True)
    )

    class Meta(ListingTable.Meta):
        orderable = False
        attrs = {"class": "data-table course-table"}
        row_attrs = {"data-course-id": lambda record: record.pk}

    def render_title(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("course-detail", args=[record.pk]), record.title
        )

    def render_member_count(self, value):
        return f"{value:,}"

    def render_manager_count(self, value):
        return f"{value:,}"
