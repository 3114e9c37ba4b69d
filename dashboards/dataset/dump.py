"""Write the database in the dataset format (dataset-format.md); credentials never leave it."""

import contextlib
import io

from django.db import connection, transaction

from dashboards.dataset.format import (
    DUMPED_LISTS,
    USER_TEXT_FIELDS,
    format_timestamp,
    open_output,
    write_dataset,
)
from dashboards.models import Course, CourseMember, CourseShare, Org, OrgRole, User

CHUNK = 5000


def dump_dataset(path_or_file):
    """Write users, orgs, org roles, courses and course members; return counts per list.

    A path ending in .gz is gzip-compressed; a file object gets the text as is. Records are
    sorted and keys ordered, so the same data always gives the same bytes.
    """
    with _snapshot():
        if isinstance(path_or_file, io.TextIOBase):
            return write_dataset(path_or_file, _lists())
        if hasattr(path_or_file, "write"):
            out = io.TextIOWrapper(path_or_file, encoding="utf-8", newline="\n")
            try:
                return write_dataset(out, _lists())
            finally:
                out.flush()
                out.detach()
        with open_output(path_or_file) as out:
            return write_dataset(out, _lists())


@contextlib.contextmanager
def _snapshot():
    """Read every list from one snapshot of the database."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _lists():
    lists = {
        "users": _users(),
        "orgs": _orgs(),
        "orgRoles": _org_roles(),
        "courses": _courses(),
        "courseMembers": _course_members(),
    }
    assert tuple(lists) == DUMPED_LISTS
    return lists


def _rows(queryset, *fields):
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK)


def _users():
    profile_fields = [model_field for model_field, _ in USER_TEXT_FIELDS.values()]
    users = User.objects.order_by("pk")
    for pk, *profile, last_seen, is_superuser in _rows(
        users, "pk", *profile_fields, "last_seen", "is_superuser"
    ):
        yield {
            "id": pk,
            **dict(zip(USER_TEXT_FIELDS, profile, strict=True)),
            "lastSeen": format_timestamp(last_seen),
            "isSuperuser": is_superuser,
        }


def _orgs():
    for pk, title, parent, org_type in _rows(
        Org.objects.order_by("pk"), "pk", "title", "parent_id", "org_type"
    ):
        yield {"id": pk, "title": title, "parentId": parent, "orgType": org_type}


def _org_roles():
    roles = OrgRole.objects.order_by("user_id", "org_id", "role")
    for user, org, role in _rows(roles, "user_id", "org_id", "role"):
        yield {"userId": user, "orgId": org, "role": role}


def _courses():
    shared_with = {}
    for course, org in CourseShare.objects.order_by("course_id", "org_id").values_list(
        "course_id", "org_id"
    ):
        shared_with.setdefault(course, []).append(org)
    fields = ("pk", "title", "slug", "container_id", "created_by_id", "created_at")
    for pk, title, slug, container, creator, created_at, kind, privacy in _rows(
        Course.objects.order_by("pk"), *fields, "course_type", "privacy"
    ):
        yield {
            "id": pk,
            "title": title,
            "slug": slug,
            "containerId": container,
            "createdBy": creator,
            "createdAt": format_timestamp(created_at),
            "type": kind,
            "privacy": privacy,
            "sharedWith": shared_with.get(pk, []),
        }


def _course_members():
    members = CourseMember.objects.order_by("course_id", "user_id")
    fields = ("user_id", "course_id", "join_status", "joined_at", "last_active_at")
    for user, course, status, joined, active, rate, start, finish, score in _rows(
        members, *fields, "completion_rate", "start_date", "finish_date", "score"
    ):
        yield {
            "userId": user,
            "courseId": course,
            "joinStatus": status,
            "joinedAt": format_timestamp(joined),
            "lastActiveAt": format_timestamp(active),
            "completionRate": rate,
            "startDate": format_timestamp(start),
            "finishDate": format_timestamp(finish),
            "score": score,
        }
