"""Who a request is (dashboards/access/authentication.py): keys looked up by their hash (partner,
token, session; expired, revoked or an inactive user's refused, at exactly the expiry instant),
presented as Bearer or SID and never read from the query string; a bad key refused even beside a
valid cookie; the credential cache; one idle policy for session keys and browser sessions (24
hours, each use extends it)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from dashboards.access.authentication import (
    InvalidCredentials,
    credentials,
    principal_for_key,
    principal_for_request,
)
from dashboards.access.keys import revoke_key
from dashboards.models import Credential
from tests.factories import make_credential, make_org, make_user
from tests.vfo import courses_url, members_url, portal_url
from tests.worlds import admin_api_urls

pytestmark = pytest.mark.django_db


def test_the_plaintext_key_is_never_stored():
    credential, key = make_credential(Credential.PARTNER, key="plain-text-partner-key")
    row = Credential.objects.filter(pk=credential.pk).values().get()
    assert key not in str(row)
    assert row["key_hash"] == Credential.hash_key(key)


def test_keys_are_looked_up_by_hash():
    user = make_user()
    _, key = make_credential(Credential.TOKEN, user=user)
    assert principal_for_key(key).user == user
    with pytest.raises(InvalidCredentials):
        principal_for_key(key + "x")


def test_partner_key_has_no_user():
    _, key = make_credential(Credential.PARTNER)
    principal = principal_for_key(key)
    assert principal.is_partner and principal.user is None


def test_expired_key_is_refused_from_its_expiry_instant():
    now = timezone.now()
    _, key = make_credential(Credential.TOKEN, user=make_user(), expires_at=now)
    with pytest.raises(InvalidCredentials):
        principal_for_key(key, now=now)
    assert principal_for_key(key, now=now - timezone.timedelta(seconds=1)).user is not None


def test_revoked_key_is_refused():
    _, key = make_credential(Credential.TOKEN, user=make_user(), revoked=True)
    with pytest.raises(InvalidCredentials):
        principal_for_key(key)


def test_key_of_an_inactive_user_is_refused():
    _, key = make_credential(Credential.TOKEN, user=make_user(is_active=False))
    with pytest.raises(InvalidCredentials):
        principal_for_key(key)


def test_session_expires_after_24_idle_hours_and_each_use_extends_it():
    now = timezone.now()
    container = make_org("Acme")
    credential, key = make_credential(
        Credential.SESSION,
        user=make_user(),
        container=container,
        last_used_at=now - timezone.timedelta(hours=23),
    )
    principal = principal_for_key(key, now=now)
    assert principal.container_id == container.pk
    credential.refresh_from_db()
    assert credential.last_used_at == now
    with pytest.raises(InvalidCredentials):
        principal_for_key(key, now=now + timezone.timedelta(hours=24))


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer {key}"},
        {"HTTP_AUTHORIZATION": "Token {key}"},
        {"HTTP_AUTHORIZATION": "token  {key} "},
        {"HTTP_SID": "{key}"},
    ],
    ids=["bearer", "token", "token-any-case-and-blanks", "sid"],
)
def test_request_credentials_by_bearer_token_or_sid(headers):
    user = make_user()
    _, key = make_credential(Credential.TOKEN, user=user)
    request = RequestFactory().get("/", **{k: v.format(key=key) for k, v in headers.items()})
    assert principal_for_request(request).user == user


@pytest.mark.parametrize(
    "authorization", ["Token", "Token ", "Basic {key}", "Tokens {key}", "{key}", "Token x{key}"]
)
def test_other_authorization_headers_are_refused(authorization):
    _, key = make_credential(Credential.TOKEN, user=make_user())
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=authorization.format(key=key))
    with pytest.raises(InvalidCredentials):
        principal_for_request(request)


def test_a_bad_key_is_refused_even_with_a_valid_cookie():
    user = make_user()
    request = RequestFactory().get("/", HTTP_AUTHORIZATION="Bearer not-a-key")
    request.user = user
    with pytest.raises(InvalidCredentials):
        principal_for_request(request)


def test_cookie_session_without_key_and_anonymous():
    user = make_user()
    request = RequestFactory().get("/?SID=whatever")
    request.user = user
    assert principal_for_request(request).user == user
    request.user = None
    assert principal_for_request(request) is None


def test_both_api_families_answer_the_token_scheme_as_bearer(client, org_world):
    w = org_world
    urls = [
        f"/api/v2/course/{w.both.pk}/users/",
        f"/api/v2/course/{w.both.pk}/dashboard/",
        members_url(w.sales),
        members_url(w.sales, prefix="orgs"),
        courses_url(w.sales, w.course_learner),
        portal_url(w.acme, w.academy),
    ]
    for url in urls:
        bearer = client.get(url, headers={"Authorization": f"Bearer {w.keys['acme_admin']}"})
        token = client.get(url, headers={"Authorization": f"Token {w.keys['acme_admin']}"})
        assert bearer.status_code == token.status_code == 200, url
        assert token.json() == bearer.json(), url
        outsider = client.get(url, headers={"Authorization": f"Token {w.keys['globex_admin']}"})
        assert outsider.status_code == 403, url
        refused = client.get(url, headers={"Authorization": "Token not-a-key"})
        assert refused.status_code == 401, url
        assert refused["WWW-Authenticate"] == 'Bearer realm="api"', url


# The credential cache (settings.CREDENTIAL_CACHE_SECONDS) -----------------------------------


@pytest.fixture
def cached(settings, monkeypatch):
    """Credentials kept 5 s, on a clock the test moves."""
    settings.CREDENTIAL_CACHE_SECONDS = 5
    clock = {"now": 1000.0}
    monkeypatch.setattr(credentials, "clock", lambda: clock["now"])
    credentials.clear()
    yield clock
    credentials.clear()


def test_a_kept_token_costs_no_query(cached, django_assert_num_queries):
    user = make_user()
    _, key = make_credential(Credential.TOKEN, user=user)
    principal_for_key(key)
    with django_assert_num_queries(0):
        again = principal_for_key(key)
    assert again.user == user
    # Each caller gets its own user object.
    assert again.user is not principal_for_key(key).user


def test_revoking_through_the_app_takes_effect_at_once(cached):
    credential, key = make_credential(Credential.TOKEN, user=make_user())
    principal_for_key(key)
    revoke_key(key=key)
    with pytest.raises(InvalidCredentials):
        principal_for_key(key)
    _, other = make_credential(Credential.PARTNER)
    principal_for_key(other)
    Credential.objects.filter(key_hash=Credential.hash_key(other)).get().delete()
    with pytest.raises(InvalidCredentials):
        principal_for_key(other)


def test_a_saved_user_is_read_again(cached):
    user = make_user()
    _, key = make_credential(Credential.TOKEN, user=user)
    principal_for_key(key)
    user.is_active = False
    user.save()
    with pytest.raises(InvalidCredentials):
        principal_for_key(key)


def test_a_change_made_elsewhere_takes_effect_within_the_bound(cached):
    _, key = make_credential(Credential.TOKEN, user=make_user())
    principal_for_key(key)
    # Another process revokes it (no signal reaches this one).
    Credential.objects.filter(key_hash=Credential.hash_key(key)).update(revoked=True)
    cached["now"] += 4.9
    assert principal_for_key(key).user is not None
    cached["now"] += 0.2
    with pytest.raises(InvalidCredentials):
        principal_for_key(key)


def test_expiry_is_checked_on_every_request_and_sessions_are_never_kept(
    cached, django_assert_num_queries
):
    now = timezone.now()
    _, key = make_credential(
        Credential.TOKEN, user=make_user(), expires_at=now + timezone.timedelta(seconds=1)
    )
    principal_for_key(key, now=now)
    with pytest.raises(InvalidCredentials):
        principal_for_key(key, now=now + timezone.timedelta(seconds=1))
    _, session = make_credential(Credential.SESSION, user=make_user())
    principal_for_key(session)
    with django_assert_num_queries(1):
        principal_for_key(session)


PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_a_valid_cookie_with_a_bad_bearer_key_is_refused(client, admin_world):
    client.force_login(admin_world["admin"])
    for name, url in admin_api_urls(admin_world).items():
        assert client.get(url).status_code == 200, name
        assert client.get(url, headers=bearer("not-a-key")).status_code == 401, name


@pytest.mark.parametrize("param", ["key", "sid", "SID", "token", "access_token", "api_key"])
def test_credentials_in_the_query_string_are_ignored(client, admin_world, param):
    for name, url in admin_api_urls(admin_world).items():
        response = client.get(url, {param: admin_world["key"]})
        assert response.status_code == 401, name


def test_a_key_is_refused_at_exactly_its_expiry_instant(client, admin_world, monkeypatch):
    instant = timezone.now().replace(microsecond=0) + timezone.timedelta(hours=1)
    _, key = make_credential(Credential.TOKEN, user=admin_world["admin"], expires_at=instant)
    url = admin_api_urls(admin_world)["org members"]
    monkeypatch.setattr(timezone, "now", lambda: instant - timezone.timedelta(microseconds=1))
    assert client.get(url, headers=bearer(key)).status_code == 200
    monkeypatch.setattr(timezone, "now", lambda: instant)
    assert client.get(url, headers=bearer(key)).status_code == 401
    assert (
        client.get(admin_api_urls(admin_world)["course users"], headers=bearer(key)).status_code
        == 401
    )


def log_in(client, username, password, url="/login/"):
    return client.post(url, {"username": username, "password": password})


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
