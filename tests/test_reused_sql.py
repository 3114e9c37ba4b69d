"""The rights queries compiled once (dashboards/selectors/reused_sql.py): the reused SQL finds
what the ORM finds, with each call's ids, and a query that takes an id any other way is not
reused."""

import pytest
from django.db.models import Value

from dashboards.access.authentication import Principal
from dashboards.access.predicates import orgs_with_admin_flags
from dashboards.models import Org, OrgRole
from dashboards.selectors.courses import COURSE_WITH_VIEW_FLAGS, course_by_id
from dashboards.selectors.orgs import ORGS_WITH_ADMIN_FLAGS, org_and_ancestors, orgs_for_viewer
from dashboards.selectors.reused_sql import ReusedSql
from tests.factories import make_course, make_member, make_org, make_role, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    container = make_org("Container", org_type=Org.CONTAINER)
    child = make_org("Child", parent=container)
    other = make_org("Other", org_type=Org.CONTAINER)
    admin, outsider = make_user(username="admin"), make_user(username="outsider")
    make_role(admin, container)
    return container, child, other, Principal(user=admin), Principal(user=outsider)


def flags(orgs):
    return {pk: (org.title, org.viewer_id, org.viewer_is_admin) for pk, org in orgs.items()}


def test_each_caller_gets_its_own_rights_from_the_reused_sql(world, django_assert_num_queries):
    container, child, other, admin, outsider = world
    ids = [container.pk, child.pk, other.pk]
    for principal in (admin, outsider, admin):
        orm = orgs_with_admin_flags(Org.objects.filter(pk__in=ids), principal)
        with django_assert_num_queries(1):
            reused = orgs_for_viewer(ids, principal)
        assert flags(reused) == flags({org.pk: org for org in orm})
        assert all(isinstance(org.viewer_is_admin, bool) for org in reused.values())
    assert flags(orgs_for_viewer(ids, admin))[child.pk][2] is True
    assert flags(orgs_for_viewer(ids, outsider))[child.pk][2] is False
    assert flags(orgs_for_viewer(ids, admin))[other.pk][2] is False
    assert any(compiled is not None for compiled in ORGS_WITH_ADMIN_FLAGS.compiled.values())


def test_the_lineage_and_the_course_are_found_with_the_callers_rights(world):
    container, child, other, admin, outsider = world
    assert set(org_and_ancestors(child.pk, admin)) == {container.pk, child.pk}
    assert org_and_ancestors(child.pk, admin)[child.pk].viewer_is_admin is True
    assert org_and_ancestors(child.pk, outsider)[child.pk].viewer_is_admin is False
    assert set(org_and_ancestors(other.pk, admin)) == {other.pk}

    shared = make_course("Shared", container=container, shared_with=[child])
    managed = make_course("Managed", container=other)
    make_member(outsider.user, managed, join_status="manager")
    assert course_by_id(str(shared.pk), principal=admin).viewer_manages is True
    assert course_by_id(str(shared.pk), principal=outsider).viewer_manages is False
    assert course_by_id(str(managed.pk), principal=outsider).viewer_manages is True
    assert course_by_id(str(managed.pk), principal=admin).viewer_manages is False
    assert course_by_id("999999", principal=admin) is None
    assert any(compiled is not None for compiled in COURSE_WITH_VIEW_FLAGS.compiled.values())


def test_a_query_taking_an_id_through_a_lookup_is_not_reused(world):
    container, child, other, admin, outsider = world
    # `contains` makes the id a pattern: the SQL cannot simply take another id.
    titles = ReusedSql(
        Org,
        lambda org_id: Org.objects.filter(path__contains=f"/{org_id}/").annotate(n=Value(1)),
    )
    assert [org.pk for org in titles(child.pk)] == [child.pk]
    assert set(titles.compiled.values()) == {None}
    assert [org.pk for org in titles(other.pk)] == [other.pk]


def test_a_constant_that_looks_like_a_probe_is_not_taken_for_an_id(world):
    container, child, other, admin, outsider = world
    with_minus_one = ReusedSql(Org, lambda org_id: Org.objects.filter(pk__in=[org_id, -1]))
    assert [org.pk for org in with_minus_one(child.pk)] == [child.pk]
    assert set(with_minus_one.compiled.values()) == {None}


def test_a_role_given_after_the_first_compile_counts_at_once(world):
    container, child, other, admin, outsider = world
    assert orgs_for_viewer([other.pk], admin)[other.pk].viewer_is_admin is False
    make_role(admin.user, other, OrgRole.ADMIN)
    assert orgs_for_viewer([other.pk], admin)[other.pk].viewer_is_admin is True
