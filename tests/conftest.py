"""The test world, served as fixtures (builders in tests/worlds.py).

- admin_world: one org, its admin "boss" (a password and a token key), a course he manages.
- org_tree: the bare org tree ("Acme Sales"…, with the Acme Academy portal), as a dict.
- org_world: the org dashboard world: tree, people with roles, courses, keys (attributes).
- course_world: the course shared with Acme Sales and a caller of every kind (a dict).
- course_roster: (course, users by name), the roster built for every ordering rule.
- read_only_org_world, read_only_course_world, read_only_course_roster: the same, built once
  per module for modules whose tests only read them (a module may override org_world,
  course_world or course_roster with one). Objects are shared between the module's tests:
  change rows with queryset updates, never by saving a shared object.
"""

import pytest
from django.db import transaction

from tests.worlds import (
    build_admin_world,
    build_course_roster,
    build_course_world,
    build_org_tree,
    build_org_world,
)


@pytest.fixture
def admin_world(db):
    return build_admin_world()


@pytest.fixture
def org_tree(db):
    """A container with two children, one grandchild, a portal, and a second container."""
    tree = build_org_tree(prefix="Acme ")
    tree["portal"] = tree.pop("academy")
    return tree


@pytest.fixture
def org_world(db):
    return build_org_world()


@pytest.fixture
def course_world(db):
    return build_course_world()


@pytest.fixture
def course_roster(db):
    return build_course_roster()


@pytest.fixture(scope="module")
def read_only_org_world(django_db_setup, django_db_blocker):
    """The org world built once for a module whose tests only read it: the module's tests run
    inside one transaction (each test's own `db` transaction nests in it as a savepoint), rolled
    back after the module's last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_org_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def read_only_course_world(django_db_setup, django_db_blocker):
    """The course world built once for a module whose tests only read it (as above)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_course_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def read_only_course_roster(django_db_setup, django_db_blocker):
    """The course roster built once for a module whose tests only read it (as above)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_course_roster()
        transaction.set_rollback(True)
