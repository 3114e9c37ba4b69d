"""An export's rows (PostgreSQL's COPY, else a cursor) are the ORM's values, types included."""

import pytest
from django.http import QueryDict

from dashboards.exports.copy_out import copied_rows, copies, export_rows
from dashboards.models import OrgMember, OrgRole
from dashboards.registry.listings import COURSE_MEMBERS, ORG_MEMBERS
from tests.factories import make_member, make_role, make_user
from tests.worlds import ago

pytestmark = pytest.mark.django_db

ORG_FIELDS = ["user_id", "user__display_name", "user__email", "rank", "enrolled_count"]
COURSE_FIELDS = ["user_id", "real_name", "join_status", "completion_rate", "joined_at"]


def same(rows, expected):
    rows, expected = list(rows), list(expected)
    assert rows == expected
    assert [list(map(type, row)) for row in rows] == [list(map(type, row)) for row in expected]


def test_org_member_rows_are_the_orms(org_world):
    seen = make_user(username="tab\tand\\slash", last_seen=ago(days=1, microseconds=5))
    make_role(seen, org_world.sales, OrgRole.LEARNER)
    listing = ORG_MEMBERS.build(QueryDict("sort=lastSeen"), org_world.sales, whole=True)
    fields = [*ORG_FIELDS, "user__last_seen"]
    expected = listing.export_queryset().values_list(*fields)
    same(export_rows(listing, fields), expected)


def test_course_member_rows_are_the_orms(org_world):
    make_member(make_user(full_name="line\nbreak"), org_world.both, joined_at=ago(hours=3))
    listing = COURSE_MEMBERS.build(QueryDict(), org_world.both, whole=True)
    same(
        export_rows(listing, COURSE_FIELDS),
        listing.export_queryset().values_list(*COURSE_FIELDS),
    )


def test_no_rows(org_world):
    listing = ORG_MEMBERS.build(QueryDict("filter=nobody-at-all"), org_world.sales, whole=True)
    assert list(export_rows(listing, ORG_FIELDS)) == []


def test_a_query_that_can_match_nothing_copies_nothing(org_world):
    if not copies(OrgMember.objects.all()):
        pytest.skip("COPY is PostgreSQL's")
    listing = ORG_MEMBERS.build(QueryDict(), org_world.sales, whole=True)
    rows = listing.export_queryset().filter(user_id__in=[]).values_list("user_id")
    assert list(copied_rows(rows, ["int8"])) == []
