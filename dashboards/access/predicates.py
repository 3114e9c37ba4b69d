"""Who may see what: plain predicates over a principal and an object, and the queryset
annotations that let a predicate answer without a query. No HTTP here: the pages wrap these in
dashboards/access/pages.py, the API in dashboards/access/drf.py.

An object fetched by `orgs_with_admin_flags` or `courses_with_view_flags` carries the answer
for one viewer in explicit annotated fields (`viewer_id` and `viewer_is_admin` /
`viewer_manages`); a predicate reads them only for that viewer, and asks the database
otherwise.
"""

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Value
from django.db.models.lookups import StartsWith

from dashboards.models import Course, CourseMember, CourseShare, OrgRole


def _within_bound_container(principal, container_id):
    return principal.container_id is None or principal.container_id == container_id


def is_org_admin(user, org):
    """True when user has the admin role on org or on any org above it (rights cascade down)."""
    if getattr(org, "viewer_id", None) == user.pk:
        return org.viewer_is_admin
    return OrgRole.objects.filter(
        user=user, role=OrgRole.ADMIN, org_id__in=org.ancestor_ids
    ).exists()


def orgs_with_admin_flags(orgs, principal):
    """Fetch orgs with the principal's user's is_org_admin answer on each, in the same query,
    so that can_view_org on them asks the database nothing more."""
    if principal is None or principal.user is None:
        return list(orgs)
    return list(with_admin_flags(orgs, principal.user.pk))


def with_admin_flags(orgs, user_id):
    """The orgs queryset annotated with the user's is_org_admin answer (orgs_with_admin_flags)."""
    administers = OrgRole.objects.filter(
        StartsWith(OuterRef("path"), F("org__path")), user=user_id, role=OrgRole.ADMIN
    )
    return orgs.annotate(viewer_id=Value(user_id), viewer_is_admin=Exists(administers))


def manages_or_administers_course(user):
    """A condition on a Course queryset: user (a User or its id) is the course's creator or a
    manager, or admin of an org the course is shared with or of an ancestor of one (share path
    starts with the admin org's path)."""
    manages = CourseMember.objects.filter(
        course=OuterRef("pk"),
        user=user,
        join_status__in=[CourseMember.CREATOR, CourseMember.MANAGER],
    )
    admin_over_share = OrgRole.objects.filter(user=user, role=OrgRole.ADMIN).filter(
        StartsWith(OuterRef("org__path"), F("org__path"))
    )
    shared_with_administered = CourseShare.objects.filter(course=OuterRef("pk")).filter(
        Exists(admin_over_share)
    )
    return Exists(manages) | Exists(shared_with_administered)


def courses_with_view_flags(courses, principal):
    """Fetch courses with the principal's user's creator/manager/admin answer on each, in the
    same query, so that can_view_course on them asks the database nothing more."""
    if principal is None or principal.user is None:
        return list(courses)
    return list(with_view_flags(courses, principal.user.pk))


def with_view_flags(courses, user_id):
    """The courses queryset annotated with the user's creator/manager/admin answer
    (courses_with_view_flags)."""
    flag = ExpressionWrapper(manages_or_administers_course(user_id), output_field=BooleanField())
    return courses.annotate(viewer_id=Value(user_id), viewer_manages=flag)


def _decided_by_the_caller(principal, container_id):
    """True or False when the caller alone decides (nobody, a partner key, a session bound to
    another container, a superuser); None when the caller's roles must."""
    if principal is None:
        return False
    if principal.is_partner:
        return True
    if not _within_bound_container(principal, container_id):
        return False
    return True if principal.is_superuser else None


def can_view_org(principal, org):
    """Partner keys, superusers and admins of org or an ancestor; bound sessions stay inside."""
    decided = _decided_by_the_caller(principal, org.container_id)
    return is_org_admin(principal.user, org) if decided is None else decided


def can_view_course(principal, course):
    """Partner keys, superusers, the course's creator and managers, and admins of an org the
    course is shared with or of any ancestor of such an org."""
    decided = _decided_by_the_caller(principal, course.container_id)
    if decided is not None:
        return decided
    if getattr(course, "viewer_id", None) == principal.user.pk:
        return course.viewer_manages
    return (
        Course.objects.filter(pk=course.pk)
        .filter(manages_or_administers_course(principal.user))
        .exists()
    )


def courses_viewable_by(principal, courses=None):
    """can_view_course as a set: the courses (of `courses`, a Course queryset; every course by
    default) that principal may view, in one query."""
    courses = Course.objects.all() if courses is None else courses
    if principal is None:
        return courses.none()
    if principal.container_id is not None:
        courses = courses.filter(container_id=principal.container_id)
    if not (principal.is_partner or principal.is_superuser):
        courses = courses.filter(manages_or_administers_course(principal.user))
    return courses


def sees_every_course(principal):
    """True when principal may view every course (courses_viewable_by narrows nothing)."""
    return (
        principal is not None
        and principal.container_id is None
        and (principal.is_partner or principal.is_superuser)
    )
