"""The org dashboard API family (org-dashboard-api.md): /vfo/… and its /orgs/… aliases.

Checks run 401 → 400 (path org) → 403 → 404 (path user or portal) → 400 (parameters). The
path's orgs are fetched with the caller's admin flag in one query, so a request costs the
credential lookup, that query, a count and a page: four queries whatever the page size.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.views import APIView

from dashboards.access.authentication import CredentialAuthentication
from dashboards.access.drf import CanViewOrg
from dashboards.api.bodies import listing_response
from dashboards.api.errors import bad_request, not_found, vfo_exception_handler
from dashboards.api.openapi import (
    MAX_UNIX_TIME,
    MIN_UNIX_TIME,
    ORG_ERRORS,
    PAGINATION_HEADER,
    list_parameter,
    path_id,
    text_parameter,
)
from dashboards.filters.orgs import DEFAULT_PER_PAGE, MAX_PER_PAGE, ORDERS, SORTS
from dashboards.listings.subjects import OrgMember
from dashboards.models import Org
from dashboards.models.ids import parse_id
from dashboards.models.roles import COURSE_STATUSES, ROLES
from dashboards.selectors.orgs import org_with_member_lookup, orgs_for_viewer

INVALID_VFO_CONTAINER = "Invalid VFO container specified"


def invalid_org_id(org_id):
    return bad_request(f"Invalid org ID specified : '{org_id}'")


@extend_schema_field({"type": "string", "enum": ROLES})
class RoleField(serializers.Field):
    """A role rank (the roster's) as the role's name; exports write the same name."""

    export_words = dict(enumerate(ROLES))

    def to_representation(self, rank):
        return ROLES[rank]


class MemberSerializer(serializers.Serializer):
    """A user entry: a roster row of selectors.orgs (its rank and counts) and its user."""

    id = serializers.IntegerField(source="user_id")
    firstName = serializers.CharField(source="user.first_name", allow_null=True)
    lastName = serializers.CharField(source="user.last_name", allow_null=True)
    fn = serializers.CharField(source="user.fn", allow_null=True)
    fullName = serializers.CharField(source="user.full_name", allow_null=True)
    location = serializers.CharField(source="user.location", allow_null=True)
    longDesc = serializers.CharField(source="user.long_desc", allow_null=True)
    shortDesc = serializers.CharField(source="user.short_desc", allow_null=True)
    username = serializers.CharField(source="user.username", allow_null=True)
    email = serializers.CharField(source="user.email", allow_null=True)
    website = serializers.CharField(source="user.website", allow_null=True)
    enrolledCount = serializers.IntegerField(source="enrolled_count")
    completedCount = serializers.IntegerField(source="completed_count")
    lastSeen = serializers.DateTimeField(source="user.last_seen", allow_null=True)
    role = RoleField(source="rank")
    displayName = serializers.CharField(source="user.display_name")


class MemberCourseSerializer(serializers.Serializer):
    """A user course entry: a CourseMember annotated by selectors.orgs.member_courses."""

    courseId = serializers.IntegerField(source="course_id")
    title = serializers.CharField()
    status = serializers.CharField()
    percentageCompleted = serializers.IntegerField(source="completion_rate")
    startDate = serializers.DateTimeField(source="started_at", allow_null=True)
    finishDate = serializers.DateTimeField(source="finish_date", allow_null=True)
    score = serializers.SerializerMethodField()

    def get_score(self, enrollment) -> float | None:
        return None if enrollment.score is None else round(enrollment.score, 2)


PAGE_PARAMETERS = [
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1},
        description="Page number; default 1.",
    ),
    OpenApiParameter(
        "perPage",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        description=f"Entries per page; default {DEFAULT_PER_PAGE}.",
    ),
]


def unix_time_parameter(name, description):
    return OpenApiParameter(
        name,
        {"type": "integer", "minimum": MIN_UNIX_TIME, "maximum": MAX_UNIX_TIME},
        description=description,
    )


ORG_ID = path_id("org_id", "The org id.")
MEMBER_PARAMETERS = [
    OpenApiParameter(
        "includeAnonymousUsers", bool, description="true or false (any case); default false."
    ),
    list_parameter("role", ROLES, "Roles to include; default all."),
    text_parameter("filter", "Terms, each a substring of a name, username or email."),
    OpenApiParameter(
        "sort",
        str,
        enum=list(SORTS),
        description="With order; default fullName ascending. enrolledCount and completedCount "
        "(beyond the contract) sort by the per-org counts; ties by id.",
    ),
    OpenApiParameter("order", str, enum=ORDERS, description="With sort."),
    unix_time_parameter("since", "Unix seconds: lastSeen ≥ since."),
    unix_time_parameter("until", "Unix seconds: lastSeen < until."),
    OpenApiParameter(
        "neverSeen",
        bool,
        description="true: only members never seen (lastSeen null); false (the default): no "
        "filter. With since or until: 400. Beyond the contract.",
    ),
    *PAGE_PARAMETERS,
]


class VfoView(APIView):
    """A GET endpoint of the family: its credentials, its error body, its order of checks."""

    authentication_classes = [CredentialAuthentication]
    permission_classes = [CanViewOrg]
    http_method_names = ["get", "head"]

    # The listing it answers with (declared in dashboards/registry/listings.py, given by the
    # route).
    listing = None

    def get_exception_handler(self):
        return vfo_exception_handler

    def initial(self, request, *args, **kwargs):
        # The method is the route's business: a POST is a 405 before credentials are looked at.
        if request.method.lower() not in self.http_method_names:
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def orgs(self, *org_ids):
        """The path's orgs by id (absent when unknown), with the caller's rights on each."""
        return orgs_for_viewer(org_ids, self.request.auth)


class OrgMembersView(VfoView):
    """GET /vfo/orgs/{orgId}/dashboard/members: the org's members."""

    @extend_schema(
        parameters=[ORG_ID, *MEMBER_PARAMETERS, PAGINATION_HEADER],
        responses={200: MemberSerializer(many=True), **ORG_ERRORS},
    )
    def get(self, request, org_id):
        org = self.orgs(parse_id(org_id)).get(parse_id(org_id))
        if org is None:
            raise invalid_org_id(org_id)
        self.check_object_permissions(request, org)
        listing = self.listing.build(request.query_params, org)
        return listing_response(request, listing, self.listing.body)


class MemberCoursesView(VfoView):
    """GET /vfo/orgs/{orgId}/dashboard/members/{userId}/courses: a member's courses in the org."""

    @extend_schema(
        parameters=[
            ORG_ID,
            path_id("user_id", "The member's user id."),
            text_parameter("title", "Substring of the course title."),
            list_parameter("status", COURSE_STATUSES, "Statuses to include; default all."),
            *PAGE_PARAMETERS,
            PAGINATION_HEADER,
        ],
        responses={200: MemberCourseSerializer(many=True), **ORG_ERRORS},
    )
    def get(self, request, org_id, user_id):
        org = org_with_member_lookup(parse_id(org_id), parse_id(user_id), request.auth)
        if org is None:
            raise bad_request(INVALID_VFO_CONTAINER)
        self.check_object_permissions(request, org)
        if not org.member_found:
            raise not_found(f"User '{user_id}' not found")
        if not org.member_in_container:
            raise not_found(f"User '{user_id}' not found in container '{org_id}'")
        member = OrgMember(org=org, user_id=parse_id(user_id), member=None)
        listing = self.listing.build(request.query_params, member)
        return listing_response(request, listing, self.listing.body)


class PortalMembersView(VfoView):
    """GET /vfo/container/{orgId}/portal/{portalId}/dashboard/members: a portal's members with
    the container's admins and instructors."""

    @extend_schema(
        parameters=[
            path_id("org_id", "The container's org id."),
            path_id("portal_id", "The portal's org id."),
            *MEMBER_PARAMETERS,
            PAGINATION_HEADER,
        ],
        responses={200: MemberSerializer(many=True), **ORG_ERRORS},
    )
    def get(self, request, org_id, portal_id):
        container_id, portal_id_number = parse_id(org_id), parse_id(portal_id)
        orgs = self.orgs(container_id, portal_id_number)
        container = orgs.get(container_id)
        if container is None:
            raise invalid_org_id(org_id)
        if container.org_type != Org.CONTAINER:
            raise bad_request(INVALID_VFO_CONTAINER)
        portal = orgs.get(portal_id_number)
        if portal is not None and not (
            portal.org_type == Org.PORTAL and portal.container_id == container.pk
        ):
            portal = None
        # Without a portal in this container, rights on the container decide the 403.
        self.check_object_permissions(request, portal or container)
        if portal is None:
            raise not_found(f"Portal '{portal_id}' not found in container '{org_id}'")
        listing = self.listing.build(request.query_params, portal)
        return listing_response(request, listing, self.listing.body)
