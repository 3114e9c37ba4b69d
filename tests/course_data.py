"""Data for the course dashboard tests: a roster built to exercise every ordering rule, and a
world of callers for the permission matrix."""

import datetime as dt

from dashboards.models import CourseMember, Credential, OrgRole
from tests.factories import (
    make_course,
    make_credential,
    make_member,
    make_org,
    make_role,
    make_user,
)

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


def build_roster():
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


def build_world():
    """A course shared with Acme Sales, and one caller of every kind."""
    acme = make_org("Acme")
    sales = make_org("Acme Sales", parent=acme)
    sales_east = make_org("Acme Sales East", parent=sales)
    support = make_org("Acme Support", parent=acme)
    globex = make_org("Globex")
    course = make_course("Shared course", container=acme, shared_with=[sales])
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
    make_role(person("shared_org_admin"), sales)
    make_role(person("ancestor_org_admin"), acme)
    make_role(person("descendant_org_admin"), sales_east)
    make_role(person("sibling_org_admin"), support)
    make_role(person("shared_org_instructor"), sales, OrgRole.INSTRUCTOR)
    make_role(person("other_container_admin"), globex)
    person("superuser", is_superuser=True, is_staff=True)
    return {
        "course": course,
        "people": people,
        "orgs": {"acme": acme, "sales": sales, "sales_east": sales_east, "globex": globex},
    }


def key_for(world, caller):
    """A plaintext key for a caller of the matrix: a person's token, or a special key."""
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


# caller → may view the course. "anonymous", "expired" and "revoked" are 401 (API) instead.
MATRIX = {
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
