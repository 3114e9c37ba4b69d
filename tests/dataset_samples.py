"""Dataset fixtures and helpers shared by the test_dataset_* modules."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dashboards.models import Course, CourseMember, CourseShare, Credential, Org, OrgRole, User

MODELS = (User, Org, OrgRole, Course, CourseShare, CourseMember, Credential)

ADA_PASSWORD = "ada-secret-pass"

FULL_DATASET = {
    "users": [
        {
            "id": 1,
            "username": "ada",
            "email": "ada@example.org",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "fn": "Countess",
            "fullName": " Augusta Ada King ",
            "location": "London",
            "shortDesc": "Analyst",
            "longDesc": "Wrote the first program.\nFor the Analytical Engine.",
            "website": "https://ada.example.org",
            "avatar": "https://cdn.example.org/ada.png",
            "lastSeen": "2026-11-01T12:00:00+02:00",
            "password": ADA_PASSWORD,
            "isSuperuser": True,
        },
        {
            "id": 2,
            "username": "émile",
            "email": None,
            "firstName": "   ",
            "lastName": "",
            "fullName": "Émile Zola",
            "location": "",
            "lastSeen": None,
        },
        {"id": 3},
        {"id": 4, "username": "zoë", "firstName": "Zoë", "lastSeen": "2026-10-15T08:30:00.250000Z"},
    ],
    "orgs": [
        {"id": 12, "title": "Acme Sales East", "parentId": 11, "orgType": "topic"},
        {"id": 10, "title": "Acme", "parentId": None, "orgType": "container"},
        {"id": 11, "title": "Acme Sales", "parentId": 10, "orgType": "base"},
        {"id": 13, "title": "Acme Academy", "parentId": 10, "orgType": "portal"},
        {"id": 20, "title": "Globex", "parentId": None, "orgType": "container"},
    ],
    "orgRoles": [
        {"userId": 1, "orgId": 10, "role": "admin"},
        {"userId": 1, "orgId": 10, "role": "instructor"},
        {"userId": 2, "orgId": 11, "role": "learner"},
        {"userId": 4, "orgId": 13, "role": "learner"},
    ],
    "courses": [
        {
            "id": 100,
            "title": "Intro to Statistics",
            "slug": "intro-stats",
            "containerId": 10,
            "createdBy": 1,
            "createdAt": "2026-09-01T00:00:00Z",
            "type": "structured",
            "privacy": "open",
            "sharedWith": [12, 10],
        },
        {
            "id": 101,
            "title": "Cours d'Été",
            "containerId": 20,
            "type": "scheduled",
            "privacy": "",
            "sharedWith": [],
        },
        {"id": 102, "title": "Loose course", "slug": None, "containerId": None},
    ],
    "courseMembers": [
        {
            "userId": 2,
            "courseId": 100,
            "joinStatus": "joined",
            "joinedAt": "2026-10-01T09:00:00Z",
            "lastActiveAt": "2026-11-01T10:00:00-05:00",
            "completionRate": 100,
            "startDate": "2026-10-02T00:00:00Z",
            "finishDate": "2026-10-30T00:00:00Z",
            "score": 0.35,
        },
        {"userId": 1, "courseId": 100, "joinStatus": "creator"},
        {"userId": 4, "courseId": 100, "joinStatus": "invited"},
        {"userId": 4, "courseId": 101, "joinStatus": "joined", "completionRate": 40, "score": 1},
    ],
    "credentials": [
        {"key": "partner-key-0001", "kind": "partner"},
        {"key": "session-key-0001", "kind": "session", "userId": 1, "containerId": 10},
        {
            "key": "token-key-0001",
            "kind": "token",
            "userId": 4,
            "expiresAt": "2027-01-01T00:00:00+01:00",
            "revoked": True,
        },
    ],
}


def full_dataset():
    """A fresh copy of FULL_DATASET: every list, every field, a tree given child first."""
    return copy.deepcopy(FULL_DATASET)


def write_json(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_load(path, *options):
    """Run load_dataset; return its stdout."""
    out, err = StringIO(), StringIO()
    call_command("load_dataset", str(path), "--no-progress", *options, stdout=out, stderr=err)
    return out.getvalue()


def failed_load(path, *options):
    """Run load_dataset expecting failure; return the problem lines it printed."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as info:
        call_command("load_dataset", str(path), "--no-progress", *options, stdout=out, stderr=err)
    assert info.value.returncode == 1
    assert "Nothing was loaded" in str(info.value)
    return err.getvalue().splitlines()


def stored_rows():
    """Every row of every dataset table, in id order: equal values mean an unchanged database."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}
