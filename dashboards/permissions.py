"""Who may see what: plain predicates, used by the pages and by the API alike."""

from dashboards.models import CourseMember, CourseShare, Org, OrgRole


def _within_bound_container(principal, container_id):
    return principal.container_id is None or principal.container_id == container_id


def is_org_admin(user, org):
    """True when user has the admin role on org or on any org above it (rights cascade down)."""
    return OrgRole.objects.filter(
        user=user, role=OrgRole.ADMIN, org_id__in=org.ancestor_ids
    ).exists()


def can_view_org(principal, org):
    """Partner keys, superusers and admins of org or an ancestor; bound sessions stay inside."""
    if principal is None:
        return False
    if principal.is_partner:
        return True
    if not _within_bound_container(principal, org.container_id):
        return False
    return principal.is_superuser or is_org_admin(principal.user, org)


def can_view_course(principal, course):
    """Partner keys, superusers, the course's creator and managers, and admins of an org the
    course is shared with or of any ancestor of such an org."""
    if principal is None:
        return False
    if principal.is_partner:
        return True
    if not _within_bound_container(principal, course.container_id):
        return False
    if principal.is_superuser:
        return True
    if CourseMember.objects.filter(
        course=course,
        user=principal.user,
        join_status__in=[CourseMember.CREATOR, CourseMember.MANAGER],
    ).exists():
        return True
    shared_paths = CourseShare.objects.filter(course=course).values_list("org__path", flat=True)
    ancestor_ids = {ancestor for path in shared_paths for ancestor in Org(path=path).ancestor_ids}
    return (
        bool(ancestor_ids)
        and OrgRole.objects.filter(
            user=principal.user, role=OrgRole.ADMIN, org_id__in=ancestor_ids
        ).exists()
    )
