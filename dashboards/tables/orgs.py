"""The org tables: members of an org or a portal, and a member's courses in an org."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dashboards.models.roles import COURSE_STATUS_LABELS, ROLE_LABELS, ROLES
from dashboards.tables.base import BadgeColumn, ListingTable, ProgressColumn, TimeColumn, numeric
from dashboards.tables.cells import avatar, badge


class OrgMemberTable(ListingTable):
    """Members of an org or a portal (roster rows with their users). The sortable columns
    are named after the API's `sort` values, so the headers' links set `sort` and `order`."""

    unfiltered_empty_text = _("No members yet.")
    sheet_words = {"role": {rank: ROLE_LABELS[role] for rank, role in enumerate(ROLES)}}

    fullName = tables.Column(accessor="user__display_name", verbose_name=_("Name"))
    email = tables.Column(accessor="user__email", verbose_name=_("Email"), orderable=False)
    role = tables.Column(accessor="rank", verbose_name=_("Role"))
    enrolledCount = tables.Column(
        accessor="enrolled_count", verbose_name=_("Enrolled"), attrs=numeric()
    )
    completedCount = tables.Column(
        accessor="completed_count", verbose_name=_("Completed"), attrs=numeric()
    )
    lastSeen = TimeColumn(
        accessor="user__last_seen", verbose_name=_("Last seen"), empty=_("never"), empty_values=()
    )

    class Meta(ListingTable.Meta):
        attrs = {"class": "data-table member-table"}
        empty_text = _("No members match these filters.")
        row_attrs = {"data-user-id": lambda record: record.user_id}

    def __init__(self, rows, *, org, **kwargs):
        super().__init__(rows, **kwargs)
        self.org = org

    # Time columns open newest first, as the course roster's do.
    FIRST_DESCENDING = frozenset({"lastSeen"})

    def sort_changes(self, column):
        if self.sorted_column == column.name:
            order = "ascending" if self.sorted_descending else "descending"
        else:
            order = "descending" if column.name in self.FIRST_DESCENDING else "ascending"
        return {"sort": column.name, "order": order, "page": None}

    def selection_key(self, record):
        return record.user_id, record.user.display_name

    def render_fullName(self, record):
        user = record.user
        url = reverse("org-member-detail", args=[self.org.pk, user.pk])
        # A member without a name is known by their username, else "Unknown".
        name = (
            user.display_name
            if user.real_name
            else (f"@{user.username}" if user.username else user.display_name)
        )
        return format_html(
            '<span class="member">{}<span class="member-names"><a class="member-name" href="{}">'
            '{}</a><span class="member-username">{}</span></span></span>',
            avatar(user.avatar, name),
            url,
            name,
            f"@{user.username}" if user.username and user.real_name else "",
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

    unfiltered_empty_text = _("No course of this org links this member yet.")
    sheet_words = {"status": COURSE_STATUS_LABELS}

    title = tables.Column(verbose_name=_("Course"), orderable=False)
    status = BadgeColumn(verbose_name=_("Status"), orderable=False)
    completion_rate = ProgressColumn(verbose_name=_("Progress"), orderable=False)
    started_at = TimeColumn(
        verbose_name=_("Started"), empty=_("not started"), orderable=False, empty_values=()
    )
    finish_date = TimeColumn(verbose_name=_("Finished"), empty="—", orderable=False)
    score = tables.Column(verbose_name=_("Score"), orderable=False, attrs=numeric())

    class Meta(ListingTable.Meta):
        orderable = False
        attrs = {"class": "data-table member-courses-table"}
        empty_text = _("No courses match these filters.")
        row_attrs = {"data-course-id": lambda record: record.course_id}

    def __init__(self, rows, *, viewable_container=None, **kwargs):
        super().__init__(rows, **kwargs)
        self.viewable_container = viewable_container

    def render_title(self, record):
        """The title, linked to the course page when the viewer may view the course: whoever
        views the org views the courses shared with it (can_view_course), unless a session
        bound to a container stops at the course's."""
        bound = self.viewable_container
        if bound is not None and record.course_container_id != bound:
            return record.title
        return format_html(
            '<a href="{}">{}</a>', reverse("course-detail", args=[record.course_id]), record.title
        )

    def render_score(self, value):
        # A percentage, as the progress beside it (the API keeps 0–1).
        return f"{round(value * 100)}%"
