"""The Django admin: every page answers, searches are accent-blind, query counts do not grow
with the rows shown, and a credential's key is shown once and stored only as its hash."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.access.authentication import principal_for_key
from dashboards.models import Course, CourseMember, CourseShare, Credential, Org, OrgRole, User
from tests.factories import (
    days_ago,
    make_course,
    make_credential,
    make_member,
    make_org,
    make_role,
    make_user,
)

pytestmark = pytest.mark.django_db

# (model, a search term, a filter) that together keep the rows built by add_rows.
CHANGELISTS = {
    User: ("emile", {"is_staff__exact": "0"}),
    Org: ("Lumière", {"org_type__exact": "base"}),
    OrgRole: ("emile", {"role__exact": "learner"}),
    Course: ("ecologie", {"course_type__exact": "self-paced"}),
    CourseMember: ("emile", {"join_status__exact": "joined"}),
    Credential: ("emile", {"kind__exact": "token"}),
}


def changelist_url(model):
    return reverse(f"admin:dashboards_{model._meta.model_name}_changelist")


def add_rows(n, container=None):
    """n rows of every model, all matching the CHANGELISTS search and filter."""
    container = container or make_org("Université Lumière")
    for i in range(n):
        dept = make_org(f"Lumière dept {i}", parent=container)
        user = make_user(first_name="Émile", last_name=f"Zoë{i}", last_seen=days_ago(i))
        make_role(user, dept, OrgRole.LEARNER)
        course = make_course(f"Écologie {i}", container=container, shared_with=[dept])
        make_member(user, course, CourseMember.JOINED, completion_rate=7 * i)
        make_credential(Credential.TOKEN, user=user)
    return container


def get_counting_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response, len(queries)


@pytest.mark.parametrize("model", list(CHANGELISTS), ids=lambda m: m.__name__)
def test_changelist_with_search_and_filter_answers_in_constant_queries(admin_client, model):
    term, filters = CHANGELISTS[model]
    params = {"q": term, **filters}
    container = add_rows(2)
    small, small_queries = get_counting_queries(admin_client, changelist_url(model), params)
    add_rows(12, container)
    large, large_queries = get_counting_queries(admin_client, changelist_url(model), params)

    assert small.status_code == large.status_code == 200
    assert len(large.context["cl"].result_list) == 14
    assert large_queries == small_queries
    assert large_queries <= 12


@pytest.mark.parametrize("model", list(CHANGELISTS), ids=lambda m: m.__name__)
def test_add_and_change_pages_answer(admin_client, model):
    add_rows(1)
    add = admin_client.get(reverse(f"admin:dashboards_{model._meta.model_name}_add"))
    assert add.status_code == 200
    obj = model.objects.order_by("-pk").first()
    change = admin_client.get(
        reverse(f"admin:dashboards_{model._meta.model_name}_change", args=[obj.pk])
    )
    assert change.status_code == 200


def test_changelist_without_filters_answers(admin_client):
    add_rows(3)
    for model in CHANGELISTS:
        assert admin_client.get(changelist_url(model)).status_code == 200


@pytest.mark.parametrize("term", ["emile", "ÉMILE", "zoe1", "ZOË1 émile"])
def test_user_search_ignores_case_and_accents(admin_client, term):
    emile = make_user(first_name="Émile", last_name="Zoë1")
    make_user(first_name="Emil", last_name="Other")
    response = admin_client.get(changelist_url(User), {"q": term})
    assert [user.pk for user in response.context["cl"].result_list] == [emile.pk]


def test_user_search_finds_username_email_and_id(admin_client):
    soren = make_user(username="søren", email="soren@example.org", full_name="Søren Ødegaard")
    make_user(username="other", email="other@example.org")  # no digit the id search could hit
    for term in ("SØREN", "soren@example.org", "ØDEGAARD", str(soren.pk)):
        response = admin_client.get(changelist_url(User), {"q": term})
        assert [user.pk for user in response.context["cl"].result_list] == [soren.pk], term


def test_user_never_seen_filter(admin_client):
    seen = make_user(last_seen=days_ago(1))
    never = make_user(last_seen=None)
    response = admin_client.get(changelist_url(User), {"last_seen__isnull": "True"})
    ids = {user.pk for user in response.context["cl"].result_list}
    assert never.pk in ids and seen.pk not in ids


def test_course_search_ignores_accents_and_finds_ids(admin_client):
    course = make_course("Écologie urbaine")
    make_course("Economics")
    for term in ("ecologie", "ÉCOLOGIE URB", str(course.pk)):
        response = admin_client.get(changelist_url(Course), {"q": term})
        assert [c.pk for c in response.context["cl"].result_list] == [course.pk], term


def test_container_filter_offers_containers_only(admin_client):
    acme = make_org("Acme")
    make_org("Acme Sales", parent=acme)
    response = admin_client.get(changelist_url(Org), {"container": str(acme.pk)})
    container_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "container"
    )
    assert [value for value, _ in container_filter.lookup_choices] == [str(acme.pk)]
    assert response.context["cl"].result_count == 2


def test_user_add_creates_a_user_who_can_log_in(admin_client, client):
    response = admin_client.post(
        reverse("admin:dashboards_user_add"),
        {
            "username": "zoë",
            "email": "zoe@example.org",
            "usable_password": "true",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="zoë")
    assert user.search_key  # save() kept the normalized columns
    assert client.login(username="zoë", password="a-long-test-password")


def test_org_derived_fields_are_read_only(admin_client):
    acme = make_org("Acme")
    response = admin_client.post(
        reverse("admin:dashboards_org_add"),
        {"title": "Sales", "org_type": "base", "parent": acme.pk, "path": "/hack/"},
    )
    assert response.status_code == 302
    sales = Org.objects.get(title="Sales")
    assert sales.path == f"/{acme.pk}/{sales.pk}/" and sales.container_id == acme.pk


def share_formset(org_ids):
    data = {
        "shares-TOTAL_FORMS": str(len(org_ids)),
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000",
    }
    for i, org_id in enumerate(org_ids):
        data[f"shares-{i}-org"] = str(org_id)
    return data


def course_form(container, **fields):
    return {
        "title": "Statistique",
        "slug": "stats",
        "container": str(container.pk),
        "course_type": "self-paced",
        "privacy": "open",
        **fields,
    }


def test_course_shares_stay_inside_the_course_container(admin_client):
    acme, globex = make_org("Acme"), make_org("Globex")
    sales = make_org("Acme Sales", parent=acme)
    url = reverse("admin:dashboards_course_add")

    refused = admin_client.post(url, {**course_form(acme), **share_formset([globex.pk])})
    assert refused.status_code == 200
    assert not Course.objects.exists()

    accepted = admin_client.post(url, {**course_form(acme), **share_formset([sales.pk])})
    assert accepted.status_code == 302
    course = Course.objects.get()
    assert course.title_key == "statistique"
    assert list(CourseShare.objects.values_list("org", flat=True)) == [sales.pk]


# --- credentials ---------------------------------------------------------------------------

KEY_IN_MESSAGE = re.compile(r"The new key is ([A-Za-z0-9_\-]{43})")


def test_credential_add_shows_the_key_once_and_stores_only_its_hash(admin_client):
    user = make_user()
    response = admin_client.post(
        reverse("admin:dashboards_credential_add"),
        {"kind": "token", "user": str(user.pk), "container": "", "expires_at_0": ""},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    keys = KEY_IN_MESSAGE.findall(page)
    assert len(keys) == 1
    key = keys[0]
    assert page.count(key) == 1

    credential = Credential.objects.get()
    assert credential.key_hash == Credential.hash_key(key)
    row = Credential.objects.filter(pk=credential.pk).values().get()
    assert key not in str(row)
    assert principal_for_key(key).user == user

    later = [
        admin_client.get(changelist_url(Credential)),
        admin_client.get(reverse("admin:dashboards_credential_change", args=[credential.pk])),
    ]
    for response in later:
        assert response.status_code == 200
        assert key not in response.content.decode()


def test_credential_forms_accept_no_plaintext_key(admin_client):
    user = make_user()
    response = admin_client.post(
        reverse("admin:dashboards_credential_add"),
        {"kind": "token", "user": str(user.pk), "key": "chosen-by-the-caller-key"},
    )
    assert response.status_code == 302
    assert Credential.objects.get().key_hash != Credential.hash_key("chosen-by-the-caller-key")


def test_credential_change_cannot_rewrite_the_key(admin_client):
    credential, key = make_credential(Credential.TOKEN, user=make_user())
    url = reverse("admin:dashboards_credential_change", args=[credential.pk])
    response = admin_client.post(
        url, {"revoked": "on", "key_hash": "0" * 64, "key": "another-key-of-mine"}
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.revoked
    assert credential.key_hash == Credential.hash_key(key)


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"kind": "token"}, "user"),
        ({"kind": "session"}, "user"),
        ({"kind": "partner", "user": "USER"}, "user"),
        ({"kind": "token", "user": "USER", "container": "CONTAINER"}, "container"),
    ],
)
def test_credential_add_refuses_inconsistent_kinds(admin_client, fields, field_in_error):
    user, container = make_user(), make_org("Acme")
    values = {"USER": str(user.pk), "CONTAINER": str(container.pk)}
    data = {name: values.get(value, value) for name, value in fields.items()}
    response = admin_client.post(reverse("admin:dashboards_credential_add"), data)
    assert response.status_code == 200
    assert field_in_error in response.context["adminform"].form.errors
    assert not Credential.objects.exists()


def test_session_bound_to_a_container_is_created(admin_client):
    user, container = make_user(), make_org("Acme")
    response = admin_client.post(
        reverse("admin:dashboards_credential_add"),
        {"kind": "session", "user": str(user.pk), "container": str(container.pk)},
        follow=True,
    )
    key = KEY_IN_MESSAGE.findall(response.content.decode())[0]
    principal = principal_for_key(key)
    assert principal.user == user and principal.container_id == container.pk


def test_credential_search_finds_a_pasted_key(admin_client):
    credential, key = make_credential(Credential.PARTNER)
    make_credential(Credential.PARTNER)
    response = admin_client.get(changelist_url(Credential), {"q": key})
    assert [c.pk for c in response.context["cl"].result_list] == [credential.pk]


def test_large_unfiltered_tables_are_counted_by_estimate_on_postgresql(monkeypatch):
    from dashboards import admin as dashboards_admin

    monkeypatch.setattr(dashboards_admin, "ESTIMATE_COUNT_ABOVE", 2)
    for _ in range(4):
        make_user()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {User._meta.db_table}")
    unfiltered = dashboards_admin.LargeTablePaginator(User.objects.order_by("id"), 2)
    filtered = dashboards_admin.LargeTablePaginator(User.objects.filter(pk__gt=0).order_by("id"), 2)
    with CaptureQueriesContext(connection) as queries:
        assert unfiltered.count == 4
        assert filtered.count == 4
    if connection.vendor == "postgresql":
        assert "reltuples" in queries[0]["sql"] and "reltuples" not in queries[1]["sql"]
    else:
        assert all("COUNT" in query["sql"] for query in queries)


def test_member_progress_filter(admin_client):
    user, course = make_user(), make_course("C")
    members = {
        "not-started": make_member(user, course),
        "in-progress": make_member(make_user(), course, completion_rate=40),
        "completed": make_member(make_user(), course, completion_rate=100, finish_date=days_ago(1)),
    }
    for stage, member in members.items():
        response = admin_client.get(changelist_url(CourseMember), {"progress": stage})
        assert [m.pk for m in response.context["cl"].result_list] == [member.pk], stage
    response = admin_client.get(changelist_url(CourseMember))
    assert len(response.context["cl"].result_list) == 3
