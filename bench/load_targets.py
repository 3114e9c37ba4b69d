"""The targets of the throughput run (bench/load.sh): the tier's database built when empty
(bench/tiers.py), then one wrk targets file per target in OUT (read by bench/load.lua: the
headers, a blank line, the path) and their list on stdout, one `name<TAB>file` a line.

    DATABASE_URL=… DEBUG=true .venv/bin/python bench/load_targets.py OUT

The API targets send the demo org admin's token, the pages a browser session of the org admin
(the org members page) or of the superuser (the Django admin peer), as bench/run.py does.
"""

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
from django.core.management import call_command  # noqa: E402

from bench import tiers  # noqa: E402
from bench.reliability_targets import browser_session  # noqa: E402
from dashboards.demo import generator as demo  # noqa: E402


def targets():
    org_admin, superuser = tiers.demo_people()
    org, course = tiers.BIG_ORG_ID, tiers.biggest_course().pk
    token = {"Authorization": f"Bearer {demo.ORG_ADMIN_TOKEN}"}

    def session(user):
        return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={browser_session(user)}"}

    members = f"/vfo/orgs/{org}/dashboard/members"
    return [
        ("a static file (the stack's ceiling)", "/static/css/app.css", {}),
        ("org members API", members, token),
        ("course users API (largest course)", f"/api/v2/course/{course}/users/", token),
        ("org members API, filter=ann", f"{members}?filter=ann", token),
        ("org members page (HTML)", f"/orgs/{org}/members/", session(org_admin)),
        (
            "peer: admin user changelist, q=bjorn",
            "/admin/dashboards/user/?q=bjorn",
            session(superuser),
        ),
    ]


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    tiers.ensure_tier("M", out=lambda line: print(line, file=sys.stderr))
    for index, (name, path, headers) in enumerate(targets()):
        file = out / f"target-{index}.txt"
        lines = [f"{header}: {value}" for header, value in headers.items()]
        file.write_text("\n".join([*lines, "", path]) + "\n")
        print(f"{name}\t{file}")


if __name__ == "__main__":
    main()
