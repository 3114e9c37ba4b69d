"""The org tables: members of an org or a portal, and a member's courses in an org."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from dashboards.roles import COURSE_STATUS_LABELS, ROLE_LABELS, ROLES
from dashboards.tables.base import BadgeColumn, ListingTable, ProgressColumn, TimeColumn, cell
from dashboards.templatetags.ui import avatar, badge


class OrgMemberTable(ListingTable):
    """Members of an org or a portal (roster rows with their users). The sortable columns
    are named after the API's `sort` values, so the headers' links set `sort` and `order`."""

    unfiltered_empty_text = "No members yet."
    sheet_words = {"role": {rank: ROLE_LABELS[role] for rank, role in enumerate(ROLES)}}

    fullName = tables.Column(accessor="user__display_name", verbose_name="Name")
    email = tables.Column(accessor="user__email", verbose_name="Email", orderable=False)
    role = tables.Column(accessor="rank", verbose_name="Role")
    enrolled_count = tables.Column(
        verbose_name="Enrolled", orderable=False, attrs=cell("Enrolled", numeric=True)
    )
    completed_count = tables.Column(
        verbose_name="Completed", orderable=False, attrs=cell("Completed", numeric=True)
    )
    lastSeen = TimeColumn(
        accessor="user__last_seen", verbose_name="Last seen", empty="never", empty_values=()
    )

    class Meta(ListingTable.Meta):
        attrs = {"class": "data-table member-table"}
        empty_text = "No members match these filters."
        row_attrs = {"data-user-id": lambda record: record.user_id}

    def __init__(self, rows, *, org, **kwargs):
        super().__init__(rows, **kwargs)
        self.org = org

    def sort_changes(self, column):
        ascending_now = self.sorted_column == column.name and not self.sorted_descending
        order = "descending" if ascending_now else "ascending"
        return {"sort": column.name, "order": order, "page": None}

    def render_fullName(self, record):
        user = record.user
        url = reverse("org-member-detail", args=[self.org.pk, user.pk])
        return format_html(
            '<span class="member">{}<span class="member-names"><a class="member-name" href="{}">'
            '{}</a><span class="member-username">{}</span></span></span>',
            avatar(user.avatar, user.display_name),
            url,
            user.display_name,
            f"@{user.username}" if user.username else "",
        )

    def render_email(self, value):
        return format_html('<a href="mailto:{}">{}</a>', value, value)

    def render_role(self, value):
        return badge(ROLES[value])

    def value_fullName(self, record):
        return record.user.display_name

    def value_role(self, value):
        return ROLES[value]


class MemberCourseTable(ListingTable):
    """A member's courses in an org, by start date (the API's fixed order)."""

    unfiltered_empty_text = "No course of this org links this member yet."
    sheet_words = {"status": COURSE_STATUS_LABELS}

    title = tables.Column(verbose_name="Course", orderable=False)
    status = BadgeColumn(verbose_name="Status", orderable=False)
    completion_rate = ProgressColumn(verbose_name="Progress", orderable=False)
    started_at = TimeColumn(
        verbose_name="Started", empty="not started", orderable=False, empty_values=()
    )
    finish_date = TimeColumn(verbose_name="Finished", empty="—", orderable=False)
    score = tables.Column(verbose_name="Score", orderable=False, attrs=cell("Score", numeric=True))

    class Meta(ListingTable.Meta):
        orderable = False
        attrs = {"class": "data-table member-courses-table"}
        empty_text = "No courses match these filters."
        row_attrs = {"data-course-id": lambda record: record.course_id}

    def render_score(self, value):
        return f"{value:.2f}"
