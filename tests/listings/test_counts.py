"""Every listing's count is the number of its rows, for every filter of its FilterSet.

The filters are found by introspection (`FilterSet.base_filters`): a filter added later gets
its cases here, and fails until EXAMPLES gives it values that change the rows of the world
(build_world). Each value is checked alone and with the filters the listing's tally answers
(TALLIED: the org listings' role and includeAnonymousUsers), so a filter the tally cannot
answer must make the listing count its rows (ParameterFilterSet.filtered_tally), or the
count and the pager are wrong.
"""

from itertools import product
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from dashboards.access.authentication import Principal
from dashboards.filters.params import unix_seconds
from dashboards.listings.subjects import OrgMember
from dashboards.models import CourseMember, OrgRole
from dashboards.registry.listings import LISTINGS as DECLARED
from tests.factories import make_course, make_member, make_org, make_role, make_user

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def ago(**delta):
    return NOW - timezone.timedelta(**delta)


def at(**delta):
    """A unix time parameter (since, until)."""
    return str(unix_seconds(ago(**delta)))


# Every declared listing (dashboards/registry/) → its subject in the world.
SUBJECTS = {
    "courses": lambda w: Principal(user=w.root),
    "course-members": lambda w: w.python,
    "org-members": lambda w: w.sales,
    "portal-members": lambda w: w.academy,
    "member-courses": lambda w: OrgMember(org=w.sales, user_id=w.cal.pk, member=None),
}
DECLARATIONS = {declaration.name: declaration for declaration in DECLARED}
LISTINGS = {
    name: (lambda params, w, name=name: DECLARATIONS[name].build(params, SUBJECTS[name](w)))
    for name in SUBJECTS
}
FILTERSETS = {name: declaration.filterset for name, declaration in DECLARATIONS.items()}

ORG_MEMBER_EXAMPLES = {
    "includeAnonymousUsers": ["true", "false"],
    "role": ["admin", "instructor,course-learner", "org-learner"],
    "filter": ["learner", "lou", "por", "nobody", "  "],
    "since": [at(days=5), at(days=0)],
    "until": [at(days=5), at(days=400)],
    "neverSeen": ["true", "false"],
}
# Listing → parameter name → example values (each valid, alone and with the tallied ones).
EXAMPLES = {
    "courses": {
        "search": ["python", "intro stat", "nothing"],
        "ordering": ["-title", "-members", "last_activity"],
    },
    "course-members": {
        "search": ["cal", "learner", "nobody"],
        "statuses": ["invited", "joined,requested", "creator,manager,joined,invited,requested"],
        "ordering": ["real_name", "-user_completion_rate", "join_status"],
        "completion_min": ["50", "0"],
        "completion_max": ["40", "100"],
        "active_within": ["7", "0"],
        "inactive_for": ["7"],
        "never_active": ["true", "false"],
    },
    "org-members": ORG_MEMBER_EXAMPLES,
    "portal-members": ORG_MEMBER_EXAMPLES,
    "member-courses": {
        "title": ["python", "avancee", "nothing"],
        "status": ["completed", "in-progress,started"],
    },
}


def build_world():
    """A container with a base org (sales) and a portal (academy), their members of every
    role, seen or not, named or anonymous, and courses with members of every status."""
    w = SimpleNamespace()
    w.acme = make_org("Acme")
    w.sales = make_org("Sales", parent=w.acme)
    w.academy = make_org("Academy", parent=w.acme, org_type="portal")
    w.root = make_user(username="root", is_superuser=True, is_staff=True)

    def person(username, role=None, org=None, **fields):
        user = make_user(username=username, **fields)
        if role is not None:
            make_role(user, org, role)
        return user

    # The members of sales: every role, seen at different times or never, two anonymous.
    w.ada = person("ada", OrgRole.ADMIN, w.sales, full_name="Ada Admin", last_seen=ago(days=1))
    w.ian = person("ian", OrgRole.INSTRUCTOR, w.sales, fn="Ian Instructor", last_seen=ago(days=9))
    w.lea = person("lea", OrgRole.LEARNER, w.sales, first_name="Léa", last_name="Learner")
    w.lou = person("lou", OrgRole.LEARNER, w.sales, full_name="Lou Learner", last_seen=ago(days=3))
    w.cal = person("cal", full_name="Cal Course", last_seen=ago(days=30))
    w.anonymous = person(None, OrgRole.LEARNER, w.sales, email=None, last_seen=ago(days=2))
    w.anonymous_learner = person(None, email=None)
    # The portal's people: its own learners, and the container's admins and instructors.
    w.pia = person(
        "pia", OrgRole.LEARNER, w.academy, full_name="Pia Portal", last_seen=ago(hours=1)
    )
    w.pat = person("pat", OrgRole.LEARNER, w.academy, full_name="Pat Portal")
    w.portal_anonymous = person(None, OrgRole.LEARNER, w.academy, email=None)
    w.cora = person("cora", OrgRole.ADMIN, w.acme, full_name="Cora Acme", last_seen=ago(days=20))
    w.carl = person("carl", OrgRole.INSTRUCTOR, w.acme, full_name="Carl Acme")

    # Courses shared with sales (cal's: completed, in progress, started) and the portal's.
    w.python = make_course("Python basics", container=w.acme, shared_with=[w.sales])
    w.negotiation = make_course("Négociation avancée", container=w.acme, shared_with=[w.sales])
    w.statistics = make_course("Intro to statistics", container=w.acme, shared_with=[w.sales])
    w.portal_course = make_course("Academy 101", container=w.acme, shared_with=[w.academy])
    make_member(
        w.cal, w.python, finish_date=ago(days=2), completion_rate=100, joined_at=ago(days=40)
    )
    make_member(w.cal, w.negotiation, completion_rate=40, start_date=ago(days=10))
    make_member(w.cal, w.statistics, joined_at=ago(days=5))
    make_member(w.anonymous_learner, w.statistics)
    make_member(w.pia, w.portal_course, completion_rate=60, last_active_at=ago(hours=2))
    make_member(w.portal_anonymous, w.portal_course)

    # The members of Python basics: every join status, completion and activity.
    members = [
        (w.ada, CourseMember.CREATOR, 0, ago(days=1)),
        (w.ian, CourseMember.MANAGER, 10, ago(days=12)),
        (w.lou, CourseMember.JOINED, 55, ago(days=3)),
        (w.lea, CourseMember.JOINED, 20, None),
        (w.anonymous, CourseMember.JOINED, 0, ago(days=60)),
        (w.pia, CourseMember.INVITED, 0, None),
        (w.pat, CourseMember.REQUESTED, 0, None),
    ]
    for user, status, rate, active in members:
        make_member(user, w.python, status, completion_rate=rate, last_active_at=active)
    CourseMember.objects.filter(user=w.cal, course=w.python).update(last_active_at=ago(days=2))
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """build_world, once for the module, whose tests only read it (rolled back after)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def listing_of(kind, world, params):
    listing = LISTINGS[kind](QueryDict(urlencode(params, doseq=True)), world)
    assert listing.is_valid, (kind, params, listing.errors)
    return listing


def rows(listing):
    """The listing's rows (every matching one, in order), as comparable keys."""
    return [
        row["user_id"] if isinstance(row, dict) else row.pk for row in listing.export_queryset()
    ]


def tallied_combinations(kind, leaving_out=None):
    """Every combination of the example values of the filters the listing's tally answers
    (TALLIED; none of a filter is one choice), but for `leaving_out`: [{}] without a tally."""
    names = [name for name in FILTERSETS[kind].TALLIED if name != leaving_out]
    choices = [[None, *EXAMPLES[kind][name]] for name in names]
    return [
        {name: value for name, value in zip(names, values, strict=True) if value is not None}
        for values in product(*choices)
    ]


FILTERS = [
    (kind, name) for kind, filterset in FILTERSETS.items() for name in filterset.base_filters
]


def test_every_listing_is_checked():
    assert set(DECLARATIONS) == set(SUBJECTS)


@pytest.mark.parametrize("kind", LISTINGS)
def test_every_filter_has_example_values(kind):
    filters = set(FILTERSETS[kind].base_filters)
    missing = filters - set(EXAMPLES[kind])
    assert not missing, f"{kind}: give EXAMPLES example values of {sorted(missing)}"
    assert set(EXAMPLES[kind]) <= filters, f"{kind}: examples of no filter"
    assert all(EXAMPLES[kind].values())
    assert set(FILTERSETS[kind].TALLIED) <= filters


@pytest.mark.parametrize(("kind", "name"), FILTERS)
def test_the_filter_changes_the_rows(world, kind, name):
    """The world gives the filter something to do: some example value changes the rows (which
    rows, or their order), so its count below is no count of the unfiltered rows."""
    unfiltered = rows(listing_of(kind, world, {}))
    assert unfiltered, f"{kind}: no rows"
    changed = [
        value
        for value in EXAMPLES[kind].get(name, [])
        if rows(listing_of(kind, world, {name: value})) != unfiltered
    ]
    assert changed, f"{kind}: no example value of {name} changes the rows"


@pytest.mark.parametrize(("kind", "name"), FILTERS)
def test_the_count_is_the_number_of_rows(world, kind, name):
    """For each example value of the filter, alone and with every combination of the tallied
    filters' values: the count (summed from the tally when the FilterSet says it can) is the
    number of rows."""
    assert name in EXAMPLES[kind], f"{kind}: no example values of {name}"
    for value in EXAMPLES[kind][name]:
        for tallied in tallied_combinations(kind, leaving_out=name):
            params = {**tallied, name: value}
            listing = listing_of(kind, world, params)
            assert listing.count == len(rows(listing)), (kind, params)


@pytest.mark.parametrize("kind", LISTINGS)
def test_the_tally_counts_when_only_tallied_filters_are_given(world, kind):
    """The check above is no empty one: a listing with a tally is counted by it for the tallied
    filters alone (and its count is still the number of rows)."""
    for params in tallied_combinations(kind):
        listing = listing_of(kind, world, params)
        if listing.tally is not None:
            assert listing.filterset.filtered_tally(listing.tally) is not None, (kind, params)
        assert listing.count == len(rows(listing)), (kind, params)
