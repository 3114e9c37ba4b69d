"""Security items of issue 15: the findings 1-9 of the second review, one section each."""

import http.client
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def log_in(client, username, password, url="/login/"):
    return client.post(url, {"username": username, "password": password})


def logged_in(client):
    return "_auth_user_id" in client.session


# 1. The admin log-in has the same limits as /login/ ------------------------------------------


def test_the_admin_login_is_limited_like_the_login_page(settings):
    make_user(username="admin", password=PASSWORD, is_staff=True, is_superuser=True)
    guesser = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert log_in(guesser, "admin", "guess", "/admin/login/").status_code == 200
    response = log_in(guesser, "admin", "guess", "/admin/login/")
    assert response.status_code == 429
    # Locked: the right password is not even checked now, and the page says why.
    response = log_in(guesser, "admin", PASSWORD, "/admin/login/")
    assert response.status_code == 429 and not logged_in(guesser)
    assert "Too many failed log-in attempts" in response.text
    assert response["X-Frame-Options"] == "DENY"


def test_admin_and_page_failures_count_together(settings):
    make_user(username="admin", password=PASSWORD, is_staff=True, is_superuser=True)
    guesser = Client()
    for n in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(guesser, "admin", "guess", "/admin/login/" if n % 2 else "/login/")
    assert log_in(guesser, "admin", "guess", "/admin/login/").status_code == 429
    assert log_in(guesser, "admin", PASSWORD, "/login/").status_code == 429


# 5. Nobody else can lock an account; the counts are shared by every worker ----------------


def test_a_strangers_failures_do_not_lock_the_owner_out():
    make_user(username="dave", password=PASSWORD)
    for n in range(5):  # 5 addresses × 5 tries: 25 failures for "dave"
        stranger = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        for _ in range(5):
            log_in(stranger, "dave", "guess")
        assert log_in(stranger, "dave", PASSWORD).status_code == 429
    owner = Client(REMOTE_ADDR="192.0.2.7")
    assert log_in(owner, "dave", PASSWORD).status_code == 302 and logged_in(owner)


def test_failures_seen_by_another_worker_count(settings):
    """Each gunicorn worker has its own local memory (emptied here as another worker's would
    be): the failures must be counted where every worker reads them."""
    make_user(username="dave", password=PASSWORD)
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(client, "dave", "guess")
        cache.clear()
    assert log_in(client, "dave", "guess").status_code == 429
    cache.clear()
    assert log_in(client, "dave", PASSWORD).status_code == 429


def test_one_address_is_capped_over_all_usernames(settings):
    settings.LOGIN_FAILURE_LIMIT = 2  # × 4 for an address
    make_user(username="frank", password=PASSWORD)
    client = Client()
    for n in range(7):
        assert log_in(client, f"nobody{n}", "guess").status_code == 200
    assert log_in(client, "nobody7", "guess").status_code == 429
    assert log_in(client, "frank", PASSWORD).status_code == 429
    assert log_in(Client(REMOTE_ADDR="192.0.2.8"), "frank", PASSWORD).status_code == 302


def test_a_lock_ends_after_the_failure_window(settings):
    from axes.models import AccessAttempt

    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_WINDOW = 3, 600
    make_user(username="gina", password=PASSWORD)
    client = Client()
    for _ in range(3):
        log_in(client, "gina", "guess")
    assert log_in(client, "gina", PASSWORD).status_code == 429
    assert "Try again in 10 minutes" in log_in(client, "gina", PASSWORD).text
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(seconds=601))
    assert log_in(client, "gina", PASSWORD).status_code == 302


# 2. A member page shows only a member of that org ------------------------------------------


@pytest.fixture
def w(org_world):
    return org_world


def without_token(response):
    return re.sub(r'value="[^"]{64}"', "", response.text)


def member_page(org, user):
    return f"/orgs/{org.pk}/members/{user.pk}/"


def test_a_sub_org_admin_cannot_read_profiles_outside_the_org(client, w):
    from dashboards.models import OrgRole
    from tests.factories import make_role

    support_learner = make_user(username="sid", email="sid@example.org", location="Oslo")
    make_role(support_learner, w.support, OrgRole.LEARNER)
    client.force_login(w.sales_admin)
    unknown = client.get(f"/orgs/{w.sales.pk}/members/999999/")
    assert unknown.status_code == 404
    # People of the same container outside sales: the same 404 as an unknown id, htmx or not.
    for user in (support_learner, w.container_learner, w.portal_learner, w.east_admin):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(member_page(w.sales, user), headers=headers)
            assert response.status_code == 404, user.username
            assert without_token(response) == without_token(unknown)
            assert "sid@example.org" not in response.text
    # The org's members (its listing's rows) still open.
    for user in (w.course_learner, w.learner, w.instructor, w.admin_joined):
        assert client.get(member_page(w.sales, user)).status_code == 200, user.username


def test_a_portal_page_links_to_member_pages_that_open(client, w):
    client.force_login(w.acme_admin)
    html = client.get(f"/orgs/{w.acme.pk}/portals/{w.academy.pk}/members/").text
    for user in (w.portal_learner, w.container_instructor):
        link = member_page(w.academy, user)
        assert f'href="{link}"' in html, user.username
        assert client.get(link).status_code == 200, user.username
    assert client.get(member_page(w.academy, w.container_learner)).status_code == 404


# 3. Date boundaries answer a page or a 400 --------------------------------------------------

EDGE_DATES = [
    "lastSeenTo=9999-12-31",
    "lastSeenFrom=9999-12-31",
    "lastSeenTo=0001-01-01",
    "lastSeenFrom=0001-01-01&lastSeenTo=9999-12-31",
    "until=-62135596800",
    "since=-62135596800",
    "until=253402300799",
    "since=253402300799",
    "until=253402300800",
]


@pytest.mark.parametrize("query", EDGE_DATES)
def test_date_boundaries_answer_a_page_or_a_400(client, w, query):
    client.force_login(w.acme_admin)
    portal = f"/orgs/{w.acme.pk}/portals/{w.academy.pk}"
    for base in (f"/orgs/{w.sales.pk}/members", portal + "/members"):
        for url, headers in (
            (f"{base}/?{query}", {}),
            (f"{base}/?{query}", {"HX-Request": "true"}),
            (f"{base}.csv?{query}", {}),
        ):
            response = client.get(url, headers=headers, follow=True)
            assert response.status_code in (200, 400), (url, headers)


def test_the_last_day_there_is_keeps_everyone_seen_until_then(client, w):
    client.force_login(w.acme_admin)
    response = client.get(f"/orgs/{w.sales.pk}/members/?lastSeenTo=9999-12-31")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert 'value="9999-12-31"' in response.text
    shown = set(re.findall(r'data-user-id="(\d+)"', response.text))
    seen = {w.sales_admin, w.instructor, w.learner, w.course_learner}
    assert {str(user.pk) for user in seen} <= shown


# 4. Any accepted filter answers; the terms applied are capped -------------------------------


def listed_ids(client, url, query):
    response = client.get(url, query)
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()]


# Values at the 300-character limit (dashboards.platform.middleware.MAX_PARAMETER_LENGTH).
LONG_FILTERS = [
    "a " * 150,  # 150 terms: past SQLite's expression depth before the cap
    "ab " * 100,
    " ".join(chr(0x4E00 + n) for n in range(150)),  # 150 distinct terms
]


@pytest.mark.parametrize("value", LONG_FILTERS)
def test_every_accepted_filter_answers_on_every_listing(client, w, value):
    client.force_login(w.acme_admin)
    portal = f"/orgs/{w.acme.pk}/portals/{w.academy.pk}"
    for url in (
        f"/orgs/{w.sales.pk}/members/",
        f"{portal}/members/",
        f"/orgs/{w.sales.pk}/members.csv",
    ):
        for extra in ({}, {"sort": "lastSeen", "order": "descending"}):
            assert client.get(url, {"filter": value, **extra}).status_code == 200, url
    api = f"/vfo/orgs/{w.sales.pk}/dashboard/members"
    assert listed_ids(client, api, {"filter": value}) == listed_ids(
        client, api, {"filter": value.split()[0] if value.startswith("a") else value[:63]}
    )


def test_repeated_and_contained_terms_change_no_result(client, w):
    from dashboards.text import MAX_SEARCH_TERMS, search_terms

    client.force_login(w.acme_admin)
    api = f"/vfo/orgs/{w.sales.pk}/dashboard/members"
    carl = listed_ids(client, api, {"filter": "carl"})
    assert carl == [w.course_learner.pk]
    assert listed_ids(client, api, {"filter": "car carl ca CARL c"}) == carl
    assert listed_ids(client, api, {"filter": "carl " * 60}) == carl
    # Past MAX_SEARCH_TERMS distinct terms, the rest are not applied.
    letters = [chr(0x4E00 + n) for n in range(MAX_SEARCH_TERMS)]
    assert listed_ids(client, api, {"filter": " ".join(["carl", *letters])}) == []
    assert search_terms(" ".join([*letters, "carl"])) == letters
    assert search_terms("ca carl car CARL x") == ["carl", "x"]


# 6. gunicorn believes forwarded-scheme headers only behind a TLS proxy ----------------------

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_when_up(port, path, headers, deadline):
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Location")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("behind_proxy", "expected"),
    [("false", 301), ("true", 200)],
)
def test_make_serve_trusts_forwarded_proto_only_behind_a_tls_proxy(
    tmp_path, behind_proxy, expected
):
    """`make serve` itself (the venv running this test, not remade), on a scratch database, with
    the HTTPS redirect on: a plain request claiming X-Forwarded-Proto: https from 127.0.0.1 is
    redirected unless BEHIND_TLS_PROXY says a proxy terminates TLS there."""
    port = free_port()
    venv = Path(sys.prefix)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECURE_", "FORWARDED_", "BEHIND_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        SECURE_SSL_REDIRECT="true",
        BEHIND_TLS_PROXY=behind_proxy,
    )
    server = subprocess.Popen(
        ["make", "--no-print-directory", "-o", f"{venv}/.installed", "serve", f"VENV={venv}"]
        + [f"BIND=127.0.0.1:{port}", "WORKERS=1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        status, location = get_when_up(
            port,
            "/login/",
            {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"},
            deadline=time.monotonic() + 120,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert status == expected
    if expected == 301:
        assert location == "https://127.0.0.1/login/"


# 7. seed_demo refuses a production host ----------------------------------------------------


def test_seed_demo_refuses_without_debug_unless_the_host_is_a_demo(settings):
    from django.core.management import CommandError, call_command

    from dashboards.models import User

    settings.DEBUG, settings.DEMO_HOST = False, False
    out = io.StringIO()
    with pytest.raises(CommandError, match="--demo-host"):
        call_command("seed_demo", "--users", "60", stdout=out, stderr=out)
    assert not User.objects.exists()
    call_command("seed_demo", "--users", "60", "--demo-host", stdout=out, stderr=out)
    assert User.objects.filter(username="admin", is_superuser=True).exists()
    settings.DEBUG = True  # make run
    call_command("seed_demo", "--if-empty", stdout=out, stderr=out)
    assert "nothing written" in out.getvalue()


# 8. Pages answer GET and HEAD (and POST where a form posts), else 405 ----------------------


def page_urls(w):
    from tests.factories import make_course

    course = make_course("Chemistry", container=w.acme, shared_with=[w.sales])
    portal = f"/orgs/{w.acme.pk}/portals/{w.academy.pk}/members"
    return [
        "/",
        f"/courses/{course.pk}/",
        f"/courses/{course.pk}/members.csv",
        f"/orgs/{w.sales.pk}/members/",
        f"/orgs/{w.sales.pk}/members.csv",
        member_page(w.sales, w.course_learner),
        f"{portal}/",
        f"{portal}.csv",
    ]


def allowed(response):
    return {method.strip() for method in response["Allow"].split(",")}


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "PATCH", "DELETE", "POST"])
def test_pages_refuse_other_methods_with_405(w, method):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w.superuser)
    for url in page_urls(w):
        assert browser.get(url).status_code == 200, url
        response = browser.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert allowed(response) == {"GET", "HEAD"}, url
        assert b"Chemistry" not in response.content and b"@" not in response.content
        assert browser.head(url).status_code == 200, url


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "PATCH", "DELETE"])
def test_login_and_logout_take_their_form_methods_only(method):
    browser = Client(enforce_csrf_checks=True)
    response = browser.generic(method, "/login/")
    assert response.status_code == 405 and allowed(response) == {"GET", "HEAD", "POST"}
    response = browser.generic(method, "/logout/")
    assert response.status_code == 405 and allowed(response) == {"POST"}
    assert browser.get("/logout/").status_code == 405
    # POST still needs the CSRF token.
    assert browser.post("/login/", {"username": "x", "password": "y"}).status_code == 403
    assert browser.post("/logout/").status_code == 403


# 9. Small things: headers of the middleware's 400s, key expiry, the session idle policy ---


def test_the_middlewares_own_400s_carry_x_frame_options(client):
    for url in (
        "/?q=%ff%fe",
        "/orgs/1/members/?filter=" + "x" * 301,
        "/vfo/orgs/1/dashboard/members?q=%ff",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff"


def test_create_key_sets_a_default_expiry_unless_told_otherwise():
    from django.core.management import call_command

    from dashboards.management.commands.create_key import DEFAULT_EXPIRY_DAYS
    from dashboards.models import Credential

    owner = make_user(username="kim")

    def issued(*args):
        out = io.StringIO()
        call_command("create_key", "--user", "kim", *args, stdout=out, stderr=io.StringIO())
        return Credential.objects.get(key_hash=Credential.hash_key(out.getvalue().strip()))

    before = timezone.now()
    credential = issued()
    assert credential.user == owner
    expected = before + timezone.timedelta(days=DEFAULT_EXPIRY_DAYS)
    assert DEFAULT_EXPIRY_DAYS == 90
    assert abs(credential.expires_at - expected) < timezone.timedelta(minutes=1)
    assert issued("--no-expiry").expires_at is None
    assert issued("--expires-in-days", "7").expires_at < expected


def test_a_browser_session_ends_after_24_idle_hours_and_use_extends_it(client, settings):
    from django.contrib.sessions.models import Session

    from dashboards.platform.middleware import REFRESHED_AT

    assert settings.SESSION_COOKIE_AGE == 24 * 60 * 60
    make_user(username="lou", password=PASSWORD)
    assert log_in(client, "lou", PASSWORD).status_code == 302
    key = client.cookies["sessionid"].value
    day = timezone.timedelta(hours=24)
    expiry = Session.objects.get(session_key=key).expire_date
    assert abs(expiry - (timezone.now() + day)) < timezone.timedelta(minutes=1)
    assert client.cookies["sessionid"]["max-age"] == 24 * 60 * 60
    # Within a minute of the last save, a request writes nothing.
    Session.objects.filter(session_key=key).update(expire_date=expiry - timezone.timedelta(hours=1))
    assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date == expiry - timezone.timedelta(hours=1)
    # A minute later, a request moves the end on by 24 hours from now.
    session = client.session
    session[REFRESHED_AT] -= 61
    session.save()
    assert client.get("/").status_code == 200
    moved = Session.objects.get(session_key=key).expire_date
    assert abs(moved - (timezone.now() + day)) < timezone.timedelta(minutes=1)
    # Past its end, the session is gone: the page asks to log in.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now())
    assert client.get("/").status_code == 302
