"""Record the dashboards' answers to a fixed set of read requests, and replay them against
another version of the code on the same database: a behaviour baseline for a restructuring.

    python replay.py prepare --project DIR --database-url URL --out FILE.json
    python replay.py record  --project DIR --database-url URL --out FILE.json
    python replay.py replay  --project DIR --database-url URL --recording FILE.json

Everything runs in this process, through django.test.Client: --project goes first on
sys.path and becomes the working directory, DATABASE_URL is --database-url, DEBUG=true,
DJANGO_SETTINGS_MODULE=site_config.settings, and ALLOWED_HOSTS gets `testserver` (the
client's host). The request log is off (REQUEST_LOG=false) and 4xx warnings are silenced;
an unhandled error is still logged. Nothing here imports the project's own modules: models
are reached through Django's app registry (`apps.get_model("dashboards", …)`), so the same
file replays against code whose modules have moved.

prepare (once per database, before record) creates the credentials the requests need and
writes their plaintext secrets to FILE.credentials.json next to the recording: a partner
key; a user token for each kind of caller it finds in the data (a superuser, the admin of a
container, the admin of an org below a container, the admin of another container, a course
manager who administers no org, an instructor, a plain learner); a session key of the
container admin bound to their container; an expired, a revoked and an inactive user's token;
and a browser session (client.force_login with Django's ModelBackend, whose dotted path no
restructuring moves) for each caller. Keys never expire, the expired one expired in 2001 and
the sessions end in 2036, so a recording stays replayable for as long as the database is
kept. Run again on a prepared database it checks the file against the database and writes
nothing.

record draws the requests from the ids in the database with a fixed random seed (the same
data gives the same requests), sends each once and writes FILE.json: per request its group,
method, path with query string, the extra request headers, the auth used (by name, resolved
from the credentials file), the status, the response headers that matter (Content-Type,
Content-Disposition, Cache-Control, WWW-Authenticate, Allow, Location, Link and every X-
header) and the body (text, or base64 when it is not UTF-8; a streamed body is read whole).
HTML pages are not requested (they carry CSRF tokens); the browser session's requests are
the CSV exports and emails.txt, and the course API read with the cookie.

replay sends the recorded requests again and compares status, headers and body bytes. It
prints how many matched and, for each mismatch, the request and a short diff (the first
differing JSON path, else a few lines of unified diff); it exits 1 on any mismatch, 2 when it
cannot run (no project, no credentials file, a database that was not prepared).

Neither record nor replay writes to the database: the run is one transaction, rolled back at
the end, and each request runs inside a savepoint rolled back after it. Serving a read does
write in two places (a browser session's idle clock, saved at most once a minute, and a
session key's last use), so without this the database would drift between runs; with it
every request sees exactly the prepared database. The app computes "now" in Python, never in
SQL, so the long transaction does not freeze any clock the answers read.

Normalized, and only these (the same way at record and at replay time):
- X-Request-ID: an id generated per request (uuid4().hex) when no trusted proxy sends one,
  so it is recorded as "<generated uuid4 hex>" when it has that shape.
- Content-Disposition of the CSV exports: the file name ends with the current UTC date
  (exports/spreadsheet.py file_name), so that date, when it is today's, is recorded as "{today}".
- In an HTML body (the 403 page a logged-in viewer gets from an export: its log-out and
  language forms), the value of each csrfmiddlewaretoken: Django masks the CSRF secret with
  a fresh random salt on every render, so it is recorded as "<csrf token>". Without this the
  self-replay of the same code matched 906 of 913 requests; these 7 were the misses.

Not normalized, but worth knowing when replaying against moved code: with DEBUG=true a 404
from an export's view is Django's technical 404 page, which names the view that raised it
("Raised by: dashboards.exports.downloads.view") and lists the URL patterns it tried.
Moving the view or the routes changes those lines and nothing a user or client sees;
`replay --ignore-raised-by` compares those pages without the view's name (both sides masked;
the recording keeps the bytes). The course API's OPTIONS
answer carries the view's name and docstring (DRF metadata), which a moved or re-documented
view changes too.

Not normalized, so record and replay must be close in time (minutes apart; re-record from
the base code before a replay that comes hours later): some answers count against the real
"now", which no normalization can take out of a count. They are the course filters
active_within and inactive_for (days before now) and the course dashboard's active_7d and
active_30d; the recording marks them `"reads_clock": true` (95 of the 918 requests) and
replay says how many of its mismatches are among them. The demo's times are spread to the
second, so members keep crossing those boundaries: replayed 30 minutes after recording, 4 of
918 requests differed by one member (active_30d 91 → 90 and the like), all of them marked.
To compare other code later, record again from the base code (the same data gives the same
requests) and replay right after. The org API's
since/until are fixed numbers taken from the data (quantiles of lastSeen), not from the
clock, and the pages' lastSeen=7d/30d/over30d choices (since/until from now) are not used.
"""

import argparse
import base64
import difflib
import hashlib
import json
import logging
import os
import random
import re
import secrets
import sys
import time
import unicodedata
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

FORMAT = 1
SEED = 61  # the requests' random seed: the same data always gives the same requests
FAR_FUTURE = datetime(2036, 1, 1, tzinfo=UTC)
LONG_AGO = datetime(2001, 1, 1, tzinfo=UTC)
RECORDED_HEADERS = (
    "content-type",
    "content-disposition",
    "cache-control",
    "www-authenticate",
    "allow",
    "location",
    "link",
)
GENERATED_REQUEST_ID = re.compile(r"[0-9a-f]{32}")
CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
RAISED_BY = re.compile(rb'(<th scope="row">Raised by:</th>\s*<td>)[^<]*(</td>)')
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
INACTIVE_USERNAME = "replay-inactive-user"


class SetupError(SystemExit):
    """A run that cannot start (no project, database not prepared, …): exit status 2."""

    def __init__(self, message):
        print(message, file=sys.stderr)
        super().__init__(2)


# Requests whose answers read the clock (timezone.now()): the course filters counted in days
# from now and the course dashboard's active_7d/active_30d.
CLOCK = re.compile(r"^/api/v2/course/[^/]+/dashboard/|[?&](active_within|inactive_for)=[^&]")


# --- set-up --------------------------------------------------------------------------------


def setup_django(project, database_url):
    """Run the project's code in this process, on the given database."""
    project = Path(project).resolve()
    if not (project / "manage.py").exists():
        raise SetupError(f"{project} is not a Django project (no manage.py).")
    sys.path.insert(0, str(project))
    os.chdir(project)
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    os.environ.update(
        DATABASE_URL=database_url,
        DEBUG="true",
        DJANGO_SETTINGS_MODULE="site_config.settings",
        ALLOWED_HOSTS=",".join(dict.fromkeys([*hosts, "testserver"])),
        REQUEST_LOG="false",
    )
    import django

    django.setup()
    # A 4xx is a recorded answer, not news; an unhandled error (500) is still logged.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    logging.getLogger("django.security").setLevel(logging.ERROR)


def model(name):
    from django.apps import apps

    return apps.get_model("dashboards", name)


def credentials_path(recording, given=None):
    if given:
        return Path(given)
    recording = Path(recording)
    return recording.with_name(recording.stem + ".credentials.json")


def session_store():
    from importlib import import_module

    from django.conf import settings

    return import_module(settings.SESSION_ENGINE).SessionStore


def key_hash(key):
    """How a key is stored (docs: only its SHA-256)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --- prepare -------------------------------------------------------------------------------


def find_people():
    """A user id for each kind of caller, and the org each admin administers."""
    User, OrgRole, CourseMember = model("User"), model("OrgRole"), model("CourseMember")
    roles = list(
        OrgRole.objects.order_by("user_id", "org_id").values_list(
            "user_id", "org_id", "role", "org__org_type", "org__container_id"
        )
    )
    admin_of = {}
    for user_id, org_id, role, org_type, container_id in roles:
        if role == "admin":
            admin_of.setdefault(user_id, []).append((org_id, org_type, container_id))
    role_users = {role: {r[0] for r in roles if r[2] == role} for role in ("admin", "instructor")}
    staff_links = set(
        CourseMember.objects.filter(join_status__in=["creator", "manager"]).values_list(
            "user_id", flat=True
        )
    )
    joined = Counter(
        CourseMember.objects.filter(join_status="joined").values_list("user_id", flat=True)
    )

    def first(candidates, preferred=None):
        candidates = sorted(candidates)
        if preferred:
            named = User.objects.filter(username=preferred, pk__in=candidates).first()
            if named is not None:
                return named.pk
        if not candidates:
            raise SetupError("The database has no user for one of the callers: seed the demo.")
        return candidates[0]

    superuser = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if superuser is None:
        raise SetupError("The database has no active superuser: seed the demo.")
    container_admins = {
        u for u, orgs in admin_of.items() if any(t == "container" for _, t, _ in orgs)
    }
    org_admin = first(container_admins, "orgadmin")
    container = next(o for o, t, _ in admin_of[org_admin] if t == "container")
    other_admin = first(
        u
        for u in container_admins
        if all(c != container for _, t, c in admin_of[u] if t == "container")
    )
    other_container = next(o for o, t, _ in admin_of[other_admin] if t == "container")
    sub_org_admin = first(
        u
        for u, orgs in admin_of.items()
        if u not in container_admins and any(t == "base" and c == container for _, t, c in orgs)
    )
    sub_org = next(o for o, t, c in admin_of[sub_org_admin] if t == "base" and c == container)
    manager = first(staff_links - role_users["admin"], "manager")
    instructor = first(role_users["instructor"] - role_users["admin"] - staff_links)
    learner = first(
        u
        for u, n in joined.items()
        if n >= 2
        and u not in staff_links
        and u not in role_users["admin"]
        and u not in role_users["instructor"]
    )
    return {
        "people": {
            "superuser": superuser.pk,
            "org_admin": org_admin,
            "sub_org_admin": sub_org_admin,
            "other_admin": other_admin,
            "manager": manager,
            "instructor": instructor,
            "learner": learner,
        },
        "orgs": {
            "org_admin": container,
            "sub_org_admin": sub_org,
            "other_admin": other_container,
        },
    }


def check_prepared(path):
    """The credentials file of a prepared database, checked against it."""
    SessionStore = session_store()
    creds = json.loads(path.read_text())
    Credential = model("Credential")
    stored = set(
        Credential.objects.filter(
            key_hash__in=[key_hash(k) for k in creds["keys"].values()]
        ).values_list("key_hash", flat=True)
    )
    missing = [name for name, key in creds["keys"].items() if key_hash(key) not in stored]
    missing += [name for name, key in creds["sessions"].items() if not SessionStore().exists(key)]
    return creds, missing


def prepare(args):
    path = credentials_path(args.out, args.credentials)
    if path.exists():
        creds, missing = check_prepared(path)
        if missing:
            raise SetupError(f"{path}: not in this database: {', '.join(missing)}.")
        print(
            f"Already prepared: {path} matches the database ({len(creds['keys'])} keys, "
            f"{len(creds['sessions'])} sessions). Nothing written."
        )
        return 0
    User, Credential = model("User"), model("Credential")
    if User.objects.filter(username=INACTIVE_USERNAME).exists():
        raise SetupError(
            f"This database was prepared already (user {INACTIVE_USERNAME!r} exists) but {path} "
            "is missing: restore that file, or rebuild the database."
        )
    from django.conf import settings
    from django.db import transaction
    from django.test import Client

    SessionStore = session_store()
    found = find_people()
    people = found["people"]
    keys = {}

    def issue(name, kind, user_id=None, **fields):
        keys[name] = f"replay-{name.replace(':', '-')}-{secrets.token_urlsafe(32)}"
        Credential.objects.create(
            key_hash=key_hash(keys[name]), kind=kind, user_id=user_id, **fields
        )

    with transaction.atomic():
        issue("partner", "partner")
        for caller, user_id in people.items():
            issue(f"token:{caller}", "token", user_id)
        issue(
            "session-key:org_admin",
            "session",
            people["org_admin"],
            container_id=found["orgs"]["org_admin"],
            expires_at=FAR_FUTURE,
        )
        issue("token:expired", "token", people["learner"], expires_at=LONG_AGO)
        issue("token:revoked", "token", people["learner"], revoked=True)
        inactive = User(username=INACTIVE_USERNAME, is_active=False)
        inactive.set_unusable_password()
        inactive.save()
        issue("token:inactive", "token", inactive.pk)
    sessions = {}
    for caller, user_id in people.items():
        client = Client()
        client.force_login(User.objects.get(pk=user_id), backend=MODEL_BACKEND)
        session = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
        session.set_expiry(FAR_FUTURE)
        session.save()
        sessions[f"session:{caller}"] = session.session_key
    creds = {
        "format": FORMAT,
        "note": "Plaintext secrets made by replay.py prepare for this database only.",
        "database": redact(args.database_url),
        **found,
        "keys": keys,
        "sessions": sessions,
    }
    path.write_text(json.dumps(creds, indent=1) + "\n")
    print(f"Prepared: {len(keys)} keys and {len(sessions)} browser sessions; secrets in {path}.")
    for caller, user_id in people.items():
        print(f"  {caller:<14} user {user_id}")
    return 0


def redact(url):
    return re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", url)


# --- the requests --------------------------------------------------------------------------


def fold(text):
    """The contracts' normalization: NFKD, combining marks removed, casefold."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def qs(*pairs):
    """A query string from (name, value) pairs, percent-encoded ([] kept in names)."""
    return "&".join(f"{quote(n, safe='[]')}={quote(str(v), safe=',')}" for n, v in pairs)


def with_query(path, query):
    return f"{path}?{query}" if query else path


class World:
    """The ids and values the requests are drawn from, read from the database in id order."""

    def __init__(self, creds):
        Course, CourseMember, CourseShare = (
            model("Course"),
            model("CourseMember"),
            model("CourseShare"),
        )
        Org, OrgRole, OrgMember, User = (
            model("Org"),
            model("OrgRole"),
            model("OrgMember"),
            model("User"),
        )
        self.people = creds["people"]
        self.admin_orgs = creds["orgs"]
        self.courses = list(
            Course.objects.order_by("pk").values_list("pk", "container_id", "title")
        )
        self.members = {}
        for course_id, user_id, status in CourseMember.objects.order_by(
            "course_id", "user_id"
        ).values_list("course_id", "user_id", "join_status"):
            self.members.setdefault(course_id, []).append((user_id, status))
        self.shares = {}
        for course_id, org_id in CourseShare.objects.order_by("pk").values_list(
            "course_id", "org_id"
        ):
            self.shares.setdefault(course_id, []).append(org_id)
        self.orgs = {
            pk: (org_type, container_id, parent_id)
            for pk, org_type, container_id, parent_id in Org.objects.order_by("pk").values_list(
                "pk", "org_type", "container_id", "parent_id"
            )
        }
        self.roster, self.enrolled = {}, {}
        for org_id, user_id, enrolled in OrgMember.objects.order_by(
            "org_id", "user_id"
        ).values_list("org_id", "user_id", "enrolled_count"):
            self.roster.setdefault(org_id, []).append(user_id)
            if enrolled:
                self.enrolled.setdefault(org_id, []).append(user_id)
        self.users = {
            pk: (username, first, last, email)
            for pk, username, first, last, email in User.objects.order_by("pk").values_list(
                "pk", "username", "first_name", "last_name", "email"
            )
        }
        self.role_orgs = {}
        for user_id, org_id in OrgRole.objects.order_by("pk").values_list("user_id", "org_id"):
            self.role_orgs.setdefault(user_id, set()).add(org_id)
        seen = sorted(
            int(moment.timestamp())
            for moment in User.objects.exclude(last_seen=None).values_list("last_seen", flat=True)
        )
        self.since = seen[len(seen) * 2 // 5]
        self.until = seen[len(seen) * 4 // 5]
        self.max_user = max(self.users)

    def of_type(self, org_type):
        return [pk for pk, (t, _, _) in self.orgs.items() if t == org_type]

    def container_of(self, org_id):
        return self.orgs[org_id][1]

    def course_container(self, course_id):
        return next(c for pk, c, _ in self.courses if pk == course_id)

    def managed_courses(self, user_id):
        return [
            c
            for c, rows in self.members.items()
            if any(u == user_id and s in ("creator", "manager") for u, s in rows)
        ]

    def terms(self, user_ids, rng):
        """Search words that find some of these users: a name's or username's fragment, the
        whole name in capitals, and a name with its accents dropped."""
        words = []
        for user_id in user_ids:
            username, first, last, _email = self.users[user_id]
            for text in (last, first, username):
                if text and len(text) >= 3:
                    words.append(text)
        if not words:
            return ["a", "e", "an"]
        picked = [rng.choice(words) for _ in range(4)]
        accented = [w for w in words if fold(w) != w.casefold()]
        out = [picked[0][1:4].lower(), picked[1].upper(), picked[2][:3]]
        out.append(fold(accented[0]) if accented else picked[3][-3:])
        return out

    def outsider(self, container):
        """A user with no role in the container's tree and no link to one of its courses."""
        tree = {pk for pk, (_, c, _) in self.orgs.items() if c == container}
        linked = {
            u
            for c, rows in self.members.items()
            if self.course_container(c) == container
            for u, _ in rows
        }
        return next(
            u
            for u in sorted(self.users)
            if u not in linked
            and not (self.role_orgs.get(u, set()) & tree)
            and self.users[u][0] != INACTIVE_USERNAME
        )


def auth(credential, via="Bearer"):
    """Present a named credential: Bearer, Token or SID header, or the session cookie."""
    if via == "cookie":
        return {"cookie": credential}
    if via == "SID":
        return {"header": "SID", "credential": credential}
    return {"header": "Authorization", "scheme": via, "credential": credential}


def raw_auth(header, value):
    return {"header": header, "value": value}


class Plan:
    """The requests, in order, each with its group (for the breakdown)."""

    def __init__(self, world, rng):
        self.world, self.rng, self.requests = world, rng, []

    def add(self, group, path, who=None, method="GET", headers=None):
        entry = {"group": group, "method": method, "path": path, "auth": who}
        if CLOCK.search(path):
            entry["reads_clock"] = True
        if headers:
            entry["send_headers"] = headers
        self.requests.append(entry)

    def caller(self, *names):
        """One of the named callers' tokens, presented in one of the three header forms."""
        name = self.rng.choice(names)
        credential = "partner" if name == "partner" else f"token:{name}"
        return auth(credential, self.rng.choice(["Bearer", "Token", "SID"]))


COURSE_ORDERINGS = [
    key
    for name in ("joined_at", "last_active_at", "real_name", "user_completion_rate", "join_status")
    for key in (name, f"-{name}")
]
STATUSES = ["creator", "manager", "joined", "invited", "requested"]


def course_queries(term):
    """Valid query strings of the course users endpoint (term: a search word)."""
    out = [""]
    out += [qs(("ordering", key)) for key in COURSE_ORDERINGS]
    out += [
        qs(("ordering", "joined_at,-last_active_at")),
        qs(("ordering", "-user_completion_rate,real_name")),
        qs(("ordering", "join_status"), ("ordering", "-joined_at")),
        qs(("ordering[]", "real_name"), ("ordering[]", "-last_active_at")),
        qs(("ordering[]", "-joined_at"), ("ordering", "user_completion_rate")),
        qs(("ordering", "real_name,-real_name")),
        qs(("ordering", "")),
    ]
    out += [qs(("statuses", s)) for s in STATUSES]
    out += [
        qs(("statuses", "invited,requested")),
        qs(("statuses", "invited"), ("statuses", "requested")),
        qs(("statuses", '["invited","requested"]')),
        qs(("statuses[]", "invited"), ("statuses[]", "requested")),
        qs(("statuses", "creator"), ("statuses[]", "manager")),
        qs(("statuses", ",".join(STATUSES))),
        qs(("statuses", "")),
        qs(("statuses", " joined , ,manager ")),
    ]
    out += [
        qs(("search", term)),
        qs(("search", term.upper())),
        qs(("search", f"{term} {term[:2]}")),
        qs(("search", "   ")),
        qs(("search", "zzzzqqq")),
        "search=%00",
        qs(("search", term), ("statuses", ",".join(STATUSES)), ("ordering", "real_name")),
    ]
    out += [
        qs(("limit", 1)),
        qs(("limit", 5), ("offset", 5)),
        qs(("limit", 100)),
        qs(("limit", 101)),
        qs(("limit", 100000)),
        qs(("limit", "")),
        qs(("limit", " 7 ")),
        qs(("offset", 0)),
        qs(("offset", 100000)),
        qs(("limit", 3), ("offset", 2), ("statuses", ",".join(STATUSES))),
        qs(("limit", "+3")),
    ]
    out += [
        qs(("completion_min", 50)),
        qs(("completion_max", 49)),
        qs(("completion_min", 100)),
        qs(("completion_min", 0), ("completion_max", 0)),
        qs(("completion_min", 20), ("completion_max", 80), ("ordering", "user_completion_rate")),
        qs(("completion_min", "")),
        qs(("active_within", 7)),
        qs(("active_within", 30), ("ordering", "-last_active_at")),
        qs(("active_within", 0)),
        qs(("inactive_for", 30)),
        qs(("inactive_for", 0)),
        qs(("inactive_for", 36500)),
        qs(("never_active", "true")),
        qs(("never_active", "false")),
        qs(("never_active", "1")),
        qs(("never_active", "0")),
        qs(("never_active", "TRUE")),
        qs(
            ("statuses", "joined"),
            ("completion_max", 49),
            ("inactive_for", 30),
            ("ordering", "user_completion_rate"),
        ),
        qs(("statuses", "joined"), ("completion_min", 100)),
        qs(("statuses", "creator,manager")),
        qs(("foo", "bar")),
        "foo=%00",
    ]
    return out


COURSE_BAD_QUERIES = [
    qs(("limit", 0)),
    qs(("limit", -1)),
    qs(("limit", "abc")),
    qs(("limit", "5.0")),
    qs(("limit", "1e3")),
    "limit=%00",
    qs(("offset", -1)),
    qs(("offset", "abc")),
    qs(("offset", "1.5")),
    qs(("statuses", "foo")),
    qs(("statuses", "joined,foo,bar")),
    qs(("statuses", ",".join(["joined"] * 17))),
    "statuses=%00",
    qs(("statuses", '["joined",')),
    qs(("ordering", "name")),
    qs(("ordering", "-")),
    qs(("ordering", "joined_at,bogus")),
    qs(("ordering", ",".join(["joined_at"] * 17))),
    "ordering=%00",
    qs(("completion_min", 101)),
    qs(("completion_min", -1)),
    qs(("completion_max", "abc")),
    qs(("completion_min", 60), ("completion_max", 40)),
    qs(("active_within", 36501)),
    qs(("inactive_for", -5)),
    qs(("inactive_for", "1.5")),
    qs(("never_active", "maybe")),
    qs(("never_active", "yes")),
    qs(("limit", 0), ("offset", "abc"), ("statuses", "foo"), ("ordering", "name")),
    qs(("completion_min", "x"), ("active_within", "y"), ("never_active", "z")),
    qs(("search", "x" * 301)),
    qs(("search", "é" * 300)),
    "search=%ff",
    "%ff=1",
]


def plan_course_api(plan):
    w, rng = plan.world, plan.rng
    p = w.people
    org_container = w.admin_orgs["org_admin"]
    managed = w.managed_courses(p["manager"])
    with_members = [c for c, _, _ in w.courses if len(w.members.get(c, [])) >= 5]
    own = [c for c in with_members if w.course_container(c) == org_container]

    def pick_course_and_caller():
        course = rng.choice(with_members)
        names = ["partner", "superuser"]
        if course in managed:
            names.append("manager")
        if course in own:
            names.append("org_admin")
        return course, plan.caller(*names)

    # Every valid query, twice: on two courses, as two callers, each with its own words.
    for round_ in range(2):
        for index in range(len(course_queries("x"))):
            course, who = pick_course_and_caller()
            term = w.terms([u for u, _ in w.members[course]], rng)[round_ * 2]
            query = course_queries(term)[index]
            plan.add(
                "course users: parameters",
                with_query(f"/api/v2/course/{course}/users/", query),
                who,
            )
    for query in COURSE_BAD_QUERIES:
        course, who = pick_course_and_caller()
        plan.add(
            "course users: bad parameters",
            with_query(f"/api/v2/course/{course}/users/", query),
            who,
        )
    # Paging to the end: every page of one course at a small limit.
    course = max(with_members, key=lambda c: len(w.members[c]))
    count = sum(1 for _, s in w.members[course] if s in ("manager", "joined"))
    for offset in range(0, count + 40, 40):
        plan.add(
            "course users: paging",
            with_query(f"/api/v2/course/{course}/users/", qs(("limit", 40), ("offset", offset))),
            auth("partner", "SID"),
        )
    plan_course_rights(plan, "/api/v2/course/{course}/users/", "course users: rights")


def plan_course_rights(plan, template, group):
    """Who may read a course endpoint: every caller on own and foreign courses, and the
    401/403/404 answers."""
    w = plan.world
    p = w.people
    org_container = w.admin_orgs["org_admin"]
    managed = w.managed_courses(p["manager"])
    own = [c for c, k, _ in w.courses if k == org_container and w.shares.get(c)]
    own_unshared = [c for c, k, _ in w.courses if k == org_container and not w.shares.get(c)]
    foreign = [c for c, k, _ in w.courses if k != org_container]
    sub_org_courses = [
        c
        for c, orgs in w.shares.items()
        if w.admin_orgs["sub_org_admin"] in orgs
        or any(w.orgs[o][2] == w.admin_orgs["sub_org_admin"] for o in orgs)
    ]
    learner_course = next(c for c, rows in w.members.items() if (p["learner"], "joined") in rows)
    cases = [
        (own[0], auth("partner", "Bearer")),
        (foreign[0], auth("partner", "Token")),
        (own[1], auth("token:superuser", "SID")),
        (foreign[1], auth("session:superuser", "cookie")),
        (own[0], auth("token:org_admin", "Bearer")),
        (own[1], auth("session-key:org_admin", "SID")),
        (foreign[0], auth("token:org_admin", "Bearer")),
        (foreign[0], auth("session-key:org_admin", "SID")),
        (own[0], auth("session:org_admin", "cookie")),
        (foreign[-1], auth("token:other_admin", "Token")),
        (own[0], auth("token:other_admin", "Bearer")),
        (managed[0], auth("token:manager", "Bearer")),
        (managed[-1], auth("session:manager", "cookie")),
        (next(c for c, _, _ in w.courses if c not in managed), auth("token:manager", "Token")),
        (learner_course, auth("token:learner", "Bearer")),
        (learner_course, auth("session:learner", "cookie")),
        (own[0], auth("token:instructor", "SID")),
        (own[0], None),
        (own[0], raw_auth("Authorization", "Bearer not-a-key")),
        (own[0], raw_auth("SID", "not-a-key")),
        (own[0], raw_auth("SID", "  ")),
        (own[0], raw_auth("Authorization", "Basic dXNlcjpwYXNz")),
        (own[0], raw_auth("Authorization", "Bearer")),
        (own[0], auth("token:expired", "Bearer")),
        (own[0], auth("token:revoked", "Bearer")),
        (own[0], auth("token:inactive", "Bearer")),
        (own[0], {**raw_auth("Authorization", "Bearer not-a-key"), "cookie": "session:superuser"}),
        ("abc", auth("partner")),
        ("0", auth("partner")),
        ("-1", auth("partner")),
        ("999999", auth("partner")),
        ("1.0", auth("partner")),
        ("999999", None),
        ("999999", auth("token:learner")),
    ]
    if own_unshared:
        cases.append((own_unshared[0], auth("token:org_admin")))
    for course in sub_org_courses[:2]:
        cases.append((course, auth("token:sub_org_admin", "SID")))
    cases.append((foreign[0], auth("token:sub_org_admin", "SID")))
    for course, who in cases:
        plan.add(group, template.format(course=course), who)


def plan_course_user_and_dashboard(plan):
    w, rng = plan.world, plan.rng
    p = w.people
    courses = [c for c, _, _ in w.courses if len(w.members.get(c, [])) >= 5]
    for course in rng.sample(courses, 8):
        rows = w.members[course]
        by_status = {}
        for user_id, status in rows:
            by_status.setdefault(status, []).append(user_id)
        for status in STATUSES:
            if by_status.get(status):
                user_id = rng.choice(by_status[status])
                plan.add(
                    "course user",
                    f"/api/v2/course/{course}/users/{user_id}/",
                    plan.caller("partner", "superuser"),
                )
        members = {u for u, _ in rows}
        stranger = next(u for u in sorted(w.users) if u not in members)
        plan.add(
            "course user",
            f"/api/v2/course/{course}/users/{stranger}/",
            plan.caller("partner", "superuser"),
        )
    course = courses[0]
    member = w.members[course][0][0]
    for user_id in ("abc", "0", "-5", str(w.max_user + 1000), "1.5"):
        plan.add(
            "course user: errors", f"/api/v2/course/{course}/users/{user_id}/", auth("partner")
        )
    learner_course = next(c for c, rows in w.members.items() if (p["learner"], "joined") in rows)
    for who in (
        auth("token:learner"),
        auth("token:instructor"),
        None,
        auth("token:revoked"),
        auth("token:manager", "SID"),
    ):
        plan.add(
            "course user: errors", f"/api/v2/course/{learner_course}/users/{p['learner']}/", who
        )
    plan.add("course user: errors", f"/api/v2/course/abc/users/{member}/", auth("partner"))
    plan.add("course user: errors", f"/api/v2/course/999999/users/{member}/", auth("token:learner"))
    managed = w.managed_courses(p["manager"])
    for course in managed[:3]:
        user_id = w.members[course][-1][0]
        plan.add(
            "course user",
            f"/api/v2/course/{course}/users/{user_id}/",
            auth("session:manager", "cookie"),
        )
    # The dashboard of every course, then its rights.
    for course, _, _ in w.courses:
        plan.add(
            "course dashboard",
            f"/api/v2/course/{course}/dashboard/",
            plan.caller("partner", "superuser"),
        )
    plan_course_rights(plan, "/api/v2/course/{course}/dashboard/", "course dashboard: rights")
    # Methods and HEAD.
    plan.add("course: methods", f"/api/v2/course/{course}/users/", auth("partner"), "POST")
    plan.add("course: methods", f"/api/v2/course/{course}/dashboard/", auth("partner"), "DELETE")
    plan.add("course: methods", f"/api/v2/course/{course}/users/", None, "PUT")
    plan.add("course: methods", f"/api/v2/course/{course}/users/", auth("partner"), "HEAD")
    plan.add("course: methods", f"/api/v2/course/{course}/users/", auth("partner"), "OPTIONS")
    plan.add(
        "course: language",
        f"/api/v2/course/{course}/users/?limit=abc&statuses=x",
        auth("partner"),
        headers={"Accept-Language": "fr"},
    )
    plan.add(
        "course: language",
        f"/api/v2/course/{course}/users/?limit=2",
        auth("partner"),
        headers={"Accept-Language": "de"},
    )


ORG_SORTS = ["fullName", "lastSeen", "role", "enrolledCount", "completedCount"]
ROLES = ["admin", "instructor", "org-learner", "course-learner"]


def org_queries(term, since, until):
    """Valid query strings of the org and portal members endpoints."""
    out = [""]
    out += [qs(("sort", s), ("order", o)) for s in ORG_SORTS for o in ("ascending", "descending")]
    out += [qs(("role", r)) for r in ROLES]
    out += [
        qs(("role", "admin,instructor")),
        qs(("role", "org-learner"), ("role", "course-learner")),
        qs(("role", " admin ,, instructor, ")),
        qs(("role", "")),
        qs(("role", ",".join(ROLES))),
        qs(("includeAnonymousUsers", "true")),
        qs(("includeAnonymousUsers", "false")),
        qs(("includeAnonymousUsers", "TRUE"), ("sort", "fullName"), ("order", "descending")),
        qs(("includeAnonymousUsers", "")),
        qs(("since", since)),
        qs(("until", until)),
        qs(("since", since), ("until", until), ("sort", "lastSeen"), ("order", "ascending")),
        qs(("since", 0)),
        qs(("until", -1)),
        qs(("since", ""), ("until", "")),
        qs(("neverSeen", "true")),
        qs(("neverSeen", "false")),
        qs(("neverSeen", "TRUE"), ("role", "course-learner")),
        qs(("neverSeen", "false"), ("since", since)),
        qs(("filter", term)),
        qs(("filter", term.upper())),
        qs(("filter", f"{term} {term[:2]}")),
        qs(("filter", f"{term} {term}")),
        qs(("filter", "@")),
        qs(("filter", "zzzzqqq")),
        qs(("filter", "  ")),
        "filter=%00",
        qs(("page", 2)),
        qs(("page", 1000)),
        qs(("perPage", 1)),
        qs(("perPage", 100)),
        qs(("page", 3), ("perPage", 7)),
        qs(("page", ""), ("perPage", "")),
        qs(
            ("role", "admin,instructor"),
            ("sort", "lastSeen"),
            ("order", "descending"),
            ("perPage", 50),
        ),
        qs(
            ("role", "course-learner"),
            ("since", since),
            ("sort", "enrolledCount"),
            ("order", "descending"),
            ("page", 2),
            ("perPage", 10),
        ),
        qs(
            ("sort", "role"),
            ("order", "ascending"),
            ("includeAnonymousUsers", "true"),
            ("perPage", 100),
        ),
        qs(("unknown", "x")),
    ]
    return out


def org_bad_queries(since):
    return [
        qs(("sort", "fullName")),
        qs(("order", "ascending")),
        qs(("sort", "bogus"), ("order", "ascending")),
        qs(("sort", "fullName"), ("order", "up")),
        qs(("sort", "bogus"), ("order", "up")),
        qs(("sort", "displayName"), ("order", "descending")),
        qs(("role", "boss")),
        qs(("role", "admin,boss,chief")),
        qs(("role", ",".join(["admin"] * 17))),
        "role=%00",
        qs(("includeAnonymousUsers", "yes")),
        qs(("since", "abc")),
        qs(("since", "1.5")),
        qs(("until", "abc")),
        qs(("since", "99999999999999999999")),
        qs(("until", "-99999999999")),
        qs(("since", "1" * 25)),
        qs(("neverSeen", "maybe")),
        qs(("neverSeen", "true"), ("since", since)),
        qs(("neverSeen", "true"), ("until", since)),
        qs(("neverSeen", "true"), ("since", since), ("until", since)),
        qs(("page", 0)),
        qs(("page", "abc")),
        qs(("page", -3)),
        qs(("perPage", 0)),
        qs(("perPage", 101)),
        qs(("perPage", "abc")),
        qs(("perPage", "2.0")),
        "page=%00",
        qs(("includeAnonymousUsers", "x"), ("role", "y"), ("page", 0)),
        qs(("role", "boss"), ("sort", "x"), ("order", "y"), ("since", "z"), ("perPage", 0)),
        qs(("filter", "x" * 301)),
        "filter=%ff%fe",
    ]


def plan_org_api(plan):
    w, rng = plan.world, plan.rng
    container = w.admin_orgs["org_admin"]
    sub_org = w.admin_orgs["sub_org_admin"]
    targets = [org for org in w.orgs if w.roster.get(org) and w.orgs[org][0] != "portal"]

    def pick_org_and_caller():
        org = rng.choice(targets)
        names = ["partner", "superuser"]
        if w.container_of(org) == container:
            names.append("org_admin")
        if org == sub_org or w.orgs[org][2] == sub_org:
            names.append("sub_org_admin")
        return org, plan.caller(*names)

    def path_for(org):
        prefix = rng.choice(["/vfo", "/vfo", "/orgs"])
        slash = rng.choice(["", "", "/"])
        return f"{prefix}/orgs/{org}/dashboard/members{slash}"

    for round_ in range(2):
        for index in range(len(org_queries("x", 0, 0))):
            org, who = pick_org_and_caller()
            term = w.terms(w.roster[org], rng)[round_ * 2 + 1]
            query = org_queries(term, w.since, w.until)[index]
            plan.add("org members: parameters", with_query(path_for(org), query), who)
    for query in org_bad_queries(w.since):
        org, who = pick_org_and_caller()
        plan.add("org members: bad parameters", with_query(path_for(org), query), who)
    # Every page of the largest org at perPage=100, and one past the end.
    org = max(targets, key=lambda o: len(w.roster[o]))
    for page in range(1, len(w.roster[org]) // 100 + 3):
        plan.add(
            "org members: paging",
            with_query(f"/vfo/orgs/{org}/dashboard/members", qs(("page", page), ("perPage", 100))),
            auth("partner", "SID"),
        )
    # Rights.
    other = w.admin_orgs["other_admin"]
    child_of_sub = next((o for o, (_, _, parent) in w.orgs.items() if parent == sub_org), sub_org)
    base_elsewhere = next(o for o, (t, c, _) in w.orgs.items() if t == "base" and c != container)
    cases = [
        (container, auth("token:org_admin", "SID")),
        (container, auth("session-key:org_admin", "SID")),
        (other, auth("session-key:org_admin", "SID")),
        (other, auth("token:org_admin", "Bearer")),
        (container, auth("session:org_admin", "cookie")),
        (sub_org, auth("token:org_admin", "Token")),
        (sub_org, auth("token:sub_org_admin", "Bearer")),
        (child_of_sub, auth("token:sub_org_admin", "Bearer")),
        (container, auth("token:sub_org_admin", "Bearer")),
        (other, auth("token:other_admin", "SID")),
        (base_elsewhere, auth("token:other_admin", "SID")),
        (container, auth("token:other_admin", "SID")),
        (container, auth("token:superuser", "Token")),
        (other, auth("session:superuser", "cookie")),
        (container, auth("token:manager", "Bearer")),
        (container, auth("token:instructor", "Bearer")),
        (container, auth("token:learner", "Bearer")),
        (container, auth("session:learner", "cookie")),
        (container, None),
        (container, raw_auth("SID", "not-a-key")),
        (container, raw_auth("Authorization", "Bearer not-a-key")),
        (container, raw_auth("Authorization", "Token ")),
        (container, raw_auth("Authorization", "Digest abc")),
        (container, auth("token:expired", "SID")),
        (container, auth("token:revoked", "SID")),
        (container, auth("token:inactive", "SID")),
        (container, {**raw_auth("SID", "not-a-key"), "cookie": "session:superuser"}),
        ("abc", auth("partner")),
        ("0", auth("partner")),
        ("999999", auth("partner")),
        ("1e2", auth("partner")),
        ("999999", None),
        ("999999", auth("token:learner")),
    ]
    for org, who in cases:
        plan.add("org members: rights", f"/vfo/orgs/{org}/dashboard/members", who)
    for path, method in [
        (f"/vfo/orgs/{container}/dashboard/members", "POST"),
        (f"/orgs/orgs/{container}/dashboard/members", "PATCH"),
        (f"/vfo/orgs/{container}/dashboard/members", "HEAD"),
        (f"/vfo/orgs/{container}/dashboard/members", "OPTIONS"),
        (f"/vfo/orgs/{container}/dashboard", "GET"),
        (f"/vfo/orgs/{container}/dashboard/members/x/y", "GET"),
        ("/vfo/nothing", "GET"),
        ("/orgs/container/", "GET"),
        (f"/orgs/orgs/{container}/dashboard/members/", "GET"),
    ]:
        plan.add("org: methods and paths", path, auth("partner"), method)
    plan.add(
        "org: language",
        f"/vfo/orgs/{container}/dashboard/members?role=boss",
        auth("partner"),
        headers={"Accept-Language": "fr"},
    )


def member_course_queries(title_word):
    return [
        "",
        qs(("title", title_word)),
        qs(("title", title_word.upper())),
        qs(("title", fold(title_word))),
        qs(("title", "zzzzqqq")),
        "title=%00",
        qs(("status", "started")),
        qs(("status", "in-progress")),
        qs(("status", "completed")),
        qs(("status", "started,in-progress")),
        qs(("status", "completed"), ("status", "started")),
        qs(("status", "")),
        qs(("page", 2), ("perPage", 1)),
        qs(("perPage", 100)),
        qs(("page", 50)),
    ]


MEMBER_COURSE_BAD_QUERIES = [
    qs(("status", "done")),
    qs(("status", "started,done")),
    qs(("status", ",".join(["started"] * 17))),
    "status=%00",
    qs(("page", 0)),
    qs(("page", "x")),
    qs(("perPage", 101)),
    qs(("perPage", "0")),
    qs(("title", "x" * 301)),
    qs(("status", "x"), ("page", 0)),
]


def plan_member_courses(plan):
    w, rng = plan.world, plan.rng
    p = w.people
    container = w.admin_orgs["org_admin"]
    title_of = {pk: t for pk, _, t in w.courses}
    words = sorted({word for t in title_of.values() for word in t.split() if len(word) >= 4})

    def own_words(org, user_id):
        """Words of the titles of the user's courses in the org (a title filter that finds)."""
        found = [
            word
            for course, orgs in w.shares.items()
            if org in orgs and (user_id, "joined") in w.members.get(course, [])
            for word in title_of[course].split()
            if len(word) >= 4
        ]
        return found or words

    # Members enrolled in some of the org's courses (so that the filters have rows to keep).
    orgs = [o for o in w.orgs if w.enrolled.get(o)]
    for org in rng.sample(orgs, min(10, len(orgs))):
        users = rng.sample(w.enrolled[org], min(3, len(w.enrolled[org])))
        for user_id in users:
            word = rng.choice(own_words(org, user_id))
            for query in rng.sample(member_course_queries(word), 5):
                plan.add(
                    "member courses: parameters",
                    with_query(f"/vfo/orgs/{org}/dashboard/members/{user_id}/courses", query),
                    plan.caller("partner", "superuser"),
                )
    org = next(o for o in w.enrolled if w.container_of(o) == container)
    user_id = max(
        w.enrolled[org],
        key=lambda u: sum(
            1
            for c, orgs in w.shares.items()
            if org in orgs and (u, "joined") in w.members.get(c, [])
        ),
    )
    for query in member_course_queries(rng.choice(own_words(org, user_id))):
        plan.add(
            "member courses: parameters",
            with_query(f"/orgs/orgs/{org}/dashboard/members/{user_id}/courses/", query),
            auth("token:org_admin", "SID"),
        )
    for query in MEMBER_COURSE_BAD_QUERIES:
        plan.add(
            "member courses: bad parameters",
            with_query(f"/vfo/orgs/{org}/dashboard/members/{user_id}/courses", query),
            auth("partner"),
        )
    outsider = w.outsider(container)
    sub_org = w.admin_orgs["sub_org_admin"]
    cases = [
        ("abc", user_id, auth("partner")),
        ("999999", user_id, auth("partner")),
        (org, "abc", auth("partner")),
        (org, "999999", auth("partner")),
        (org, "0", auth("partner")),
        (org, outsider, auth("partner")),
        (org, outsider, auth("token:learner")),
        (org, user_id, auth("token:learner")),
        (org, p["learner"], auth("token:learner")),
        (org, user_id, auth("token:other_admin")),
        (org, user_id, auth("session-key:org_admin", "SID")),
        (org, user_id, None),
        (org, user_id, raw_auth("SID", "not-a-key")),
        (sub_org, w.roster[sub_org][0], auth("token:sub_org_admin")),
        (org, user_id, auth("token:sub_org_admin")),
        ("999999", "abc", None),
        ("999999", "abc", auth("token:learner")),
    ]
    for org_id, user, who in cases:
        plan.add(
            "member courses: rights and errors",
            f"/vfo/orgs/{org_id}/dashboard/members/{user}/courses",
            who,
        )


def plan_portal_members(plan):
    w, rng = plan.world, plan.rng
    container = w.admin_orgs["org_admin"]
    portals = w.of_type("portal")
    for index in range(len(org_queries("x", 0, 0))):
        portal = portals[index % len(portals)]
        box = w.container_of(portal)
        names = ["partner", "superuser"] + (["org_admin"] if box == container else [])
        term = w.terms(w.roster.get(portal) or [1], rng)[index % 4]
        query = org_queries(term, w.since, w.until)[index]
        prefix = rng.choice(["/vfo", "/orgs"])
        plan.add(
            "portal members: parameters",
            with_query(f"{prefix}/container/{box}/portal/{portal}/dashboard/members", query),
            plan.caller(*names),
        )
    for query in org_bad_queries(w.since)[::2]:
        portal = rng.choice(portals)
        plan.add(
            "portal members: bad parameters",
            with_query(
                f"/vfo/container/{w.container_of(portal)}/portal/{portal}/dashboard/members", query
            ),
            auth("partner"),
        )
    own = next(p for p in portals if w.container_of(p) == container)
    foreign = next(p for p in portals if w.container_of(p) != container)
    base = next(o for o, (t, c, _) in w.orgs.items() if t == "base" and c == container)
    topic = next(o for o, (t, c, _) in w.orgs.items() if t == "topic" and c == container)
    cases = [
        (container, own, auth("token:org_admin")),
        (container, own, auth("session-key:org_admin", "SID")),
        (container, own, auth("session:org_admin", "cookie")),
        (w.container_of(foreign), foreign, auth("token:org_admin")),
        (w.container_of(foreign), foreign, auth("token:other_admin")),
        (container, own, auth("token:other_admin")),
        (container, own, auth("token:sub_org_admin")),
        (container, own, auth("token:learner")),
        (container, own, None),
        (container, own, auth("token:revoked")),
        (container, foreign, auth("partner")),
        (container, foreign, auth("token:other_admin")),
        (container, base, auth("partner")),
        (container, topic, auth("partner")),
        (container, container, auth("partner")),
        (container, "abc", auth("partner")),
        (container, "999999", auth("partner")),
        (container, "999999", auth("token:learner")),
        (base, own, auth("partner")),
        (own, own, auth("partner")),
        ("abc", own, auth("partner")),
        ("999999", own, auth("partner")),
        ("999999", own, None),
    ]
    for box, portal, who in cases:
        plan.add(
            "portal members: rights and errors",
            f"/vfo/container/{box}/portal/{portal}/dashboard/members",
            who,
        )
    plan.add(
        "portal: methods",
        f"/vfo/container/{container}/portal/{own}/dashboard/members",
        auth("partner"),
        "POST",
    )
    plan.add(
        "portal: methods",
        f"/orgs/container/{container}/portal/{own}/dashboard/members/",
        auth("partner"),
        "HEAD",
    )


def plan_exports(plan):
    """The pages' downloads with a logged-in browser session: CSVs and emails.txt."""
    w, rng = plan.world, plan.rng
    p = w.people
    container = w.admin_orgs["org_admin"]
    sub_org = w.admin_orgs["sub_org_admin"]
    managed = w.managed_courses(p["manager"])
    course = max(managed, key=lambda c: len(w.members[c]))
    foreign_course = next(c for c, k, _ in w.courses if k != container)
    members = [u for u, s in w.members[course] if s in ("manager", "joined")]
    term = w.terms(members, rng)[0]
    selected = ",".join(str(u) for u in sorted(rng.sample(members, 4)))
    course_queries_ = [
        "",
        qs(("statuses", "joined"), ("ordering", "-last_active_at")),
        qs(("statuses", ",".join(STATUSES)), ("ordering", "real_name")),
        qs(("search", term)),
        qs(("bom", 1)),
        qs(("selected", selected)),
        qs(("selected", selected), ("ordering", "-user_completion_rate")),
        qs(("limit", 2), ("offset", 3)),
        qs(("statuses", "joined"), ("completion_max", 49), ("ordering", "user_completion_rate")),
        qs(("selected", "abc")),
        qs(("selected", ",".join(str(i) for i in range(1, 502)))),
        qs(("ordering", "bogus"), ("limit", 0)),
    ]
    for query in course_queries_:
        plan.add(
            "export: course members.csv",
            with_query(f"/courses/{course}/members.csv", query),
            auth("session:manager", "cookie"),
        )
    for who, course_id in [
        (auth("session:superuser", "cookie"), foreign_course),
        (auth("session:org_admin", "cookie"), course),
        (auth("session:org_admin", "cookie"), foreign_course),
        (auth("session:manager", "cookie"), foreign_course),
        (auth("session:learner", "cookie"), course),
        (None, course),
        (auth("session:superuser", "cookie"), 999999),
    ]:
        plan.add("export: course members.csv", f"/courses/{course_id}/members.csv", who)
    plan.add(
        "export: course members.csv",
        f"/courses/{course}/members.csv?limit=0",
        auth("session:manager", "cookie"),
        headers={"Accept-Language": "fr"},
    )
    roster = w.roster[container]
    term = w.terms(roster, rng)[1]
    selected = ",".join(str(u) for u in sorted(rng.sample(roster, 5)))
    org_queries_ = [
        "",
        qs(("role", "admin,instructor")),
        qs(("sort", "lastSeen"), ("order", "descending")),
        qs(("sort", "enrolledCount"), ("order", "descending"), ("role", "course-learner")),
        qs(("filter", term)),
        qs(("includeAnonymousUsers", "true")),
        qs(("neverSeen", "true")),
        qs(("since", w.since), ("until", w.until)),
        qs(("lastSeenFrom", "2025-01-01"), ("lastSeenTo", "2025-12-31")),
        qs(("lastSeen", "never")),
        qs(("selected", selected)),
        qs(("page", 2), ("perPage", 5)),
        qs(("role", "boss")),
        qs(("sort", "lastSeen")),
        qs(("lastSeenFrom", "not-a-date")),
    ]
    for query in org_queries_:
        plan.add(
            "export: org members.csv",
            with_query(f"/orgs/{container}/members.csv", query),
            auth("session:org_admin", "cookie"),
        )
    for query in org_queries_[::2]:
        plan.add(
            "export: org emails.txt",
            with_query(f"/orgs/{container}/members/emails.txt", query),
            auth("session:org_admin", "cookie"),
        )
    for who, org in [
        (auth("session:superuser", "cookie"), w.admin_orgs["other_admin"]),
        (auth("session:sub_org_admin", "cookie"), sub_org),
        (auth("session:sub_org_admin", "cookie"), container),
        (auth("session:learner", "cookie"), container),
        (None, container),
        (auth("session:superuser", "cookie"), 999999),
    ]:
        plan.add("export: org members.csv", f"/orgs/{org}/members.csv", who)
        plan.add("export: org emails.txt", f"/orgs/{org}/members/emails.txt?role=admin", who)
    plan.add(
        "export: org members.csv",
        f"/orgs/{container}/members.csv?perPage=0",
        auth("session:org_admin", "cookie"),
        headers={"Accept-Language": "de"},
    )
    portals = w.of_type("portal")
    own = next(p for p in portals if w.container_of(p) == container)
    foreign = next(p for p in portals if w.container_of(p) != container)
    portal_queries = [
        "",
        qs(("role", "admin,instructor")),
        qs(("sort", "role"), ("order", "ascending")),
        qs(("filter", term)),
        qs(("neverSeen", "true"), ("since", w.since)),
    ]
    for query in portal_queries:
        plan.add(
            "export: portal members.csv",
            with_query(f"/orgs/{container}/portals/{own}/members.csv", query),
            auth("session:org_admin", "cookie"),
        )
        plan.add(
            "export: portal emails.txt",
            with_query(f"/orgs/{container}/portals/{own}/members/emails.txt", query),
            auth("session:org_admin", "cookie"),
        )
    box = w.container_of(foreign)
    for who, path in [
        (auth("session:superuser", "cookie"), f"/orgs/{box}/portals/{foreign}/members.csv"),
        (auth("session:org_admin", "cookie"), f"/orgs/{box}/portals/{foreign}/members.csv"),
        (auth("session:org_admin", "cookie"), f"/orgs/{container}/portals/{foreign}/members.csv"),
        (None, f"/orgs/{container}/portals/{own}/members.csv"),
    ]:
        plan.add("export: portal members.csv", path, who)


def build_plan(world):
    plan = Plan(world, random.Random(SEED))
    plan_course_api(plan)
    plan_course_user_and_dashboard(plan)
    plan_org_api(plan)
    plan_member_courses(plan)
    plan_portal_members(plan)
    plan_exports(plan)
    for index, entry in enumerate(plan.requests):
        entry["n"] = index + 1
    return plan.requests


# --- sending and comparing -----------------------------------------------------------------


def send(entry, creds):
    """One request through a fresh test client: (status, recorded headers, body bytes)."""
    from django.conf import settings
    from django.test import Client

    client = Client(raise_request_exception=False)
    headers = dict(entry.get("send_headers") or {})
    who = entry.get("auth") or {}
    if "header" in who:
        if "credential" in who:
            secret = lookup_secret(creds, who["credential"])
            value = f"{who['scheme']} {secret}" if who.get("scheme") else secret
        else:
            value = who["value"]
        headers[who["header"]] = value
    if "cookie" in who:
        client.cookies[settings.SESSION_COOKIE_NAME] = lookup_secret(creds, who["cookie"])
    response = client.generic(entry["method"], entry["path"], headers=headers)
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    # (no response.close(): the client has closed it, or closes a streamed one once read,
    # without firing close_old_connections, which would end the run's transaction)
    if response.get("Content-Type", "").startswith("text/html"):
        body = CSRF_TOKEN.sub(rb"\1<csrf token>\2", body)
    return response.status_code, response_headers(response), body


def lookup_secret(creds, name):
    if name in creds["keys"]:
        return creds["keys"][name]
    return creds["sessions"][name]


def response_headers(response):
    today = datetime.now(UTC).date().isoformat()
    out = {}
    for name, value in response.items():
        lower = name.lower()
        if lower not in RECORDED_HEADERS and not lower.startswith("x-"):
            continue
        if lower == "x-request-id" and GENERATED_REQUEST_ID.fullmatch(value):
            value = "<generated uuid4 hex>"
        if lower == "content-disposition":
            value = value.replace(today, "{today}")
        out[lower] = value
    return dict(sorted(out.items()))


def encode_body(body):
    try:
        return {"text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(body).decode("ascii")}


def decode_body(stored):
    if "text" in stored:
        return stored["text"].encode("utf-8")
    return base64.b64decode(stored["base64"])


class Isolated:
    """One transaction for the run, a savepoint per request, everything rolled back."""

    def __enter__(self):
        from django.db import transaction

        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        return self

    def run(self, function, *args):
        from django.db import transaction

        savepoint = transaction.savepoint()
        try:
            return function(*args)
        finally:
            transaction.savepoint_rollback(savepoint)

    def __exit__(self, *exc):
        from django.db import transaction

        transaction.set_rollback(True)
        return self.atomic.__exit__(*exc)


def describe(entry):
    who = entry.get("auth")
    if not who:
        shown = "no credentials"
    else:
        parts = []
        if "header" in who:
            name = who.get("credential") or repr(who["value"])
            parts.append(f"{who['header']}: {who.get('scheme', '')} {name}".replace(":  ", ": "))
        if "cookie" in who:
            parts.append(f"cookie {who['cookie']}")
        shown = " + ".join(parts)
    extra = "".join(f" [{k}: {v}]" for k, v in (entry.get("send_headers") or {}).items())
    return f"#{entry['n']} {entry['method']} {entry['path']} ({shown}){extra}"


def body_diff(expected, actual, limit=12):
    """A short diff: the first differing JSON path, else a unified diff of the text."""
    try:
        a, b = json.loads(expected), json.loads(actual)
    except ValueError:
        a = b = None
    if a is not None and b is not None:
        where = first_difference(a, b, "$")
        if where:
            return [where]
    left = expected.decode("utf-8", "replace").splitlines()
    right = actual.decode("utf-8", "replace").splitlines()
    lines = list(difflib.unified_diff(left, right, "recorded", "now", n=1, lineterm=""))
    return [line[:200] for line in lines[:limit]] + (["…"] if len(lines) > limit else [])


def first_difference(a, b, path):
    if type(a) is not type(b):
        return f"{path}: {short(a)} → {short(b)}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path} keys: {list(a)} → {list(b)}"
        for key in a:
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        for index, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{path}[{index}]")
            if found:
                return found
        if len(a) != len(b):
            return f"{path}: {len(a)} items → {len(b)} items"
        return None
    return None if a == b else f"{path}: {short(a)} → {short(b)}"


def short(value):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "…"


# --- commands ------------------------------------------------------------------------------


def record(args):
    path = credentials_path(args.out, args.credentials)
    if not path.exists():
        raise SetupError(f"{path} is missing: run `prepare` first.")
    creds, missing = check_prepared(path)
    if missing:
        raise SetupError(f"{path}: not in this database: {', '.join(missing)}.")
    from django.db import connection

    started = time.monotonic()
    entries = []
    with Isolated() as isolated:
        requests = build_plan(World(creds))
        for entry in requests:
            status, headers, body = isolated.run(send, entry, creds)
            entries.append(
                {**entry, "status": status, "headers": headers, "body": encode_body(body)}
            )
    recording = {
        "format": FORMAT,
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": connection.vendor,
        "database": redact(args.database_url),
        "project": str(Path(args.project).resolve()),
        "credentials": path.name,
        "seed": SEED,
        "entries": entries,
    }
    Path(args.out).write_text(json.dumps(recording, ensure_ascii=False, indent=0) + "\n")
    print(
        f"Recorded {len(entries)} requests on {connection.vendor} in "
        f"{time.monotonic() - started:.1f} s → {args.out}"
    )
    groups = Counter(entry["group"] for entry in entries)
    statuses = Counter(entry["status"] for entry in entries)
    for group, count in groups.items():
        print(f"  {count:4}  {group}")
    print("  statuses: " + ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items())))
    return 0


def replay(args):
    recording = json.loads(Path(args.recording).read_text())
    if recording.get("format") != FORMAT:
        raise SetupError(f"{args.recording}: not a recording of this tool's format {FORMAT}.")
    path = credentials_path(args.recording, args.credentials)
    if not path.exists():
        raise SetupError(f"{path} is missing: the credentials file written by `prepare`.")
    creds, missing = check_prepared(path)
    if missing:
        raise SetupError(f"{path}: not in this database: {', '.join(missing)}.")
    from django.db import connection

    if connection.vendor != recording["engine"]:
        print(f"warning: recorded on {recording['engine']}, replaying on {connection.vendor}")
    started = time.monotonic()
    mismatches = []
    entries = recording["entries"]
    with Isolated() as isolated:
        for entry in entries:
            status, headers, body = isolated.run(send, entry, creds)
            expected = decode_body(entry["body"])
            if args.ignore_raised_by:
                expected = RAISED_BY.sub(rb"\1(view)\2", expected)
                body = RAISED_BY.sub(rb"\1(view)\2", body)
            if status == entry["status"] and headers == entry["headers"] and body == expected:
                continue
            lines = []
            if status != entry["status"]:
                lines.append(f"status: {entry['status']} → {status}")
            for name in sorted(set(headers) | set(entry["headers"])):
                if headers.get(name) != entry["headers"].get(name):
                    lines.append(f"{name}: {entry['headers'].get(name)!r} → {headers.get(name)!r}")
            if body != expected:
                lines.append(f"body ({len(expected)} → {len(body)} bytes):")
                lines += ["  " + line for line in body_diff(expected, body)]
            mismatches.append((entry, lines))
    matched = len(entries) - len(mismatches)
    shown = mismatches if args.max_shown is None else mismatches[: args.max_shown]
    for entry, lines in shown:
        print(f"MISMATCH {describe(entry)}")
        for line in lines:
            print(f"    {line}")
    if len(mismatches) > len(shown):
        print(f"… and {len(mismatches) - len(shown)} more mismatches")
    percent = 100 * matched / len(entries) if entries else 100
    recorded = datetime.fromisoformat(recording["recorded_at"])
    age = (datetime.now(UTC) - recorded).total_seconds() / 60
    print(
        f"{matched}/{len(entries)} matched ({percent:.1f} %) on {connection.vendor}, "
        f"recorded {recording['recorded_at']} ({age:.0f} min ago), "
        f"replayed in {time.monotonic() - started:.1f} s"
    )
    clocked = sum(1 for entry, _ in mismatches if entry.get("reads_clock"))
    if clocked:
        print(
            f"{clocked} of the {len(mismatches)} mismatches are requests whose answers read the "
            "clock (active_within, inactive_for, the course dashboard's active_7d/30d): if "
            "only they differ and the recording is old, record again from the base code "
            "and replay right after."
        )
    return 1 if mismatches else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_ in (
        ("prepare", "create the credentials the requests use (once per database)"),
        ("record", "send the requests and write the recording"),
        ("replay", "send the recorded requests again and compare"),
    ):
        sub = commands.add_parser(name, help=help_)
        sub.add_argument("--project", required=True, help="the Django project's folder")
        sub.add_argument("--database-url", required=True, help="DATABASE_URL of the database")
        if name == "replay":
            sub.add_argument("--recording", required=True, help="the recording (JSON)")
            sub.add_argument(
                "--max-shown", type=int, default=None, help="print at most this many mismatches"
            )
            sub.add_argument(
                "--ignore-raised-by",
                action="store_true",
                help="compare DEBUG 404 pages without their 'Raised by: <view's dotted path>'",
            )
        else:
            sub.add_argument("--out", required=True, help="the recording (JSON) to write")
        sub.add_argument(
            "--credentials", help="the secrets file (default: FILE.credentials.json beside it)"
        )
    args = parser.parse_args(argv)
    # The files are named from here: setup_django changes the working directory.
    for name in ("out", "recording", "credentials"):
        if getattr(args, name, None):
            setattr(args, name, str(Path(getattr(args, name)).resolve()))
    setup_django(args.project, args.database_url)
    return {"prepare": prepare, "record": record, "replay": replay}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
