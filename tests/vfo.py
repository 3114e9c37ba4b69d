"""Calling the org dashboard API (/vfo) in tests: addresses, keys, and reading the answers."""

import json


def call(client, url, key=None, scheme="SID", **params):
    """GET url with a key in the SID header (or Authorization: Bearer)."""
    headers = {}
    if key is not None:
        headers = {"SID": key} if scheme == "SID" else {"Authorization": f"Bearer {key}"}
    return client.get(url, params, headers=headers)


def ids(response):
    assert response.status_code == 200, response.content
    return [entry["id"] for entry in response.json()]


def pagination(response):
    return json.loads(response["X-Pagination"])


def error(response):
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()["message"]


def members_url(org, prefix="vfo"):
    return f"/{prefix}/orgs/{org if isinstance(org, str) else org.pk}/dashboard/members"


def courses_url(org, user, prefix="vfo"):
    org = org if isinstance(org, str) else org.pk
    user = user if isinstance(user, str) else user.pk
    return f"/{prefix}/orgs/{org}/dashboard/members/{user}/courses"


def portal_url(container, portal, prefix="vfo"):
    container = container if isinstance(container, str) else container.pk
    portal = portal if isinstance(portal, str) else portal.pk
    return f"/{prefix}/container/{container}/portal/{portal}/dashboard/members"
