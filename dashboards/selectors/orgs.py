"""Read queries of the org dashboard: members of an org or a portal, a member's courses.

Every per-row figure (role, enrolled and completed counts, course status) is computed by the
database, so a page of rows costs one query whatever its size. An org's listing is its roster
(OrgMember rows, kept in step by dashboards/roster/triggers.py, each with its user): sorted,
filtered and counted within the roster's indexes, and counted from its tally when it can be.
"""

from django.db.models import (
    Case,
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

from dashboards.access.predicates import orgs_with_admin_flags
from dashboards.models import (
    CourseMember,
    CourseShare,
    Org,
    OrgMember,
    OrgMemberTally,
    OrgRole,
    User,
)
from dashboards.models.ids import MAX_ID
from dashboards.models.roles import COMPLETED, IN_PROGRESS, STARTED


def orgs_for_viewer(org_ids, principal, *, queryset=None):
    """The orgs among org_ids, by id, each carrying the principal's admin flag (one query)."""
    ids = [org_id for org_id in org_ids if org_id is not None and 0 <= org_id <= MAX_ID]
    if not ids:
        return {}
    orgs = (queryset if queryset is not None else Org.objects).filter(pk__in=ids)
    return {org.pk: org for org in orgs_with_admin_flags(orgs, principal)}


def org_and_ancestors(org_id, principal):
    """The org with this id and every org above it, by id, each carrying the principal's admin
    flag (one query: the orgs whose path is a prefix of the org's); {} for an unknown id."""
    if org_id is None or not 0 <= org_id <= MAX_ID:
        return {}
    org_path = Subquery(Org.objects.filter(pk=org_id).values("path")[:1])
    lineage = Org.objects.filter(StartsWith(org_path, F("path")))
    return {org.pk: org for org in orgs_with_admin_flags(lineage, principal)}


def org_with_member_lookup(org_id, user_id, principal):
    """The org (or None) with the principal's admin flag and, about user_id, `member_found`
    (the user exists) and `member_in_container` (a role on an org of the org's container tree
    or a link of any join status to a course of that container); one query in all."""
    if user_id is None or not 0 <= user_id <= MAX_ID:
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
    return orgs_for_viewer([org_id], principal, queryset=orgs).get(org_id)


def _joined_in_courses_shared_with(org):
    return CourseMember.objects.filter(
        join_status=CourseMember.JOINED,
        course__in=CourseShare.objects.filter(org=org).values("course_id"),
    )


def org_members(org):
    """The members of org (org-dashboard-api.md), unordered and unfiltered: its roster rows,
    each with its user and `rank` (the role rank in this listing)."""
    members = OrgMember.objects.filter(org=org, role_rank__isnull=False)
    return members.annotate(rank=F("role_rank")).select_related("user")


def portal_members(portal):
    """The members of portal plus its container's admins and instructors, counted against
    the portal's shared courses (a portal's roster holds both), as org_members."""
    members = OrgMember.objects.filter(org=portal)
    return members.annotate(rank=F("portal_rank")).select_related("user")


def listed_member(org, user_id):
    """The user as a row of org's member listing (a portal's: portal_members), or None: a
    member page shows no one else. The user carries the row as `listing_row` (its rank and
    counts in this org)."""
    members = portal_members(org) if org.org_type == Org.PORTAL else org_members(org)
    row = members.filter(user_id=user_id).first()
    if row is None:
        return None
    row.user.listing_row = row
    return row.user


def member_tally(org, *, portal=False):
    """The tally of org's listing (its member listing, or with portal its portal listing):
    rows of (rank, anonymous, members) that OrgMemberFilterSet sums for a count."""
    tally = OrgMemberTally.objects.filter(org=org)
    if portal:
        return tally.annotate(rank=F("portal_rank"))
    return tally.exclude(role_key=OrgMemberTally.NOT_A_MEMBER).annotate(rank=F("role_key"))


def member_courses(org, user_id):
    """The enrollments of the user in courses shared with org, with title, status and start."""
    return (
        _joined_in_courses_shared_with(org)
        .filter(user_id=user_id)
        .annotate(
            title=F("course__title"),
            course_container_id=F("course__container_id"),
            status=Case(
                When(finish_date__isnull=False, then=Value(COMPLETED)),
                When(completion_rate__gt=0, then=Value(IN_PROGRESS)),
                default=Value(STARTED),
            ),
            started_at=Coalesce("start_date", "joined_at"),
        )
    )


def member_count_of_outer_org():
    """The outer org's member count, anonymous users left out as in the default listing: a
    sum over its tally. A portal's is the count of its portal listing (the page its link
    opens), which also lists the container's admins and instructors."""
    tally = OrgMemberTally.objects.filter(org=OuterRef("pk"), anonymous=False).order_by()
    tally = tally.filter(~Q(role_key=OrgMemberTally.NOT_A_MEMBER) | Q(org__org_type=Org.PORTAL))
    members = tally.annotate(
        n=Func(F("members"), function="SUM", output_field=IntegerField())
    ).values("n")
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def child_orgs(org):
    """The orgs right below org, by title, each with its member_count (one query)."""
    return list(
        Org.objects.filter(parent=org)
        .annotate(member_count=member_count_of_outer_org())
        .order_by("title", "pk")
    )


def org_forest(orgs):
    """The given orgs and every org below them, as nested nodes {"org", "children"} (one query),
    each org with its member_count (the count its link opens on).

    An org below another of the given orgs appears once, under it.
    """
    paths = [org.path for org in orgs]
    if not paths:
        return []
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    nodes, roots = {}, []
    forest = Org.objects.filter(within).annotate(member_count=member_count_of_outer_org())
    for org in forest.order_by("path"):
        node = nodes[org.pk] = {"org": org, "children": []}
        parent = nodes.get(org.parent_id)
        (parent["children"] if parent else roots).append(node)
    for node in nodes.values():
        node["children"].sort(key=lambda child: (child["org"].title, child["org"].pk))
    return roots
