"""Read queries about courses: a course's members, its stats, the courses a caller may view."""

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dashboards.access.predicates import courses_viewable_by, courses_with_view_flags
from dashboards.models import Course, CourseMember
from dashboards.models.ids import parse_id

# A member row: the fields of a user entry of course-users-api.md, by their column names.
MEMBER_FIELDS = (
    "user_id",
    "username",
    "real_name",
    "avatar",
    "join_status",
    "completion_rate",
    "last_active_at",
    "joined_at",
)
HISTOGRAM_BUCKETS = 10
# Behind: joined learners below 50 % who have not been active for 30 days (or ever). The
# course page's card counts them (course_stats) and lists them with BEHIND, the course members'
# listing parameters that say the same.
BEHIND_BELOW, BEHIND_INACTIVE_DAYS = 50, 30
BEHIND = {
    "statuses": "joined",
    "completion_max": BEHIND_BELOW - 1,
    "inactive_for": BEHIND_INACTIVE_DAYS,
}


def course_by_id(raw_id, *, fields=("id", "title", "container_id"), principal=None):
    """The course with this id (a path segment, any string), or None when there is none; with
    principal, fetched with the principal's rights on it (one query, see can_view_course)."""
    course_id = parse_id(raw_id)
    if not course_id:
        return None
    found = courses_with_view_flags(Course.objects.only(*fields).filter(pk=course_id), principal)
    return found[0] if found else None


def course_members(course):
    """Every member of course, any status, unordered: the listing's scope. It is counted and
    windowed without the users (only a search or a sort by name joins them); member_rows reads
    the rows."""
    return CourseMember.objects.filter(course=course)


def member_rows(members, fields=MEMBER_FIELDS):
    """Rows (dicts of `fields`, MEMBER_FIELDS by default) of these course members."""
    return members.annotate(
        username=F("user__username"),
        real_name=F("user__real_name"),
        avatar=F("user__avatar"),
    ).values(*fields)


def course_stats(course, *, now=None):
    """The course-level stats of course-users-api.md, from one grouped query: the course's
    members counted by (status, completion rate, active in 7 days, active in 30 days), at
    most a few thousand groups, added up here. (One aggregate with a filter per figure cost
    twice as much: twenty filters evaluated on each of the course's rows.)"""
    now = now or timezone.now()
    groups = (
        CourseMember.objects.filter(course=course)
        .values_list(
            "join_status",
            "completion_rate",
            _active_since(now - timezone.timedelta(days=7)),
            _active_since(now - timezone.timedelta(days=BEHIND_INACTIVE_DAYS)),
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_status = dict.fromkeys(CourseMember.JoinStatus.values, 0)
    histogram = [0] * HISTOGRAM_BUCKETS
    completion_sum = completed = active_7d = active_30d = behind = 0
    for status, rate, active_7, active_30, n in groups:
        by_status[status] += n
        if status != CourseMember.JOINED:
            continue
        completion_sum += rate * n
        completed += n if rate == 100 else 0
        active_7d += n if active_7 else 0
        active_30d += n if active_30 else 0
        # Not in the dashboard API's body: the page's "Behind" card (BEHIND_QUERY lists them).
        behind += n if rate < BEHIND_BELOW and not active_30 else 0
        histogram[min(rate // 10, HISTOGRAM_BUCKETS - 1)] += n
    members = by_status[CourseMember.JOINED]
    return {
        "id": course.pk,
        "name": course.title,
        "members": members,
        "managers": by_status[CourseMember.CREATOR] + by_status[CourseMember.MANAGER],
        "invited": by_status[CourseMember.INVITED],
        "requested": by_status[CourseMember.REQUESTED],
        # Half up, not Python's round-half-to-even: 40.5 is 41 (in integers: no float error).
        "avg_completion_rate": (2 * completion_sum + members) // (2 * members) if members else 0,
        "completed": completed,
        "active_7d": active_7d,
        "active_30d": active_30d,
        "completion_histogram": histogram,
        "behind": behind,
    }


def _active_since(moment):
    """Whether a member was active at `moment` or later (NULL: never active)."""
    return ExpressionWrapper(Q(last_active_at__gte=moment), output_field=BooleanField())


def viewable_courses(principal):
    """The courses principal may view (dashboards.access.predicates.can_view_course, as one query),
    each annotated with `member_count` (joined users), `manager_count` (creator + managers),
    `waiting_count` (invited + requested) and `last_activity` (the latest last_active_at of a
    joined user), ordered by normalized title then id."""
    return (
        courses_viewable_by(principal)
        .annotate(
            member_count=_count_of_members([CourseMember.JOINED]),
            manager_count=_count_of_members([CourseMember.CREATOR, CourseMember.MANAGER]),
            waiting_count=_count_of_members([CourseMember.INVITED, CourseMember.REQUESTED]),
            last_activity=_last_activity(),
        )
        .order_by("title_key", "id")
    )


def _count_of_members(statuses):
    # A correlated count is evaluated for the rows of the page only, not for every course.
    counts = (
        CourseMember.objects.filter(course=OuterRef("pk"), join_status__in=statuses)
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


# The learner's page and GET /api/v2/course/{id}/users/{userId}/: a roster row and its dates.
MEMBER_DETAIL_FIELDS = (*MEMBER_FIELDS, "start_date", "finish_date", "score")
OTHER_COURSES_SHOWN = 50


def course_member(course, raw_user_id):
    """The member row (a dict of MEMBER_DETAIL_FIELDS) of this user in course, any status, or
    None when the user is not a member (or the id is no id)."""
    user_id = parse_id(raw_user_id)
    if user_id is None:
        return None
    rows = member_rows(
        CourseMember.objects.filter(course=course, user_id=user_id), MEMBER_DETAIL_FIELDS
    )
    return next(iter(rows), None)


def member_other_courses(principal, user_id, course):
    """The user's other courses that principal may view (their links, with the course's title
    and container), by normalized title, at most OTHER_COURSES_SHOWN, in one query."""
    viewable = viewable_courses(principal).exclude(pk=course.pk).values("pk")
    return list(
        CourseMember.objects.filter(user_id=user_id, course__in=viewable)
        .select_related("course", "course__container")
        .only(
            "join_status",
            "completion_rate",
            "last_active_at",
            "course__title",
            "course__container__title",
        )
        .order_by("course__title_key", "course_id")[:OTHER_COURSES_SHOWN]
    )


def _last_activity():
    # The newest of the course's joined users: the top of cm_course_active_idx's range.
    latest = (
        CourseMember.objects.filter(
            course=OuterRef("pk"), join_status=CourseMember.JOINED, last_active_at__isnull=False
        )
        .order_by("-last_active_at")
        .values("last_active_at")[:1]
    )
    return Subquery(latest)
