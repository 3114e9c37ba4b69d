"""The demo's records in the dataset format, generated lazily in load order. Pure Python: no
Django, so bench/make_dataset.py writes the same records to a file.

The same number of users and seed always give the same records: every random choice comes
from a `random.Random` seeded with a string (stable across runs and machines) and records are
produced in one fixed order, whatever the batch size. Times are relative to the demo's "now",
midnight UTC of the day it is seeded unless given, so the same seed gives the same data all
day and "active in the last 7 days" means something whenever the demo is made.

The logins, passwords and keys below are DEMO-ONLY: they are public (printed by seed_demo,
written in the README) and must never exist in a production database.
"""

import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from dashboards.dataset.format import LISTS as KINDS
from dashboards.demo.people import DAY, People, cumulative, iso
from dashboards.demo.words import (
    CONTAINERS,
    COURSE_PREFIXES,
    COURSE_SUBJECTS,
    PORTALS,
    TOPICS,
)

MIN_USERS = 40
DEFAULT_USERS = 2000
DEFAULT_SEED = 1
BATCH_USERS = 10_000


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    what: str


SUPERUSER = DemoLogin("admin", "admin-demo-pass", "superuser: every dashboard, and /admin/")
ORG_ADMIN = DemoLogin("orgadmin", "orgadmin-demo-pass", "admin of the first container")
MANAGER = DemoLogin("manager", "manager-demo-pass", "manages courses, administers no org")
LOGINS = (SUPERUSER, ORG_ADMIN, MANAGER)

PARTNER_KEY = "demo-partner-key-public-never-use-in-production"
ORG_ADMIN_TOKEN = "demo-orgadmin-token-public-never-use-in-production"
ORG_ADMIN_SESSION = "demo-orgadmin-session-public-never-use-in-production"
# Fixed, so the demo session outlives the 24-hour idle rule and the data stays reproducible.
SESSION_EXPIRES_AT = "2036-01-01T00:00:00Z"

MAX_UNITS = min(len(units) for _, _, units in CONTAINERS)

SUPERUSER_ID, ORG_ADMIN_ID, MANAGER_ID = 1, 2, 3
FIRST_STAFF_ID = 4


def slug(title):
    """Django's slugify without Django: ASCII letters, digits, "_" and "-", lowercase."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text.lower())).strip("-_")


@dataclass
class Container:
    """One tenant of the demo: its org tree, its courses and its staff."""

    org_id: int
    title: str
    domain: str
    units: list = field(default_factory=list)
    departments: list = field(default_factory=list)  # (id, unit id)
    topics: list = field(default_factory=list)
    portals: list = field(default_factory=list)
    course_ids: list = field(default_factory=list)
    course_cum_weights: list = field(default_factory=list)
    staff_ids: list = field(default_factory=list)
    learner_org_ids: list = field(default_factory=list)  # where org learners get their role


class DemoDataset(People):
    """The demo's shape for a number of users and a seed; `batches()` yields its records.

    The containers, units per container, courses and mean courses per learner follow from
    the number of users unless given (bench/make_dataset.py sizes its files with them).
    """

    def __init__(
        self,
        users=DEFAULT_USERS,
        seed=DEFAULT_SEED,
        *,
        now=None,
        containers=None,
        units=None,
        courses=None,
        mean_courses=None,
    ):
        if users < MIN_USERS:
            raise ValueError(f"The demo needs at least {MIN_USERS} users (got {users}).")
        n_containers = containers or (3 if users < 100_000 else 5)
        self.n_units = units or (3 if users < 100_000 else 5)
        n_courses = courses or max(6 * n_containers, users // 50)
        if not 1 <= n_containers <= len(CONTAINERS) or not 1 <= self.n_units <= MAX_UNITS:
            raise ValueError(f"1 to {len(CONTAINERS)} containers of 1 to {MAX_UNITS} units.")
        if n_courses < 2 * n_containers:
            raise ValueError("The demo needs at least 2 courses per container.")
        self.users = users
        self.seed = seed
        self.now = int((now or demo_today()).timestamp())
        self.rng = random.Random(f"demo/{seed}/{users}/structure")
        self.courses_per_container = n_courses // n_containers
        staff_per_container = max(4, self.courses_per_container // 3)
        self.first_regular_id = FIRST_STAFF_ID + staff_per_container * n_containers
        # Mean courses per learner: about 10 at scale, fewer when containers hold few courses.
        self.mean_courses = (
            min(10, max(2, self.courses_per_container // 3))
            if mean_courses is None
            else mean_courses
        )

        self.orgs, self.courses, self.staff_links = [], [], []
        self.course_created = {}
        self.containers = []
        self._next_org_id = 1
        for index in range(n_containers):
            self.containers.append(self._build_container(index, staff_per_container))
        self.staff_pairs = {(link["userId"], link["courseId"]) for link in self.staff_links}
        self._container_cum = cumulative(
            n_containers - i for i in range(n_containers)
        )  # the first container is the largest

    # --- structure -----------------------------------------------------------------------

    def _org(self, title, parent, org_type):
        org_id = self._next_org_id
        self._next_org_id += 1
        self.orgs.append({"id": org_id, "title": title, "parentId": parent, "orgType": org_type})
        return org_id

    def _build_container(self, index, staff_per_container):
        rng = self.rng
        title, domain, units = CONTAINERS[index]
        container = Container(self._org(title, None, "container"), title, domain)
        for unit_title, departments in units[: self.n_units]:
            unit = self._org(unit_title, container.org_id, "base")
            container.units.append(unit)
            for d_index, dept_title in enumerate(departments):
                dept = self._org(dept_title, unit, "base")
                container.departments.append((dept, unit))
                n_topics = rng.randint(1 if d_index == 0 else 0, 2)
                for topic in rng.sample(TOPICS, n_topics):
                    container.topics.append(self._org(topic, dept, "topic"))
        for p_index in range(1 + index % 2):
            container.portals.append(self._org(PORTALS[p_index], container.org_id, "portal"))
        container.learner_org_ids = [
            *container.units,
            *(dept for dept, _ in container.departments),
            *container.topics,
            *container.portals,
        ]
        first_staff = FIRST_STAFF_ID + index * staff_per_container
        container.staff_ids = list(range(first_staff, first_staff + staff_per_container))
        self._build_courses(container, index)
        return container

    def _build_courses(self, container, index):
        rng = self.rng
        first_id = len(self.courses) + 1
        for c_index in range(self.courses_per_container):
            course_id = first_id + c_index
            if c_index == 0:
                # Shared with the first department but not with its sibling.
                dept, unit = container.departments[0]
                shared = [dept]
            else:
                dept, unit = rng.choice(container.departments)
                shared = [dept]
                if rng.random() < 0.4:
                    shared.append(unit)
                if rng.random() < 0.35:
                    shared.append(container.org_id)
                if container.topics and rng.random() < 0.25:
                    shared.append(rng.choice(container.topics))
                if rng.random() < 0.2:
                    shared.append(rng.choice(container.portals))
                if rng.random() < 0.03:
                    shared = []  # a draft, shared with no org yet
            created = self.now - rng.randint(20 * DAY, 900 * DAY)
            title = f"{rng.choice(COURSE_PREFIXES)} {rng.choice(COURSE_SUBJECTS)}"
            creator = rng.choice(container.staff_ids)
            self.course_created[course_id] = created
            self.courses.append(
                {
                    "id": course_id,
                    "title": title,
                    "slug": f"{slug(title)}-{course_id}",
                    "containerId": container.org_id,
                    "createdBy": creator,
                    "createdAt": iso(created),
                    "type": rng.choice(("self-paced", "self-paced", "structured", "scheduled")),
                    "privacy": rng.choice(("", "open", "open", "private", "secret")),
                    "sharedWith": sorted(set(shared)),
                }
            )
            self.staff_links.append(self._staff_link(creator, course_id, "creator", created))
            others = [uid for uid in container.staff_ids if uid != creator]
            for manager in rng.sample(others, k=min(len(others), rng.randint(1, 3))):
                self.staff_links.append(self._staff_link(manager, course_id, "manager", created))
            if index < 2 and c_index < 3:
                self.staff_links.append(self._staff_link(MANAGER_ID, course_id, "manager", created))
            container.course_ids.append(course_id)
        # Popularity falls off with rank (Zipf-like): a few very large courses, a long tail.
        order = container.course_ids[:]
        rng.shuffle(order)
        container.course_ids = order
        container.course_cum_weights = cumulative(
            1.0 / (rank + 1) ** 0.8 for rank in range(len(order))
        )

    def _staff_link(self, user_id, course_id, status, created):
        rng = self.rng
        joined = created + rng.randint(0, 5 * DAY)
        active = None if rng.random() < 0.3 else joined + rng.randint(0, self.now - joined)
        return {
            "userId": user_id,
            "courseId": course_id,
            "joinStatus": status,
            "joinedAt": iso(joined),
            "lastActiveAt": iso(active) if active else None,
            "completionRate": 0,
            "startDate": None,
            "finishDate": None,
            "score": None,
        }

    def _login_users(self):
        def login(uid, login, first, last):
            return {
                "id": uid,
                "username": login.username,
                "email": f"{login.username}@demo.example.org",
                "firstName": first,
                "lastName": last,
                "fn": None,
                "fullName": None,
                "location": None,
                "shortDesc": "Demo login: " + login.what,
                "longDesc": None,
                "website": None,
                "avatar": None,
                "lastSeen": iso(self.now - DAY),
                "password": login.password,
                "isSuperuser": login is SUPERUSER,
            }

        return [
            login(SUPERUSER_ID, SUPERUSER, "Ada", "Admin"),
            login(ORG_ADMIN_ID, ORG_ADMIN, "Oriane", "Orgadmin"),
            login(MANAGER_ID, MANAGER, "Mónica", "Manager"),
        ]

    def credentials(self):
        container_id = self.containers[0].org_id
        return [
            {"key": PARTNER_KEY, "kind": "partner"},
            {"key": ORG_ADMIN_TOKEN, "kind": "token", "userId": ORG_ADMIN_ID},
            {
                "key": ORG_ADMIN_SESSION,
                "kind": "session",
                "userId": ORG_ADMIN_ID,
                "containerId": container_id,
                "expiresAt": SESSION_EXPIRES_AT,
            },
        ]

    # --- output --------------------------------------------------------------------------

    def batches(self, batch_users=BATCH_USERS) -> Iterator[tuple[int, dict]]:
        """Yield (users in batch, dataset dict) in load order: structure first, then people.

        Every reference of a batch points into it or into an earlier one.
        """
        people_rng = random.Random(f"demo/{self.seed}/{self.users}/people")
        users = self._login_users()
        roles = [{"userId": ORG_ADMIN_ID, "orgId": self.containers[0].org_id, "role": "admin"}]
        for container in self.containers:
            for position, uid in enumerate(container.staff_ids):
                user, user_roles = self._staff_user(uid, people_rng, container, position)
                users.append(user)
                roles += user_roles
        yield (
            len(users),
            {
                "users": users,
                "orgs": self.orgs,
                "orgRoles": roles,
                "courses": self.courses,
                "courseMembers": self.staff_links,
                "credentials": self.credentials(),
            },
        )
        for start in range(self.first_regular_id, self.users + 1, batch_users):
            users, roles, members = [], [], []
            for uid in range(start, min(start + batch_users, self.users + 1)):
                user, user_roles, user_members = self._person(uid, people_rng)
                users.append(user)
                roles += user_roles
                members += user_members
            yield len(users), {"users": users, "orgRoles": roles, "courseMembers": members}


def demo_today():
    """Midnight UTC of the current day: the default "now" of a demo."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def demo_dataset(users=DEFAULT_USERS, seed=DEFAULT_SEED, *, now=None, **shape):
    """The whole demo as one dataset dict (small demos, tests, bench/make_dataset.py);
    shape: DemoDataset's containers, units, courses, mean_courses."""
    merged = {kind: [] for kind in KINDS}
    for _, batch in DemoDataset(users, seed, now=now, **shape).batches():
        for kind, records in batch.items():
            merged[kind] += records
    return merged
