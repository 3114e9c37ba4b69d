"""manage.py seed_demo: a realistic, deterministic demo with DEMO-ONLY logins and keys."""

from datetime import UTC, date, datetime, time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dashboards.dataset.errors import DatasetError
from dashboards.demo import generator as demo
from dashboards.demo.generator import (
    MANAGER,
    ORG_ADMIN,
    ORG_ADMIN_SESSION,
    ORG_ADMIN_TOKEN,
    PARTNER_KEY,
    SUPERUSER,
)
from dashboards.models import User

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Seed a realistic demo: orgs, courses, users and members, the same for the same "
        "--users and --seed. Prints the demo logins and API keys (public, DEMO ONLY)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--users",
            type=int,
            default=demo.DEFAULT_USERS,
            help=f"number of users (at least {demo.MIN_USERS}; default {demo.DEFAULT_USERS})",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="random seed (default 1)"
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="the demo's today: times are relative to its midnight UTC (default: today)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="write nothing when the database already has users (just print the logins)",
        )
        parser.add_argument(
            "--demo-host",
            action="store_true",
            help="this host is a public demo: seed even without DEBUG (its logins are public)",
        )
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help=f"the address the printed links use (default {DEFAULT_BASE_URL}; "
            "make run passes its HOST and PORT)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the existing users, orgs, courses, members and credentials first",
        )

    def handle(
        self,
        *args,
        users,
        seed,
        as_of,
        if_empty,
        replace,
        verbosity,
        demo_host,
        base_url,
        **options,
    ):
        self.base_url = base_url.rstrip("/")
        if not (settings.DEBUG or settings.DEMO_HOST or demo_host):
            raise CommandError(
                "DEBUG is off: this looks like a production host, and the demo's superuser "
                "password and partner key are public. Pass --demo-host (or set DEMO_HOST=true) "
                "if this host is a demo."
            )
        if users < demo.MIN_USERS:
            raise CommandError(f"--users must be at least {demo.MIN_USERS}.")
        if User.objects.exists():
            if if_empty:
                self.stdout.write("The database already has users: nothing written.\n")
                self._print_access()
                return
            if not replace:
                raise CommandError(
                    "The database already has users. Use --if-empty to keep them, or "
                    "--replace to delete them and seed the demo."
                )
        try:
            now = datetime.combine(as_of, time.min, tzinfo=UTC) if as_of else None
            counts = demo.seed_demo(users, seed, now=now, replace=replace, progress=verbosity > 0)
        except DatasetError as error:
            problems = "\n".join(f"  {problem}" for problem in error.problems[:50])
            raise CommandError(f"The demo did not load:\n{problems}") from error
        summary = ", ".join(f"{count:,} {kind}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo seeded (seed {seed}): {summary}.") + "\n")
        self._print_access()

    def _print_access(self):
        self.stdout.write("\n".join(access_report(demo.demo_access(), self.base_url)) + "\n")


def access_report(access, base_url=DEFAULT_BASE_URL):
    """The lines to print: URLs to open, demo logins and keys, one curl per API."""
    if not access.is_demo:
        return ["The demo logins are not in this database (it was not seeded by seed_demo)."]
    lines = [
        "Open:",
        f"  {base_url}/          the dashboards (log in with a demo login)",
        f"  {base_url}/admin/    the Django admin (as {SUPERUSER.username})",
        "",
        "Demo logins — DEMO ONLY, public passwords: never use them in production:",
    ]
    for login, present in access.logins:
        what = login.what
        if login is ORG_ADMIN and access.container is not None:
            what = f"admin of {access.container.title} (org {access.container.pk})"
        elif login is MANAGER:
            what = f"manages {access.managed_courses} courses, administers no org"
        state = "" if present else "   (missing from this database)"
        lines.append(f"  {login.username:<9} / {login.password:<20} {what}{state}")
    if access.keys:
        lines += ["", "Demo API keys — DEMO ONLY, public: never use them in production:"]
        for label, key in access.keys:
            if key == ORG_ADMIN_SESSION and access.container is not None:
                label += f" (bound to org {access.container.pk})"
            lines.append(f"  {label:<44} {key}")
    if access.course is not None and access.container is not None:
        course, org = access.course.pk, access.container.pk
        lines += [
            "",
            "Try the APIs:",
            f"  {base_url}/courses/{course}/   (the course page, in a browser)",
            f'  curl -H "Authorization: Bearer {ORG_ADMIN_TOKEN}" '
            f"{base_url}/api/v2/course/{course}/users/",
            f'  curl -H "SID: {ORG_ADMIN_SESSION}" {base_url}/vfo/orgs/{org}/dashboard/members',
            f'  curl -i -H "SID: {PARTNER_KEY}" '
            f'"{base_url}/vfo/orgs/{org}/dashboard/members?perPage=5&sort=lastSeen&order=descending"',
        ]
    return lines
