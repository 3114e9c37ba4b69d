"""Read-replica routing: dashboard reads on the replica, credentials and writes on the primary.

The test replica is the test database itself (the "replica" alias mirrors it and shares its
connection), so what is checked is where each read is routed, and that a request answers the
same through the router. A replica that does not answer is a real one: the alias pointed at a
closed port (PostgreSQL) or at a file in a missing directory (SQLite).
"""

import copy
import socket

import pytest
from django.db import connections, router, transaction
from django.db.utils import load_backend
from django.test import override_settings

from dashboards.models import Course, CourseMember, Credential, Org, OrgRole, User
from dashboards.platform.routers import DEFAULT_RETRY_SECONDS, ReplicaRouter
from dashboards.selectors.orgs import org_members
from tests.factories import (
    make_course,
    make_credential,
    make_member,
    make_org,
    make_role,
    make_user,
)


class RecordingRouter(ReplicaRouter):
    reads = []

    def db_for_read(self, model, **hints):
        alias = super().db_for_read(model, **hints)
        self.reads.append((model.__name__, alias))
        return alias


@pytest.fixture
def routed():
    """The router on, the replica alias sharing the primary's connection; the reads routed."""
    connections["replica"] = connections["default"]
    RecordingRouter.reads = []
    with override_settings(DATABASE_ROUTERS=[f"{__name__}.RecordingRouter"]):
        yield RecordingRouter.reads
    del connections["replica"]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def unreachable_replica(routed):
    """The replica alias on a database that refuses connections; the router on a clock the
    test moves; `attempts` counts the connections tried."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connecting is refused at once
    if connections["default"].vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT=closed.getsockname()[1])
    else:
        settings_dict["NAME"] = "/nonexistent-directory/replica.sqlite3"
    replica = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "replica")
    attempts = []
    connect = replica.get_new_connection

    def counted_connect(params):
        attempts.append(params)
        return connect(params)

    replica.get_new_connection = counted_connect
    connections["replica"] = replica
    clock = Clock()
    router.routers[0].clock = clock
    yield {"attempts": attempts, "clock": clock}
    closed.close()


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_dashboard_models_are_read_from_the_replica(routed):
    for model in (User, Org, OrgRole, Course, CourseMember):
        assert router.db_for_read(model) == "replica"
        assert router.db_for_write(model) == "default"


def test_credentials_are_read_from_the_primary(routed):
    assert router.db_for_read(Credential) == "default"


def test_migrations_run_on_the_primary_only(routed):
    assert router.allow_migrate("default", "dashboards")
    assert not router.allow_migrate("replica", "dashboards")


def test_without_the_router_everything_is_on_the_primary():
    assert router.db_for_read(CourseMember) == "default"


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(routed):
    org = make_org("Acme")
    assert org_members(org).db == "replica"
    with transaction.atomic():
        assert router.db_for_read(CourseMember) == "default"
        assert org_members(org).db == "default"


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_an_org_members_request_reads_its_rows_from_the_replica(client, routed):
    org = make_org("Acme")
    admin = make_user(username="boss")
    make_role(admin, org, OrgRole.ADMIN)
    for n in range(3):
        make_role(make_user(username=f"member{n}"), org, OrgRole.LEARNER)
    key = make_credential(Credential.TOKEN, user=admin)[1]
    routed.clear()
    response = client.get(
        f"/vfo/orgs/{org.pk}/dashboard/members", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    assert sorted(user["username"] for user in response.json()) == [
        "boss",
        "member0",
        "member1",
        "member2",
    ]
    assert ("Credential", "default") in routed
    dashboard_reads = [alias for model, alias in routed if model != "Credential"]
    assert dashboard_reads and set(dashboard_reads) == {"replica"}


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_a_course_page_reads_from_the_replica(client, routed):
    course_member = make_member(make_user(username="creator"), make_course(), CourseMember.CREATOR)
    client.force_login(course_member.user)
    routed.clear()
    response = client.get(f"/courses/{course_member.course_id}/")
    assert response.status_code == 200
    assert ("CourseMember", "replica") in routed and ("Course", "replica") in routed


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_reads_fall_back_to_the_primary_when_the_replica_does_not_answer(unreachable_replica):
    org = make_org("Acme")
    assert router.db_for_read(CourseMember) == "default"
    assert org_members(org).db == "default"
    assert unreachable_replica["attempts"]


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_a_request_answers_from_the_primary_when_the_replica_does_not_answer(
    client, unreachable_replica
):
    org = make_org("Acme")
    admin = make_user(username="boss")
    make_role(admin, org, OrgRole.ADMIN)
    key = make_credential(Credential.TOKEN, user=admin)[1]
    response = client.get(
        f"/vfo/orgs/{org.pk}/dashboard/members", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    assert [user["username"] for user in response.json()] == ["boss"]


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_a_dead_replica_costs_one_connect_per_interval(unreachable_replica):
    attempts, clock = unreachable_replica["attempts"], unreachable_replica["clock"]
    for _ in range(20):
        assert router.db_for_read(CourseMember) == "default"
    assert len(attempts) == 1
    clock.now += DEFAULT_RETRY_SECONDS - 0.1
    assert router.db_for_read(CourseMember) == "default"
    assert len(attempts) == 1
    clock.now += 0.2
    for _ in range(20):
        assert router.db_for_read(CourseMember) == "default"
    assert len(attempts) == 2


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_the_replica_is_taken_back_once_it_answers_again(unreachable_replica):
    assert router.db_for_read(CourseMember) == "default"
    connections["replica"] = connections["default"]  # the standby is back
    assert router.db_for_read(CourseMember) == "default"  # still within the interval
    unreachable_replica["clock"].now += DEFAULT_RETRY_SECONDS
    assert router.db_for_read(CourseMember) == "replica"
    assert org_members(make_org("Acme")).db == "replica"


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
@override_settings(DATABASE_REPLICA_RETRY_SECONDS=60)
def test_the_retry_interval_is_a_setting(unreachable_replica):
    router.db_for_read(CourseMember)
    unreachable_replica["clock"].now += DEFAULT_RETRY_SECONDS + 1
    router.db_for_read(CourseMember)
    assert len(unreachable_replica["attempts"]) == 1
