"""Two fast paths of every listing against their plain twins, on every declared listing:

- the deferred join (Listing.window_rows: the window's keys found with the filters and the
  order, then the rows read by key) gives the rows of a plain slice of the filtered, ordered
  rows;
- the API bodies from plain rows (api/rows.py: `.values_list()` of the serializer's sources)
  are the serializer's own data over the same rows.
"""

import pytest
from django.http import QueryDict

from dashboards.access.authentication import Principal
from dashboards.api.rows import plain_data, plain_fields
from dashboards.listings.subjects import OrgMember
from dashboards.registry.listings import (
    COURSE_MEMBERS,
    COURSES,
    MEMBER_COURSES,
    ORG_MEMBERS,
    PORTAL_MEMBERS,
)

pytestmark = pytest.mark.django_db

# Per listing: its subject in the org world, and parameters that page, sort and filter it.
QUERIES = {
    COURSES.name: ["", "limit=2", "limit=2&offset=2", "ordering=-members&limit=3", "search=o"],
    COURSE_MEMBERS.name: [
        "",
        "limit=1&offset=1",
        "statuses=joined,invited&ordering=-real_name",
        "ordering=join_status,-joined_at&limit=2",
        "ordering=user_completion_rate&offset=1",
    ],
    ORG_MEMBERS.name: [
        "",
        "perPage=2&page=2",
        "sort=lastSeen&order=descending&perPage=3",
        "sort=role&order=ascending&includeAnonymousUsers=true",
        "role=org-learner,instructor&perPage=1&page=3",
        "sort=enrolledCount&order=descending",
    ],
    PORTAL_MEMBERS.name: ["", "perPage=1&page=2", "sort=role&order=descending"],
    MEMBER_COURSES.name: ["", "perPage=1&page=2", "status=completed,started"],
}


def subjects(w):
    return {
        COURSES.name: Principal(user=w.superuser),
        COURSE_MEMBERS.name: w.both,
        ORG_MEMBERS.name: w.sales,
        PORTAL_MEMBERS.name: w.academy,
        MEMBER_COURSES.name: OrgMember(org=w.sales, user_id=w.course_learner.pk, member=None),
    }


def listings(w):
    for declaration in (COURSES, COURSE_MEMBERS, ORG_MEMBERS, PORTAL_MEMBERS, MEMBER_COURSES):
        for query in QUERIES[declaration.name]:
            listing = declaration.build(QueryDict(query), subjects(w)[declaration.name])
            assert listing.is_valid, (declaration.name, query, listing.errors)
            yield declaration, query, listing


def test_the_deferred_join_gives_the_plain_slices_rows(org_world):
    for declaration, query, listing in listings(org_world):
        start, size = listing.window.start, listing.window.size
        plain = list(listing.read(listing.filterset.qs)[start : start + size])
        assert listing.rows == plain, (declaration.name, query)
        assert plain or start >= listing.count, (declaration.name, query)


def test_bodies_from_plain_rows_are_the_serializers_data(org_world):
    checked = 0
    for declaration, query, listing in listings(org_world):
        fields = plain_fields(declaration.body) if declaration.body else None
        if fields is None:
            continue
        rows = listing.window_rows()
        lookups = [lookup for _, lookup, _ in fields]
        plain = plain_data(fields, [] if rows is None else rows.values_list(*lookups))
        assert plain == declaration.body(listing.rows, many=True).data, (declaration.name, query)
        checked += 1
    assert checked >= 10  # the org and course members' bodies, every query
