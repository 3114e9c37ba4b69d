"""The course tables: a course's members, and the courses a caller may view (the home page).
Sortable columns are named after the course API's `ordering` keys."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dashboards.models.roles import JOIN_STATUS_LABELS
from dashboards.tables.base import BadgeColumn, ListingTable, ProgressColumn, TimeColumn, numeric
from dashboards.tables.cells import avatar


class CourseMemberTable(ListingTable):
    unfiltered_empty_text = _("No members in this course yet.")
    sheet_words = {"join_status": JOIN_STATUS_LABELS}

    # Sortable columns are named after their `ordering` key. empty_values=(): a member
    # without a name still reaches render_real_name (tables2 would print its default).
    real_name = tables.Column(verbose_name=_("Member"), empty_values=())
    join_status = BadgeColumn(verbose_name=_("Status"))
    user_completion_rate = ProgressColumn(accessor="completion_rate", verbose_name=_("Completion"))
    # empty_values=(): render a null time as "never"/"unknown", not tables2's default dash.
    joined_at = TimeColumn(
        verbose_name=_("Joined"), empty=_("unknown"), initial_sort_descending=True, empty_values=()
    )
    last_active_at = TimeColumn(
        verbose_name=_("Last active"),
        empty=_("never"),
        initial_sort_descending=True,
        empty_values=(),
    )

    class Meta(ListingTable.Meta):
        order_by_field = "ordering"
        attrs = {"class": "data-table course-member-table"}
        empty_text = _("No members match these filters.")
        row_attrs = {"data-user-id": lambda record: record["user_id"]}

    sort_keys_param = "ordering"

    def sort_keys_changes(self, keys):
        return {**super().sort_keys_changes(keys), "offset": None}

    def sort_changes(self, column):
        return self.sort_keys_changes([str(column.order_by_alias.next)])

    def selection_key(self, record):
        """The row's id in a selection, and the member it names."""
        return record["user_id"], record["real_name"] or record["username"] or "Unknown"

    def __init__(self, rows, *, course_id, **kwargs):
        super().__init__(rows, **kwargs)
        self.course_id = course_id

    def render_real_name(self, record):
        """The name (or the username, or "Unknown") linked to the learner's page."""
        username = record["username"]
        name = record["real_name"] or (f"@{username}" if username else _("Unknown"))
        url = reverse("course-member-detail", args=[self.course_id, record["user_id"]])
        return format_html(
            '<span class="member">{}<span class="member-names"><a class="member-name" href="{}">'
            '{}</a><span class="member-username">{}</span></span></span>',
            avatar(record["avatar"], name),
            url,
            name,
            f"@{username}" if username and record["real_name"] else "",
        )

    def value_real_name(self, record):
        return record["real_name"]


class CourseTable(ListingTable):
    """The courses a caller may view; sortable columns are named after the home page's
    `ordering` keys (filters/course_list.py). The container and id tell equal titles apart."""

    unfiltered_empty_text = _(
        "No course to show. You see a course here when you created or manage it, or "
        "administer an org it is shared with."
    )

    title = tables.Column(verbose_name=_("Course"))
    members = tables.Column(accessor="member_count", verbose_name=_("Members"), attrs=numeric())
    manager_count = tables.Column(verbose_name=_("Managers"), orderable=False, attrs=numeric())
    waiting = tables.Column(accessor="waiting_count", verbose_name=_("Waiting"), attrs=numeric())
    last_activity = TimeColumn(
        verbose_name=_("Last activity"),
        empty=_("none yet"),
        initial_sort_descending=True,
        empty_values=(),
    )
    container = tables.Column(
        accessor="container__title", verbose_name=_("Container"), orderable=False, default="—"
    )
    id = tables.Column(verbose_name=_("Id"), orderable=False, attrs=numeric())

    class Meta(ListingTable.Meta):
        order_by_field = "ordering"
        attrs = {"class": "data-table course-table"}
        empty_text = _("No course matches this search.")
        row_attrs = {"data-course-id": lambda record: record.pk}

    def sort_changes(self, column):
        return {"ordering": column.order_by_alias.next, "offset": None}

    def render_title(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("course-detail", args=[record.pk]), record.title
        )

    def render_members(self, value):
        return number_format(value, force_grouping=True)

    def render_manager_count(self, value):
        return number_format(value, force_grouping=True)

    def render_waiting(self, value):
        return number_format(value, force_grouping=True)

    def render_id(self, value):
        return f"#{value}"
