"""The org dashboard's vocabularies (org-dashboard-api.md): a member's role in a listing and
the status of a member's course. Defined once; the API, pages, exports and filters read them."""

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
    ADMIN: "Admin",
    INSTRUCTOR: "Instructor",
    ORG_LEARNER: "Org learner",
    COURSE_LEARNER: "Course learner",
}

STARTED, IN_PROGRESS, COMPLETED = "started", "in-progress", "completed"
COURSE_STATUSES = [STARTED, IN_PROGRESS, COMPLETED]
COURSE_STATUS_LABELS = {STARTED: "Started", IN_PROGRESS: "In progress", COMPLETED: "Completed"}

# A member's join status in a course (CourseMember.JoinStatus), as the pages word it.
JOIN_STATUS_LABELS = {
    "creator": "Creator",
    "manager": "Manager",
    "joined": "Joined",
    "invited": "Invited",
    "requested": "Requested",
}
