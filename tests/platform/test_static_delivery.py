"""What a dashboard page costs to load, and how its static files are cached."""

import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

from tests.factories import days_ago, make_course, make_member, make_user

PAGE_WEIGHT_LIMIT = 150 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+\.(?:css|js))"')


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.django_db
def test_a_dashboard_page_weighs_under_150_kb(client):
    """HTML + CSS + JS, uncompressed, of a course page of 100 members as it opens (20 rows)."""
    viewer = make_user(username="viewer", is_superuser=True)
    course = make_course("Weighed course")
    for index in range(100):
        member = make_user(
            username=f"learner{index:03d}", first_name="Learner", last_name=f"N{index}"
        )
        make_member(member, course, completion_rate=index, joined_at=days_ago(index))
    client.force_login(viewer)
    page = client.get(f"/courses/{course.pk}/")
    assert page.status_code == 200
    html = _body(page)
    assets = ASSET.findall(html.decode())
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    weights = {"html": len(html)}
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        weights[url] = len(_body(asset))
    total = sum(weights.values())
    assert html.count(b"data-user-id=") == 20
    assert total < PAGE_WEIGHT_LIMIT, f"{total} bytes: {weights}"


@pytest.mark.django_db
def test_static_files_have_hashed_names_and_far_future_cache_headers(tmp_path, settings):
    """collectstatic with the production storage, then whitenoise serves the hashed names."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    with override_settings(DEBUG=False):
        hashed = static("css/app.css")
        assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", hashed), hashed
        client = Client()  # a new handler: whitenoise reads the collected files now
        response = client.get(hashed)
        assert response.status_code == 200
        cache = response["Cache-Control"]
        assert "max-age=315360000" in cache and "immutable" in cache
        assert client.get(static("js/app.js"), HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] in (
            "gzip",
            "br",
        )
        page = client.get("/login/")
        assert hashed in page.content.decode()
