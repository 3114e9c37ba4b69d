"""Logging in and out: /login/ and /admin/login/ limited alike (a username from one address, and an
address over all usernames), failures counted where every worker reads them, a stranger never
locking the owner out, a lock ending after its window; the CSRF token; the forms' methods only;
where a log-in leads."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def log_in(client, username, password, url="/login/"):
    return client.post(url, {"username": username, "password": password})


def logged_in(client):
    return "_auth_user_id" in client.session


# The admin log-in has the same limits as /login/ ----------------------------------------------


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


# Nobody else can lock an account; the counts are shared by every worker -----------------------


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


def allowed(response):
    return {method.strip() for method in response["Allow"].split(",")}


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


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_login_needs_the_csrf_token():
    make_user(username="carol", password=PASSWORD)
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("login"), {"username": "carol", "password": PASSWORD})
    assert response.status_code == 403
    page = browser.get(reverse("login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = browser.post(
        reverse("login"),
        {"username": "carol", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_login_is_throttled_after_repeated_failures(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    make_user(username="dave", password=PASSWORD)
    for _ in range(2):
        response = client.post(reverse("login"), {"username": "dave", "password": "guess"})
        assert response.status_code == 200
        assert "Please enter a correct username" in response.content.decode()
    # The third failure locks (username, address), and says so.
    response = client.post(reverse("login"), {"username": "dave", "password": "guess"})
    assert response.status_code == 429
    # Locked: even the right password is not checked now.
    response = client.post(reverse("login"), {"username": "DAVE ", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from another address is not affected.
    make_user(username="erin", password=PASSWORD)
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert (
        other.post(reverse("login"), {"username": "erin", "password": PASSWORD}).status_code == 302
    )


def test_one_address_guessing_many_usernames_is_throttled(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2  # × 4 for an address
    for n in range(8):
        client.post(reverse("login"), {"username": f"nobody{n}", "password": "guess"})
    make_user(username="frank", password=PASSWORD)
    response = client.post(reverse("login"), {"username": "frank", "password": PASSWORD})
    assert response.status_code == 429


def test_a_successful_login_clears_the_username_count(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    make_user(username="gina", password=PASSWORD)
    for _ in range(2):
        client.post(reverse("login"), {"username": "gina", "password": "guess"})
    assert (
        client.post(reverse("login"), {"username": "gina", "password": PASSWORD}).status_code == 302
    )
    client.logout()
    for _ in range(2):
        client.post(reverse("login"), {"username": "gina", "password": "guess"})
    assert (
        client.post(reverse("login"), {"username": "gina", "password": PASSWORD}).status_code == 302
    )


def test_log_in_and_out(client, course_world):
    login_page = client.get("/login/")
    assert login_page.status_code == 200 and 'autocomplete="current-password"' in login_page.text
    failed = client.post("/login/", {"username": "creator", "password": "wrong"})
    assert failed.status_code == 200 and 'class="alert alert-error"' in failed.text
    response = client.post("/login/", {"username": "creator", "password": "pw-creator"})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert "Log out" in home.text and "Shared course" in home.text
    assert client.get("/logout/").status_code == 405  # logging out takes a POST (CSRF-safe)
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_log_in_returns_to_the_page_asked_for(client, course_world):
    course_url = f"/courses/{course_world['course'].pk}/?search=a"
    response = client.post(
        "/login/", {"username": "manager", "password": "pw-manager", "next": course_url}
    )
    assert response["Location"] == course_url
