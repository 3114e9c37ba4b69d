"""The dataset's fields per kind, as the checker reads them (dataset-format.md): each field's
name in the file, its check, and its default when absent."""

from dashboards.dataset import fields as f
from dashboards.dataset.format import (
    COURSE_TYPES,
    CREDENTIAL_KINDS,
    JOIN_STATUSES,
    ORG_TYPES,
    PRIVACIES,
    ROLES,
    USER_TEXT_FIELDS,
)

MISSING = object()
REQUIRED = object()
INVALID = object()
KEEP = object()  # "password" absent: keep the stored one

# (file field, check, default when absent). Rows are tuples (index, *values) in this order.
SPECS = {
    "users": (
        ("id", f.ident, REQUIRED),
        *((name, f.optional_text(limit), None) for name, (_, limit) in USER_TEXT_FIELDS.items()),
        ("lastSeen", f.timestamp, None),
        ("password", f.password, KEEP),
        ("isSuperuser", f.boolean, False),
    ),
    "orgs": (
        ("id", f.ident, REQUIRED),
        ("title", f.title, REQUIRED),
        ("parentId", f.reference, None),
        ("orgType", f.choice(ORG_TYPES), REQUIRED),
    ),
    "orgRoles": (
        ("userId", f.ident, REQUIRED),
        ("orgId", f.ident, REQUIRED),
        ("role", f.choice(ROLES), REQUIRED),
    ),
    "courses": (
        ("id", f.ident, REQUIRED),
        ("title", f.title, REQUIRED),
        ("slug", f.slug, ""),
        ("containerId", f.reference, None),
        ("createdBy", f.reference, None),
        ("createdAt", f.timestamp, None),
        ("type", f.choice(COURSE_TYPES), "self-paced"),
        ("privacy", f.choice(PRIVACIES), ""),
        ("sharedWith", f.id_list, ()),
    ),
    "courseMembers": (
        ("userId", f.ident, REQUIRED),
        ("courseId", f.ident, REQUIRED),
        ("joinStatus", f.choice(JOIN_STATUSES), REQUIRED),
        ("joinedAt", f.timestamp, None),
        ("lastActiveAt", f.timestamp, None),
        ("completionRate", f.completion_rate, 0),
        ("startDate", f.timestamp, None),
        ("finishDate", f.timestamp, None),
        ("score", f.score, None),
    ),
    "credentials": (
        ("key", f.credential_key, REQUIRED),
        ("kind", f.choice(CREDENTIAL_KINDS), REQUIRED),
        ("userId", f.reference, None),
        ("containerId", f.reference, None),
        ("expiresAt", f.timestamp, None),
        ("revoked", f.boolean, False),
    ),
}
USER_FIELDS = [name for name, _, _ in SPECS["users"]]
USERNAME, EMAIL = 1 + USER_FIELDS.index("username"), 1 + USER_FIELDS.index("email")
