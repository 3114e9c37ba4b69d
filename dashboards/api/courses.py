"""The course API family (course-users-api.md): DRF conventions, limit/offset pagination,
`{"detail": ...}` errors. Checks run 401 → 404 → 403 → 400."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards.access.authentication import CredentialAuthentication
from dashboards.access.drf import CanViewCourse
from dashboards.api.bodies import listing_response
from dashboards.api.errors import course_exception_handler
from dashboards.api.openapi import COURSE_ERRORS, list_parameter, path_id, text_parameter
from dashboards.filters.course_progress import MAX_DAYS
from dashboards.filters.courses import DEFAULT_LIMIT, JOIN_STATUSES, MAX_LIMIT, ORDERINGS
from dashboards.selectors.courses import course_by_id, course_member, course_stats


class CourseUserSerializer(serializers.Serializer):
    """One member row (a dict from selectors.courses.course_members)."""

    id = serializers.IntegerField(source="user_id")
    username = serializers.CharField(allow_null=True)
    real_name = serializers.CharField()
    avatar = serializers.CharField(allow_null=True)
    join_status = serializers.CharField()
    user_completion_rate = serializers.IntegerField(source="completion_rate")
    last_active_at = serializers.DateTimeField(allow_null=True)
    joined_at = serializers.DateTimeField(allow_null=True)


class CourseUserDetailSerializer(CourseUserSerializer):
    """One member with the enrollment's dates and score (selectors.courses.course_member)."""

    start_date = serializers.DateTimeField(allow_null=True)
    finish_date = serializers.DateTimeField(allow_null=True)
    score = serializers.SerializerMethodField()

    def get_score(self, row) -> float | None:
        # Two decimals, as the org family's member courses give it.
        return None if row["score"] is None else round(row["score"], 2)


class CourseDashboardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    members = serializers.IntegerField()
    managers = serializers.IntegerField()
    invited = serializers.IntegerField()
    requested = serializers.IntegerField()
    avg_completion_rate = serializers.IntegerField()
    completed = serializers.IntegerField()
    active_7d = serializers.IntegerField()
    active_30d = serializers.IntegerField()
    completion_histogram = serializers.ListField(child=serializers.IntegerField())


class CourseView(APIView):
    """A course endpoint: resolve the path's course (404), then check the caller's rights."""

    authentication_classes = [CredentialAuthentication]
    permission_classes = [CanViewCourse]

    def get_exception_handler(self):
        return course_exception_handler

    def get_course(self, course_id):
        course = course_by_id(course_id, principal=self.request.auth)
        if course is None:
            raise NotFound()
        self.check_object_permissions(self.request, course)
        return course


COURSE_ID = path_id("course_id", "The course id.")
PROGRESS_PARAMETERS = [
    OpenApiParameter(
        "completion_min",
        {"type": "integer", "minimum": 0, "maximum": 100},
        description="Keep members whose user_completion_rate is at least this (inclusive).",
    ),
    OpenApiParameter(
        "completion_max",
        {"type": "integer", "minimum": 0, "maximum": 100},
        description="Keep members whose user_completion_rate is at most this (inclusive); "
        "below completion_min is a 400.",
    ),
    OpenApiParameter(
        "active_within",
        {"type": "integer", "minimum": 0, "maximum": MAX_DAYS},
        description="Keep members last active within this many days of now.",
    ),
    OpenApiParameter(
        "inactive_for",
        {"type": "integer", "minimum": 0, "maximum": MAX_DAYS},
        description="Keep members last active more than this many days ago, or never.",
    ),
    OpenApiParameter(
        "never_active",
        {"type": "boolean"},
        description="true: only members never active (null last_active_at); false: only "
        "members active at least once.",
    ),
]
COURSE_MEMBER_PARAMETERS = [
    COURSE_ID,
    OpenApiParameter(
        "limit",
        {"type": "integer", "minimum": 1},
        description=f"Rows per page, 1 or more (above {MAX_LIMIT}: {MAX_LIMIT}); "
        f"default {DEFAULT_LIMIT}.",
    ),
    OpenApiParameter(
        "offset",
        {"type": "integer", "minimum": 0},
        description="Index of the first row; 0.",
    ),
    text_parameter("search", "Terms matched in username and real_name."),
    list_parameter(
        "statuses",
        JOIN_STATUSES,
        "Join statuses, comma-separated. Also read: the parameter repeated "
        "(`statuses=invited&statuses=requested`), the bracket form of axios, jQuery and PHP "
        '(`statuses[]=invited&statuses[]=requested`), a JSON array (`["invited","requested"]`), '
        'and any mix of them. Default ["manager", "joined"].',
    ),
    list_parameter(
        "ordering",
        ORDERINGS,
        "Comma-separated sort keys (repeated, or `ordering[]=…`, too); default -joined_at; "
        "ties by user id; nulls last. real_name sorts normalized names (members without a name "
        "last in both directions); join_status in the order creator, manager, joined, invited, "
        "requested.",
    ),
    *PROGRESS_PARAMETERS,
]


class CourseUsersPageSerializer(serializers.Serializer):
    """The limit/offset page body."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CourseUserSerializer(many=True)


class CourseUsersView(CourseView):
    """GET /api/v2/course/{id}/users/: the course's users with their per-user stats (the
    listing is declared in dashboards/registry/listings.py and given by the route)."""

    listing = None

    @extend_schema(
        parameters=COURSE_MEMBER_PARAMETERS,
        responses={200: CourseUsersPageSerializer, **COURSE_ERRORS},
    )
    def get(self, request, course_id):
        course = self.get_course(course_id)
        listing = self.listing.build(request.query_params, course)
        return listing_response(request, listing, self.listing.body)


class CourseUserView(CourseView):
    """GET /api/v2/course/{id}/users/{userId}/: one member (any status) of the course."""

    @extend_schema(
        operation_id="api_v2_course_user_retrieve",
        parameters=[COURSE_ID, path_id("user_id", "The member's user id.")],
        responses={200: CourseUserDetailSerializer, **COURSE_ERRORS},
    )
    def get(self, request, course_id, user_id):
        course = self.get_course(course_id)
        member = course_member(course, user_id)
        if member is None:
            raise NotFound()
        return Response(CourseUserDetailSerializer(member).data)


class CourseDashboardView(CourseView):
    """GET /api/v2/course/{id}/dashboard/: the course-level stats."""

    @extend_schema(
        parameters=[COURSE_ID], responses={200: CourseDashboardSerializer, **COURSE_ERRORS}
    )
    def get(self, request, course_id):
        course = self.get_course(course_id)
        return Response(CourseDashboardSerializer(course_stats(course)).data)
