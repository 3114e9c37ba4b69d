"""Read queries for the home page."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from dashboards.access.predicates import courses_viewable_by, sees_every_course
from dashboards.models import CourseMember, Org, OrgRole
from dashboards.selectors.orgs import member_count_of_outer_org


def administered_orgs(principal):
    """The orgs principal holds the admin role on, by tree path (so parents come first)."""
    if principal is None or principal.user is None:
        return Org.objects.none()
    orgs = Org.objects.filter(
        pk__in=OrgRole.objects.filter(user=principal.user, role=OrgRole.ADMIN).values("org_id")
    )
    if principal.container_id is not None:
        orgs = orgs.filter(container_id=principal.container_id)
    return orgs.order_by("path")


def top_orgs(principal):
    """For a superuser, the containers (the roots of every org tree) by title, each with its
    member_count; else none."""
    if principal is None or not principal.is_superuser:
        return Org.objects.none()
    orgs = Org.objects.filter(org_type=Org.CONTAINER)
    if principal.container_id is not None:
        orgs = orgs.filter(pk=principal.container_id)
    return orgs.annotate(member_count=member_count_of_outer_org()).order_by("title", "pk")


INACTIVE_DAYS = 30


def waiting_summary(principal, *, now=None):
    """Across the courses principal may view: requests and invitations waiting, and joined
    learners not active for INACTIVE_DAYS days (or never), as one aggregate."""
    now = now or timezone.now()
    links = CourseMember.objects.all()
    if not sees_every_course(principal):
        links = links.filter(course__in=courses_viewable_by(principal).values("pk"))
    quiet = Q(last_active_at__lt=now - timedelta(days=INACTIVE_DAYS)) | Q(
        last_active_at__isnull=True
    )
    return links.aggregate(
        requested=Count("pk", filter=Q(join_status=CourseMember.REQUESTED)),
        invited=Count("pk", filter=Q(join_status=CourseMember.INVITED)),
        inactive=Count("pk", filter=Q(join_status=CourseMember.JOINED) & quiet),
    )
