"""Response headers: the security headers and the Content Security Policy on every page (no inline
script or style, htmx configured for the policy), the middleware's own 400s included."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_pages_carry_the_security_headers(client, admin_world):
    client.force_login(admin_world["admin"])
    for url in ("/", reverse("login"), reverse("course-detail", args=[admin_world["course"].pk])):
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


def test_pages_hold_no_inline_script_or_style(client, admin_world):
    client.force_login(admin_world["admin"])
    urls = [
        "/",
        reverse("course-detail", args=[admin_world["course"].pk]),
        reverse("org-members", args=[admin_world["acme"].pk]),
        reverse("org-member-detail", args=[admin_world["acme"].pk, admin_world["admin"].pk]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        for pattern in INLINE_CODE:
            assert not pattern.search(html), (url, pattern.pattern)
    client.logout()
    html = client.get(reverse("login")).content.decode()
    assert not any(pattern.search(html) for pattern in INLINE_CODE)


def test_htmx_is_configured_for_the_policy(client, admin_world):
    client.force_login(admin_world["admin"])
    html = client.get("/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html
    css = client.get("/static/css/app.css")
    assert b".htmx-indicator" in b"".join(css.streaming_content)


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
