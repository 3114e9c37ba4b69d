"""Small factories: each builds one row with sensible defaults; tests say what matters."""

import itertools

from django.utils import timezone

from dashboards.models import Course, CourseMember, Credential, Org, OrgRole, User

_ids = itertools.count(1)


def make_user(**fields):
    n = next(_ids)
    fields.setdefault("username", f"user{n}")
    fields.setdefault("email", f"user{n}@example.org")
    password = fields.pop("password", None)
    user = User(**fields)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def make_org(title="Org", *, parent=None, org_type=None, **fields):
    if org_type is None:
        org_type = Org.BASE if parent else Org.CONTAINER
    return Org.objects.create(title=title, parent=parent, org_type=org_type, **fields)


def make_role(user, org, role=OrgRole.ADMIN):
    return OrgRole.objects.create(user=user, org=org, role=role)


def make_course(title="Course", *, container=None, shared_with=(), **fields):
    course = Course.objects.create(title=title, container=container, **fields)
    course.shared_with.set(shared_with)
    return course


def make_member(user, course, join_status=CourseMember.JOINED, **fields):
    return CourseMember.objects.create(user=user, course=course, join_status=join_status, **fields)


def make_credential(kind=Credential.TOKEN, *, key=None, user=None, **fields):
    """Create a credential and return (credential, plaintext key)."""
    key = key or f"test-key-{next(_ids):08d}-{kind}"
    credential = Credential(kind=kind, user=user, **fields)
    credential.set_key(key)
    credential.save()
    return credential, key


def days_ago(days):
    return timezone.now() - timezone.timedelta(days=days)
