"""The test world's builders (conftest.py serves them as fixtures): one org tree, and on it the
people, courses and keys each family of tests was written against.

acme (container)
├── sales ── sales_east
├── support
└── academy (portal; only where a portal is wanted)
globex (container)

The org dashboard tests see the tree with short titles ("Sales"); the course tests and the
model tests see it with the company's name ("Acme Sales"). Each build is exactly the data its
tests were written for: changing a row changes what a contract rule is checked against.
Beside the tree, the smallest world (build_admin_world): one org, its admin and his course, for
the checks that need one caller with every right.
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from dashboards.models import CourseMember, Credential, OrgRole
from tests.factories import (
    make_course,
    make_credential,
    make_member,
    make_org,
    make_role,
    make_user,
)

NOW = timezone.now().replace(microsecond=0)


def ago(**delta):
    return NOW - timezone.timedelta(**delta)


def build_org_tree(*, prefix="", portal=True):
    """The tree above, in this creation order; `prefix` goes before every title below Acme."""
    tree = {"acme": make_org("Acme")}
    tree["sales"] = make_org(f"{prefix}Sales", parent=tree["acme"])
    tree["sales_east"] = make_org(f"{prefix}Sales East", parent=tree["sales"])
    tree["support"] = make_org(f"{prefix}Support", parent=tree["acme"])
    if portal:
        tree["academy"] = make_org(f"{prefix}Academy", parent=tree["acme"], org_type="portal")
    tree["globex"] = make_org("Globex")
    return tree


# The smallest world: one org, its admin and a course he manages -----------------------------

ADMIN_PASSWORD = "correct horse battery staple"


def build_admin_world():
    """Acme, its admin "boss" (who logs in with ADMIN_PASSWORD and holds a token key) and the
    course "Chemistry" he manages, as a dict: one caller who may read every endpoint."""
    acme = make_org("Acme")
    admin = make_user(username="boss", password=ADMIN_PASSWORD)
    make_role(admin, acme, OrgRole.ADMIN)
    course = make_course("Chemistry", container=acme)
    make_member(admin, course, CourseMember.MANAGER)
    _, key = make_credential(Credential.TOKEN, user=admin)
    return {"acme": acme, "admin": admin, "course": course, "key": key}


def admin_api_urls(w):
    """Every API endpoint of both families, on the admin world, by name."""
    return {
        "course users": f"/api/v2/course/{w['course'].pk}/users/",
        "course dashboard": f"/api/v2/course/{w['course'].pk}/dashboard/",
        "org members": f"/vfo/orgs/{w['acme'].pk}/dashboard/members",
        "org members alias": f"/orgs/orgs/{w['acme'].pk}/dashboard/members",
        "member courses": f"/vfo/orgs/{w['acme'].pk}/dashboard/members/{w['admin'].pk}/courses",
    }


# The org dashboard world ------------------------------------------------------------------

# The people of the org world who hold a token (w.keys[name]).
TOKEN_HOLDERS = (
    "superuser",
    "acme_admin",
    "sales_admin",
    "east_admin",
    "support_admin",
    "globex_admin",
    "instructor",
    "learner",
)


def build_org_world():
    """The orgs, people, courses and keys of the org dashboard tests, as attributes."""
    w = SimpleNamespace(**build_org_tree())

    # People whose rights are tested.
    w.superuser = make_user(username="root", is_superuser=True, is_staff=True)
    w.acme_admin = make_user(username="acme-admin", first_name="Ada", last_name="Acme")
    w.sales_admin = make_user(username="sales-admin", full_name="Sam Sales", last_seen=ago(days=1))
    w.east_admin = make_user(username="east-admin", fn="Eve East")
    w.support_admin = make_user(username="support-admin", first_name="Sue")
    w.globex_admin = make_user(username="globex-admin", last_name="Globe")
    make_role(w.acme_admin, w.acme)
    make_role(w.sales_admin, w.sales)
    make_role(w.east_admin, w.sales_east)
    make_role(w.support_admin, w.support)
    make_role(w.globex_admin, w.globex)

    # Members of sales, one per role.
    w.instructor = make_user(
        username="ivy", first_name="Ivy", last_name="Instructor", last_seen=ago(days=3)
    )
    w.learner = make_user(username="leo", full_name="Léo Learner", last_seen=ago(days=2))
    w.course_learner = make_user(
        username="carl", email="carl@example.org", first_name="Carl", last_seen=ago(days=5)
    )
    w.admin_joined = make_user(username="amy", full_name="Émile Admin")  # never seen
    w.anonymous = make_user(username=None, email=None)
    make_role(w.instructor, w.sales, OrgRole.INSTRUCTOR)
    make_role(w.instructor, w.sales, OrgRole.LEARNER)
    make_role(w.learner, w.sales, OrgRole.LEARNER)
    make_role(w.admin_joined, w.sales, OrgRole.ADMIN)
    make_role(w.anonymous, w.sales, OrgRole.LEARNER)

    # Courses: sharing does not cascade, so only sales_* and both count for sales.
    w.both = make_course("Python basics", container=w.acme, shared_with=[w.sales, w.support])
    w.sales_only = make_course("Négociation", container=w.acme, shared_with=[w.sales])
    w.support_only = make_course("Support tools", container=w.acme, shared_with=[w.support])
    w.acme_only = make_course("Company intro", container=w.acme, shared_with=[w.acme])
    w.academy_course = make_course("Academy 101", container=w.acme, shared_with=[w.academy])
    w.globex_course = make_course("Globex onboarding", container=w.globex, shared_with=[w.globex])

    make_member(
        w.course_learner,
        w.both,
        start_date=ago(days=30),
        finish_date=ago(days=10),
        completion_rate=100,
        score=0.876,
    )
    make_member(w.course_learner, w.sales_only, joined_at=ago(days=20), completion_rate=40)
    make_member(w.course_learner, w.support_only, finish_date=ago(days=1))
    make_member(w.course_learner, w.acme_only)
    make_member(w.admin_joined, w.both, finish_date=ago(days=2))
    make_member(w.learner, w.sales_only, join_status=CourseMember.INVITED)
    w.outsider = make_user(username="otto", first_name="Otto")  # invited only: not a member
    make_member(w.outsider, w.both, join_status=CourseMember.INVITED)
    w.stranger = make_user(username="stranger")  # no link to acme at all
    make_member(w.stranger, w.globex_course)

    # Portal people.
    w.portal_learner = make_user(username="pat", first_name="Pat", last_seen=ago(hours=1))
    make_role(w.portal_learner, w.academy, OrgRole.LEARNER)
    make_member(w.portal_learner, w.academy_course, finish_date=ago(days=1))
    w.container_instructor = make_user(username="connie", full_name="Connie Container")
    make_role(w.container_instructor, w.acme, OrgRole.INSTRUCTOR)
    w.container_learner = make_user(username="clara", full_name="Clara")  # not a portal member
    make_role(w.container_learner, w.acme, OrgRole.LEARNER)

    # Keys.
    _, w.partner_key = make_credential(Credential.PARTNER)
    w.keys = {}
    for name in TOKEN_HOLDERS:
        _, w.keys[name] = make_credential(Credential.TOKEN, user=getattr(w, name))
    _, w.bound_elsewhere_key = make_credential(
        Credential.SESSION, user=w.acme_admin, container=w.globex, last_used_at=NOW
    )
    _, w.bound_here_key = make_credential(
        Credential.SESSION, user=w.acme_admin, container=w.acme, last_used_at=NOW
    )
    _, w.expired_key = make_credential(
        Credential.TOKEN, user=w.acme_admin, expires_at=ago(seconds=1)
    )
    _, w.revoked_key = make_credential(Credential.TOKEN, user=w.acme_admin, revoked=True)
    return w


# The course world: a roster for every ordering rule, and a caller of every kind -------------

BASE = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)


def t(days):
    return BASE + dt.timedelta(days=days)


def iso(days):
    return t(days).strftime("%Y-%m-%dT%H:%M:%SZ")


# name: (profile, join_status, joined_at day, last_active_at day, completion_rate)
ROSTER = {
    "ada": (
        {"full_name": "Ada Lovelace", "avatar": "https://cdn.example.org/a.png"},
        CourseMember.CREATOR,
        0,
        5,
        100,
    ),
    "bob": ({"first_name": "Bob", "last_name": "Éclair"}, CourseMember.MANAGER, 3, None, 0),
    "cyd": ({"first_name": "Cyd", "last_name": "Charisse"}, CourseMember.JOINED, 3, 2, 40),
    "dan": ({"full_name": "Daniel Smith"}, CourseMember.JOINED, 4, 2, 55),
    "eve": ({}, CourseMember.JOINED, 5, None, 100),
    "fay": ({"fn": "Fay W."}, CourseMember.INVITED, None, None, 0),
    "gus": ({"last_name": "Gustavsson"}, CourseMember.REQUESTED, None, None, 0),
    "hal": ({"first_name": "Hal"}, CourseMember.JOINED, 1, 9, 9),
    "ivy": ({"full_name": "Ivy Ng"}, CourseMember.JOINED, None, None, 90),
}


def build_course_roster():
    """The roster course; users are created in ROSTER's order, so their ids ascend with it."""
    course = make_course("Intro to Statistics")
    users = {}
    for name, (profile, status, joined, active, rate) in ROSTER.items():
        users[name] = make_user(username=name, email=f"{name}@example.org", **profile)
        make_member(
            users[name],
            course,
            status,
            joined_at=None if joined is None else t(joined),
            last_active_at=None if active is None else t(active),
            completion_rate=rate,
        )
    # A member of another course must never show up.
    other = make_course("Other course")
    make_member(make_user(username="zed"), other, CourseMember.JOINED, joined_at=t(8))
    return course, users


def build_course_world():
    """A course shared with Acme Sales, and one caller of every kind (no portal here)."""
    orgs = build_org_tree(prefix="Acme ", portal=False)
    course = make_course("Shared course", container=orgs["acme"], shared_with=[orgs["sales"]])
    people = {}

    def person(name, **fields):
        people[name] = make_user(username=name, password="pw-" + name, **fields)
        return people[name]

    make_member(person("creator"), course, CourseMember.CREATOR)
    make_member(person("manager"), course, CourseMember.MANAGER)
    make_member(person("learner"), course, CourseMember.JOINED)
    make_member(person("invited"), course, CourseMember.INVITED)
    make_member(person("requested"), course, CourseMember.REQUESTED)
    person("stranger")
    make_role(person("shared_org_admin"), orgs["sales"])
    make_role(person("ancestor_org_admin"), orgs["acme"])
    make_role(person("descendant_org_admin"), orgs["sales_east"])
    make_role(person("sibling_org_admin"), orgs["support"])
    make_role(person("shared_org_instructor"), orgs["sales"], OrgRole.INSTRUCTOR)
    make_role(person("other_container_admin"), orgs["globex"])
    person("superuser", is_superuser=True, is_staff=True)
    return {"course": course, "people": people, "orgs": orgs}


def key_for(world, caller):
    """A plaintext key for a caller of COURSE_MATRIX: a person's token, or a special key."""
    people, orgs = world["people"], world["orgs"]
    if caller == "partner":
        return make_credential(Credential.PARTNER)[1]
    if caller == "expired":
        return make_credential(
            Credential.TOKEN, user=people["creator"], expires_at=t(-1) - dt.timedelta(days=1)
        )[1]
    if caller == "revoked":
        return make_credential(Credential.TOKEN, user=people["creator"], revoked=True)[1]
    if caller == "bound_session_same_container":
        return make_credential(Credential.SESSION, user=people["creator"], container=orgs["acme"])[
            1
        ]
    if caller == "bound_session_other_container":
        return make_credential(
            Credential.SESSION, user=people["creator"], container=orgs["globex"]
        )[1]
    return make_credential(Credential.TOKEN, user=people[caller])[1]


# caller → may view the course (course-users-api.md, "Who may call it"). "anonymous",
# "expired" and "revoked" are 401 (API) instead.
COURSE_MATRIX = {
    "creator": True,
    "manager": True,
    "learner": False,
    "invited": False,
    "requested": False,
    "stranger": False,
    "shared_org_admin": True,
    "ancestor_org_admin": True,
    "descendant_org_admin": False,
    "sibling_org_admin": False,
    "shared_org_instructor": False,
    "other_container_admin": False,
    "superuser": True,
    "partner": True,
    "bound_session_same_container": True,
    "bound_session_other_container": False,
}


def credential_forms(caller):
    """How a caller of COURSE_MATRIX can present itself: people also by their browser cookie."""
    if caller == "partner" or "session" in caller:
        return ["bearer", "sid"]
    return ["bearer", "sid", "cookie"]


# (caller, credential form): one cell each of the course rights matrix, run on the predicate
# (tests/access/test_course_predicates.py).
COURSE_CASES = [(caller, form) for caller in COURSE_MATRIX for form in credential_forms(caller)]


def credential_kwargs(client, world, caller, form):
    """Client kwargs presenting caller's credential as a Bearer token, SID header or cookie."""
    if form == "cookie":
        client.force_login(world["people"][caller])
        return {}
    key = key_for(world, caller)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"} if form == "bearer" else {"HTTP_SID": key}


# Course members' queries that page, sort, filter and search build_course_roster's roster.
COURSE_QUERIES = [
    "",
    "limit=2",
    "limit=2&offset=2",
    "limit=2&offset=4&ordering=last_active_at",
    "ordering=-last_active_at,joined_at",
    "statuses=joined&statuses=invited&ordering=joined_at",
    'statuses=["creator","requested","invited"]',
    "statuses=creator,manager,joined,invited,requested&limit=3&offset=3",
    "search=a&ordering=last_active_at,-joined_at",
    "search=%C3%89CLAIR",
    "search=nobody-at-all",
    "offset=100",
]
