"""Read queries of the org dashboard: members of an org or a portal, a member's courses.

Every per-row figure (role, enrolled and completed counts, course status) is an annotation
computed by the database, so a page of rows costs one query whatever its size, and the
member set is a pair of `IN (subquery)` tests rather than a UNION, so it can be sorted,
filtered and counted as one queryset of users.
"""

import re

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith

from dashboards.models import CourseMember, CourseShare, Org, OrgRole, User
from dashboards.permissions import orgs_with_admin_flags

ADMIN, INSTRUCTOR, ORG_LEARNER, COURSE_LEARNER = (
    "admin",
    "instructor",
    "org-learner",
    "course-learner",
)
# A member's role is the first of these that applies; its index is the role's rank.
ROLES = [ADMIN, INSTRUCTOR, ORG_LEARNER, COURSE_LEARNER]

STARTED, IN_PROGRESS, COMPLETED = "started", "in-progress", "completed"
COURSE_STATUSES = [STARTED, IN_PROGRESS, COMPLETED]

_ID = re.compile(r"[0-9]+")
_MAX_ID = 2**63 - 1


def parse_id(value):
    """The integer of a path id, or None when it is not a plain non-negative integer that fits
    a database key."""
    value = str(value)
    if not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if number <= _MAX_ID else None


def orgs_for_viewer(org_ids, principal, *, queryset=None):
    """The orgs among org_ids, by id, each carrying the principal's admin flag (one query)."""
    ids = [org_id for org_id in org_ids if org_id is not None and 0 <= org_id <= _MAX_ID]
    if not ids:
        return {}
    orgs = (queryset if queryset is not None else Org.objects).filter(pk__in=ids)
    return {org.pk: org for org in orgs_with_admin_flags(orgs, principal)}


def org_and_ancestors(org_id, principal, *, queryset=None):
    """The org with this id and every org above it, by id, each carrying the principal's admin
    flag (one query: the orgs whose path is a prefix of the org's); {} for an unknown id."""
    if org_id is None or not 0 <= org_id <= _MAX_ID:
        return {}
    org_path = Subquery(Org.objects.filter(pk=org_id).values("path")[:1])
    orgs = (queryset if queryset is not None else Org.objects).filter(
        StartsWith(org_path, F("path"))
    )
    return {org.pk: org for org in orgs_with_admin_flags(orgs, principal)}


def org_with_member_lookup(org_id, user_id, principal, *, with_ancestors=False):
    """The org (or None) with the principal's admin flag and, about user_id, `member_found`
    (the user exists) and `member_in_container` (a role on an org of the org's container tree
    or a link of any join status to a course of that container); one query in all. With
    with_ancestors, the org's `lineage` holds it and the orgs above it (org_and_ancestors)."""
    if user_id is None or not 0 <= user_id <= _MAX_ID:
        found = in_container = Value(False)
    else:
        found = Exists(User.objects.filter(pk=user_id))
        in_container = Exists(
            OrgRole.objects.filter(user_id=user_id, org__container_id=OuterRef("container_id"))
        ) | Exists(
            CourseMember.objects.filter(user_id=user_id).filter(
                Q(course__container_id=OuterRef("container_id"))
                | Q(course__shares__org__container_id=OuterRef("container_id"))
            )
        )
    orgs = Org.objects.annotate(member_found=found, member_in_container=in_container)
    if not with_ancestors:
        return orgs_for_viewer([org_id], principal, queryset=orgs).get(org_id)
    lineage = org_and_ancestors(org_id, principal, queryset=orgs)
    org = lineage.get(org_id)
    if org is not None:
        org.lineage = lineage
    return org


def _joined_in_courses_shared_with(org):
    return CourseMember.objects.filter(
        join_status=CourseMember.JOINED,
        course__in=CourseShare.objects.filter(org=org).values("course_id"),
    )


def _has_role(user_ref, orgs, roles):
    return Exists(OrgRole.objects.filter(user=user_ref, org__in=orgs, role__in=roles))


def _count_of(queryset):
    """A correlated COUNT(*) of queryset's rows for the outer user; 0 when there are none."""
    counted = queryset.filter(user=OuterRef("pk")).order_by().values("user")
    return Coalesce(
        Subquery(counted.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        0,
    )


def _members(org, *, staff_org=None):
    """Users with a direct role on org, or joined in a course shared with it; with staff_org,
    also its admins and instructors. Annotated with role_rank and the counts against org."""
    # One IN over a UNION, not IN … OR IN …: PostgreSQL turns the UNION into a hash join,
    # where OR'd IN tests become per-row subplans once a member list outgrows work_mem.
    member_ids = [
        OrgRole.objects.filter(org=org).values("user_id"),
        _joined_in_courses_shared_with(org).values("user_id"),
    ]
    staff_orgs = [org]
    if staff_org is not None:
        member_ids.append(
            OrgRole.objects.filter(
                org=staff_org, role__in=[OrgRole.ADMIN, OrgRole.INSTRUCTOR]
            ).values("user_id")
        )
        staff_orgs.append(staff_org)
    member = Q(pk__in=member_ids[0].union(*member_ids[1:]))
    user = OuterRef("pk")
    enrolled = _joined_in_courses_shared_with(org)
    return User.objects.filter(member).annotate(
        role_rank=Case(
            When(_has_role(user, staff_orgs, [OrgRole.ADMIN]), then=Value(0)),
            When(_has_role(user, staff_orgs, [OrgRole.INSTRUCTOR]), then=Value(1)),
            When(_has_role(user, [org], [OrgRole.LEARNER]), then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        enrolled_count=_count_of(enrolled),
        completed_count=_count_of(enrolled.filter(finish_date__isnull=False)),
    )


def org_members(org):
    """The members of org (org-dashboard-api.md), unordered and unfiltered."""
    return _members(org)


def portal_members(portal, container):
    """The members of portal plus the container's admins and instructors, counted against
    the portal's shared courses."""
    return _members(portal, staff_org=container)


def member_courses(org, user_id):
    """The enrollments of the user in courses shared with org, with title, status and start."""
    return (
        _joined_in_courses_shared_with(org)
        .filter(user_id=user_id)
        .annotate(
            title=F("course__title"),
            status=Case(
                When(finish_date__isnull=False, then=Value(COMPLETED)),
                When(completion_rate__gt=0, then=Value(IN_PROGRESS)),
                default=Value(STARTED),
            ),
            started_at=Coalesce("start_date", "joined_at"),
        )
    )


def _member_count_of_outer_org():
    """COUNT of the outer org's members (anonymous users left out, as the default listing)."""
    org = OuterRef(OuterRef("pk"))
    shared = CourseShare.objects.filter(org=OuterRef(OuterRef(OuterRef("pk")))).values("course_id")
    members = (
        User.objects.filter(
            Q(pk__in=OrgRole.objects.filter(org=org).values("user_id"))
            | Q(
                pk__in=CourseMember.objects.filter(
                    join_status=CourseMember.JOINED, course__in=shared
                ).values("user_id")
            )
        )
        .exclude(email__isnull=True, username__isnull=True, real_name="")
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n")
    )
    return Subquery(members, output_field=IntegerField())


def child_orgs(org):
    """The orgs right below org, by title, each with its member_count (one query)."""
    return (
        Org.objects.filter(parent=org)
        .annotate(member_count=_member_count_of_outer_org())
        .order_by("title", "pk")
    )


def org_forest(orgs):
    """The given orgs and every org below them, as nested nodes {"org", "children"} (one query).

    An org below another of the given orgs appears once, under it.
    """
    paths = [org.path for org in orgs]
    if not paths:
        return []
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    nodes, roots = {}, []
    for org in Org.objects.filter(within).order_by("path"):
        node = nodes[org.pk] = {"org": org, "children": []}
        parent = nodes.get(org.parent_id)
        (parent["children"] if parent else roots).append(node)
    for node in nodes.values():
        node["children"].sort(key=lambda child: (child["org"].title, child["org"].pk))
    return roots
