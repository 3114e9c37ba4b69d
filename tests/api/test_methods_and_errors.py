"""Security items of issue 6: refused credentials, methods, caching, headers, CSP, CSRF, login
throttling, key commands, and 500s without internals."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboards.models import CourseMember, Credential, OrgRole
from tests.factories import make_course, make_credential, make_member, make_org, make_role
from tests.factories import make_user as make_user_row

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    acme = make_org("Acme")
    admin = make_user_row(username="boss", password=PASSWORD)
    make_role(admin, acme, OrgRole.ADMIN)
    course = make_course("Chemistry", container=acme)
    make_member(admin, course, CourseMember.MANAGER)
    _, key = make_credential(Credential.TOKEN, user=admin)
    return {"acme": acme, "admin": admin, "course": course, "key": key}


def api_urls(w):
    return {
        "course users": f"/api/v2/course/{w['course'].pk}/users/",
        "course dashboard": f"/api/v2/course/{w['course'].pk}/dashboard/",
        "org members": f"/vfo/orgs/{w['acme'].pk}/dashboard/members",
        "org members alias": f"/orgs/orgs/{w['acme'].pk}/dashboard/members",
        "member courses": f"/vfo/orgs/{w['acme'].pk}/dashboard/members/{w['admin'].pk}/courses",
    }


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_every_endpoint_answers_a_valid_key(client, world):
    for name, url in api_urls(world).items():
        assert client.get(url, headers=bearer(world["key"])).status_code == 200, name


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_with_allow_in_both_families(client, world, method):
    for name, url in api_urls(world).items():
        response = getattr(client, method)(url, headers=bearer(world["key"]))
        assert response.status_code == 405, name
        allowed = {m.strip() for m in response["Allow"].split(",")}
        assert "GET" in allowed and method.upper() not in allowed, name
        if url.startswith("/api/"):
            assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
        else:
            assert response.json() == {
                "error": 405,
                "message": f'Method "{method.upper()}" not allowed',
            }


def test_api_responses_are_private_and_not_stored(client, world):
    urls = [
        *api_urls(world).values(),
        "/api/v2/course/999999/users/",  # 404
        "/vfo/nowhere",  # the family's catch-all 404
        "/api/schema/",
    ]
    for url in urls:
        for headers in (bearer(world["key"]), {}):
            cache_control = client.get(url, headers=headers)["Cache-Control"]
            assert {part.strip() for part in cache_control.split(",")} == {"private", "no-store"}


def test_a_valid_cookie_with_a_bad_bearer_key_is_refused(client, world):
    client.force_login(world["admin"])
    for name, url in api_urls(world).items():
        assert client.get(url).status_code == 200, name
        assert client.get(url, headers=bearer("not-a-key")).status_code == 401, name


@pytest.mark.parametrize("param", ["key", "sid", "SID", "token", "access_token", "api_key"])
def test_credentials_in_the_query_string_are_ignored(client, world, param):
    for name, url in api_urls(world).items():
        response = client.get(url, {param: world["key"]})
        assert response.status_code == 401, name


def test_a_key_is_refused_at_exactly_its_expiry_instant(client, world, monkeypatch):
    instant = timezone.now().replace(microsecond=0) + timezone.timedelta(hours=1)
    _, key = make_credential(Credential.TOKEN, user=world["admin"], expires_at=instant)
    url = api_urls(world)["org members"]
    monkeypatch.setattr(timezone, "now", lambda: instant - timezone.timedelta(microseconds=1))
    assert client.get(url, headers=bearer(key)).status_code == 200
    monkeypatch.setattr(timezone, "now", lambda: instant)
    assert client.get(url, headers=bearer(key)).status_code == 401
    assert client.get(api_urls(world)["course users"], headers=bearer(key)).status_code == 401


def test_pages_carry_the_security_headers(client, world):
    client.force_login(world["admin"])
    for url in ("/", reverse("login"), reverse("course-detail", args=[world["course"].pk])):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "img-src 'self' https:" in csp  # avatars are external images


INLINE_CODE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # an inline script
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),  # onclick=… and friends
    re.compile(r"\shx-on[:-]", re.I),  # htmx inline handlers are eval'd code
    re.compile(r"javascript:", re.I),
]


def test_pages_hold_no_inline_script_or_style(client, world):
    client.force_login(world["admin"])
    urls = [
        "/",
        reverse("course-detail", args=[world["course"].pk]),
        reverse("org-members", args=[world["acme"].pk]),
        reverse("org-member-detail", args=[world["acme"].pk, world["admin"].pk]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        for pattern in INLINE_CODE:
            assert not pattern.search(html), (url, pattern.pattern)
    client.logout()
    html = client.get(reverse("login")).content.decode()
    assert not any(pattern.search(html) for pattern in INLINE_CODE)


def test_htmx_is_configured_for_the_policy(client, world):
    client.force_login(world["admin"])
    html = client.get("/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    css = client.get("/static/css/app.css")
    assert b".htmx-indicator" in b"".join(css.streaming_content)


def test_login_needs_the_csrf_token():
    make_user_row(username="carol", password=PASSWORD)
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
    make_user_row(username="dave", password=PASSWORD)
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
    make_user_row(username="erin", password=PASSWORD)
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert (
        other.post(reverse("login"), {"username": "erin", "password": PASSWORD}).status_code == 302
    )


def test_one_address_guessing_many_usernames_is_throttled(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2  # × 4 for an address
    for n in range(8):
        client.post(reverse("login"), {"username": f"nobody{n}", "password": "guess"})
    make_user_row(username="frank", password=PASSWORD)
    response = client.post(reverse("login"), {"username": "frank", "password": PASSWORD})
    assert response.status_code == 429


def test_a_successful_login_clears_the_username_count(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    make_user_row(username="gina", password=PASSWORD)
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


def run_create_key(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_key", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_create_key_prints_a_strong_key_once_and_stores_its_hash(client, world):
    key, note = run_create_key("--user", "boss")
    assert len(key) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", key)  # 32 random bytes
    assert "shown only now" in note and key not in note
    credential = Credential.objects.get(key_hash=Credential.hash_key(key))
    assert credential.kind == Credential.TOKEN and credential.user == world["admin"]
    assert key not in str(Credential.objects.filter(pk=credential.pk).values().get())
    assert client.get(api_urls(world)["org members"], headers=bearer(key)).status_code == 200
    # Two keys never repeat.
    assert run_create_key("--user", "boss")[0] != key


def test_create_key_options(world):
    partner, _ = run_create_key("--kind", "partner", "--expires-in-days", "30")
    credential = Credential.objects.get(key_hash=Credential.hash_key(partner))
    assert credential.user is None and credential.expires_at > timezone.now()
    session, _ = run_create_key(
        "--kind", "session", "--user", str(world["admin"].pk), "--container", str(world["acme"].pk)
    )
    credential = Credential.objects.get(key_hash=Credential.hash_key(session))
    assert credential.container == world["acme"]
    for args in (
        ["--kind", "partner", "--user", "boss"],
        ["--kind", "token"],
        ["--user", "nobody-at-all"],
        ["--user", "boss", "--expires-at", "tomorrow"],
        ["--user", "boss", "--kind", "session", "--container", "999999"],
    ):
        with pytest.raises(CommandError):
            run_create_key(*args)


def test_revoke_key_by_key_and_by_id(client, world):
    key, _ = run_create_key("--user", "boss")
    url = api_urls(world)["course users"]
    assert client.get(url, headers=bearer(key)).status_code == 200
    call_command("revoke_key", key, stdout=io.StringIO())
    assert client.get(url, headers=bearer(key)).status_code == 401
    with pytest.raises(CommandError):
        call_command("revoke_key", key, stdout=io.StringIO())
    other, _ = run_create_key("--user", "boss")
    credential = Credential.objects.get(key_hash=Credential.hash_key(other))
    call_command("revoke_key", "--id", str(credential.pk), stdout=io.StringIO())
    assert client.get(url, headers=bearer(other)).status_code == 401


TRACE_MARKERS = ["Traceback", "RuntimeError", "SELECT", "boom-secret", 'File "']


@pytest.fixture
def broken_selectors(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom-secret SELECT * FROM dashboards_user")

    monkeypatch.setattr("dashboards.api.courses.course_stats", explode)
    monkeypatch.setattr("dashboards.listings.org_members", explode)


def test_500s_show_no_traceback_or_sql(client, world, broken_selectors, settings):
    assert settings.DEBUG is False
    client.raise_request_exception = False
    headers = bearer(world["key"])
    response = client.get(api_urls(world)["org members"], headers=headers)
    assert response.status_code == 500
    assert response.json() == {"error": 500, "message": "Internal server error"}
    response = client.get(api_urls(world)["course dashboard"], headers=headers)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.content.decode()
    assert not any(marker in body for marker in TRACE_MARKERS), body
    assert (
        response["Cache-Control"] == "private, no-store" or "no-store" in response["Cache-Control"]
    )


def test_a_500_page_shows_no_traceback(client, world, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom-secret SELECT * FROM dashboards_user")

    monkeypatch.setattr("dashboards.web.courses.course_by_id", explode)
    client.raise_request_exception = False
    client.force_login(world["admin"])
    response = client.get(reverse("course-detail", args=[world["course"].pk]))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert not any(marker in body for marker in TRACE_MARKERS), body


def test_issued_keys_never_start_with_a_dash(monkeypatch):
    from dashboards.access import keys

    drawn = iter(
        ["-looks-like-an-option-000000000000000000000", "a-plain-key-0000000000000000000000000"]
    )
    monkeypatch.setattr(keys.secrets, "token_urlsafe", lambda n: next(drawn))
    assert keys.new_key() == "a-plain-key-0000000000000000000000000"
