"""The org tree, people, courses and keys shared by the org dashboard tests (no tests here).

acme (container)
├── sales ── sales_east
├── support
└── academy (portal)
globex (container)
"""

import json
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


def build_world():
    w = SimpleNamespace()
    w.acme = make_org("Acme")
    w.sales = make_org("Sales", parent=w.acme)
    w.sales_east = make_org("Sales East", parent=w.sales)
    w.support = make_org("Support", parent=w.acme)
    w.academy = make_org("Academy", parent=w.acme, org_type="portal")
    w.globex = make_org("Globex")

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
    for name in (
        "superuser",
        "acme_admin",
        "sales_admin",
        "east_admin",
        "support_admin",
        "globex_admin",
        "instructor",
        "learner",
    ):
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


def call(client, url, key=None, scheme="SID", **params):
    """GET url with a key in the SID header (or Authorization: Bearer)."""
    headers = {}
    if key is not None:
        headers = {"SID": key} if scheme == "SID" else {"Authorization": f"Bearer {key}"}
    return client.get(url, params, headers=headers)


def ids(response):
    assert response.status_code == 200, response.content
    return [entry["id"] for entry in response.json()]


def pagination(response):
    return json.loads(response["X-Pagination"])


def error(response):
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()["message"]


def members_url(org, prefix="vfo"):
    return f"/{prefix}/orgs/{org if isinstance(org, str) else org.pk}/dashboard/members"


def courses_url(org, user, prefix="vfo"):
    org = org if isinstance(org, str) else org.pk
    user = user if isinstance(user, str) else user.pk
    return f"/{prefix}/orgs/{org}/dashboard/members/{user}/courses"


def portal_url(container, portal, prefix="vfo"):
    container = container if isinstance(container, str) else container.pk
    portal = portal if isinstance(portal, str) else portal.pk
    return f"/{prefix}/container/{container}/portal/{portal}/dashboard/members"
