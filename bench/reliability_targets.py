"""Prepare a loaded database for the load run and the outage drill; print the request mix.

    DATABASE_URL=… DEBUG=true .venv/bin/python bench/reliability_targets.py > targets.json

Picks the largest course, the org with the most direct members, one of its members, and a
container's first portal; makes (or reuses) a superuser `bench-admin` with a browser session
and a user token. Prints JSON: {"headers": {...}, "paths": [...]}, read by bench/load.lua
(through bench/reliability.sh) and bench/outage_drill.py.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import Count  # noqa: E402

from dashboards.access.keys import issue_key  # noqa: E402
from dashboards.models import Course, Credential, Org, OrgRole, User  # noqa: E402


def bench_admin():
    user = User.objects.filter(username="bench-admin").first()
    if user is None:
        user = User(username="bench-admin", is_superuser=True, is_staff=True)
        user.set_unusable_password()
        user.save()
    return user


def browser_session(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def main():
    admin = bench_admin()
    Credential.objects.filter(user=admin).delete()
    _, key = issue_key(Credential.TOKEN, user=admin)
    course = Course.objects.annotate(n=Count("members")).order_by("-n", "pk").values("pk").first()
    org = (
        OrgRole.objects.values("org_id")
        .annotate(n=Count("user_id"))
        .order_by("-n", "org_id")
        .first()
    )
    org_id = org["org_id"]
    member = OrgRole.objects.filter(org_id=org_id).order_by("user_id").values("user_id").first()
    portal = Org.objects.filter(org_type=Org.PORTAL).order_by("pk").values("pk", "container_id")
    portal = portal.first()
    course_id, user_id = course["pk"], member["user_id"]
    paths = [
        f"/api/v2/course/{course_id}/users/",
        f"/api/v2/course/{course_id}/users/?search=ma&ordering=-last_active_at&limit=50",
        f"/api/v2/course/{course_id}/users/?statuses=joined,invited&offset=200",
        f"/api/v2/course/{course_id}/dashboard/",
        f"/vfo/orgs/{org_id}/dashboard/members",
        f"/vfo/orgs/{org_id}/dashboard/members?sort=lastSeen&order=descending&page=3",
        f"/vfo/orgs/{org_id}/dashboard/members?role=org-learner&filter=an&perPage=50",
        f"/vfo/orgs/{org_id}/dashboard/members/{user_id}/courses",
        f"/vfo/container/{portal['container_id']}/portal/{portal['pk']}/dashboard/members",
        "/",
        f"/courses/{course_id}/",
        f"/orgs/{org_id}/members/",
    ]
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser_session(admin)}"
    # Both on every request: the API reads the key, the pages the session.
    headers = {"Authorization": f"Bearer {key}", "Cookie": cookie}
    json.dump({"headers": headers, "paths": paths}, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
