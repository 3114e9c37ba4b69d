"""The org dashboard's vocabularies (org-dashboard-api.md): a member's role in a listing and
the status of a member's course. Defined once; the API, pages, exports and filters read them.
The labels are the pages' and spreadsheets' words, in the viewer's language (lazy); the
APIs and the CSV use the values."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ADMIN, INSTRUCTOR, ORG_LEARNER, COURSE_LEARNER = (
    "admin",
    "instructor",
    "org-learner",
    "course-learner",
)
# A member's role is the first of these that applies; its index is the role's rank (the
# roster's role_rank and portal_rank columns).
ROLES = [ADMIN, INSTRUCTOR, ORG_LEARNER, COURSE_LEARNER]
ROLE_LABELS = {
    ADMIN: _("Admin"),
    INSTRUCTOR: _("Instructor"),
    ORG_LEARNER: _("Org learner"),
    COURSE_LEARNER: _("Course learner"),
}

STARTED, IN_PROGRESS, COMPLETED = "started", "in-progress", "completed"
COURSE_STATUSES = [STARTED, IN_PROGRESS, COMPLETED]
# "status" context: the same English word names a column elsewhere ("Completed", "Joined").
COURSE_STATUS_LABELS = {
    STARTED: pgettext_lazy("status", "Started"),
    IN_PROGRESS: pgettext_lazy("status", "In progress"),
    COMPLETED: pgettext_lazy("status", "Completed"),
}

# A member's join status in a course (CourseMember.JoinStatus), as the pages word it.
JOIN_STATUS_LABELS = {
    "creator": pgettext_lazy("status", "Creator"),
    "manager": pgettext_lazy("status", "Manager"),
    "joined": pgettext_lazy("status", "Joined"),
    "invited": pgettext_lazy("status", "Invited"),
    "requested": pgettext_lazy("status", "Requested"),
}

# An org's type (Org.Type), as the pages word it.
ORG_TYPE_LABELS = {
    "container": _("container"),
    "base": _("base"),
    "portal": _("portal"),
    "topic": _("topic"),
}
