"""A realistic, deterministic demo in the dataset format, generated lazily in load order.

The same number of users and seed always give the same records: every random choice comes
from a `random.Random` seeded with a string (stable across runs and machines) and records are
produced in one fixed order, whatever the batch size. Times are relative to the demo's "now",
midnight UTC of the day it is seeded unless given, so the same seed gives the same data all
day and "active in the last 7 days" means something whenever the demo is made.

The logins, passwords and keys below are DEMO-ONLY: they are public (printed by seed_demo,
written in the README) and must never exist in a production database.
"""

import random
import sys
import time
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.utils.text import slugify
from tqdm import tqdm

from dashboards import roster
from dashboards.models import (
    Course,
    CourseMember,
    CourseShare,
    Credential,
    Org,
    OrgRole,
    User,
)
from dashboards.text import normalize

DAY = 86_400
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

SUPERUSER_ID, ORG_ADMIN_ID, MANAGER_ID = 1, 2, 3
FIRST_STAFF_ID = 4

# Each tenant: title, email domain, and its units, each with the departments below it.
CONTAINERS = (
    (
        "Northwind University",
        "northwind.example.edu",
        (
            ("Faculty of Science", ("Mathematics", "Physics", "Chemistry")),
            ("School of Engineering", ("Computer Science", "Civil Engineering")),
            ("Business School", ("Marketing", "Finance", "Économie")),
            ("Faculty of Arts", ("Philosophy", "Music")),
            ("School of Medicine", ("Nursing", "Cardiology", "Public Health")),
        ),
    ),
    (
        "Acme Corporate Academy",
        "acme.example.com",
        (
            ("Sales Division", ("Inside Sales", "Key Accounts")),
            ("Engineering Division", ("Platform", "Data & Analytics", "Quality")),
            ("People & Culture", ("Recruiting", "Learning & Development")),
            ("Operations", ("Logistics", "Procurement", "Facilities")),
            ("Customer Care", ("Support", "Customer Success")),
        ),
    ),
    (
        "Université de Lumière",
        "lumiere.example.fr",
        (
            ("Faculté des Sciences", ("Mathématiques", "Physique", "Biologie")),
            ("Faculté des Lettres", ("Linguistique", "Histoire")),
            ("École de Commerce", ("Finance", "Marketing", "Stratégie")),
            ("Faculté de Médecine", ("Pédiatrie", "Santé publique")),
            ("Institut de Droit", ("Droit privé", "Droit européen")),
        ),
    ),
    (
        "Globex Health Institute",
        "globex.example.org",
        (
            ("Clinical Sciences", ("Cardiology", "Oncology", "Radiology")),
            ("Nursing School", ("Adult Nursing", "Midwifery")),
            ("Public Health", ("Epidemiology", "Nutrition", "Global Health")),
            ("Research Institute", ("Genomics", "Clinical Trials")),
            ("Administration", ("Compliance", "Patient Experience")),
        ),
    ),
    (
        "Søndre Læringssenter",
        "sondre.example.no",
        (
            ("Realfag", ("Matematikk", "Fysikk", "Kjemi")),
            ("Språk og kultur", ("Norsk", "Engelsk")),
            ("Økonomi og ledelse", ("Regnskap", "Ledelse", "Markedsføring")),
            ("Helse og omsorg", ("Sykepleie", "Ernæring")),
            ("Teknologi", ("Programmering", "Datasikkerhet")),
        ),
    ),
)
TOPICS = (
    "Machine Learning",
    "Statistics",
    "Cybersecurity",
    "Écologie urbaine",
    "Leadership",
    "Onboarding",
    "Ethics",
    "Quantum Lab",
    "Design Thinking",
    "Öffentliche Gesundheit",
    "Research Methods",
    "Customer Success",
)
PORTALS = ("Public Learning Portal", "Partner Portal", "Alumni Portal")

COURSE_PREFIXES = (
    "Introduction to",
    "Advanced",
    "Foundations of",
    "Applied",
    "A Practical Guide to",
    "Topics in",
    "Masterclass:",
    "Initiation à",
    "Einführung in",
    "Essentials of",
)
COURSE_SUBJECTS = (
    "Statistics",
    "Linear Algebra",
    "Organic Chemistry",
    "Python Programming",
    "Data Visualisation",
    "Microéconomie",
    "Project Management",
    "Public Speaking",
    "Cell Biology",
    "Machine Learning",
    "Negotiation",
    "la Philosophie",
    "Thermodynamik",
    "Customer Empathy",
    "Cloud Security",
    "Accounting",
    "Creative Writing",
    "Café Management",
    "Nutrition",
    "UX Research",
    "Kommunikation",
    "Renewable Energy",
    "Contract Law",
    "Español para principiantes",
)

FIRST_NAMES = (
    "Émile", "Zoë", "Søren", "Chloé", "François", "Jürgen", "Łukasz", "José", "Inès", "Björn",
    "Åsa", "Renée", "Noël", "Anaïs", "Mátyás", "Çağla", "Zdeněk", "Siobhán", "Ólafur", "Ngozi",
    "Aiko", "Yūki", "Mei", "Ravi", "Priya", "Arjun", "Fatima", "Omar", "Leila", "Tomás",
    "Joaquín", "María", "Ana", "Lucía", "Mateo", "Sofía", "Ada", "Grace", "Alan", "Linus",
    "Margaret", "Katherine", "Dorothy", "Hedy", "Emmy", "Marie", "Pierre", "Louis", "Camille",
    "Léa", "Hugo", "Jules", "Élodie", "Gaëlle", "Maëlys", "Kwame", "Amara", "Chinedu", "Thandiwe",
    "Olga", "Dmitri", "Nadia", "Agnieszka", "Zoltán", "Eszter", "Jana", "Václav", "Henrik",
    "Ingrid", "Sigrid", "Ærin", "Niamh", "Seán", "Ciarán", "Liam", "Emma", "Olivia", "Noah",
    "James", "Wei", "Hiroshi", "Min-jun", "Seo-yeon", "Thảo", "Nguyên", "Ayşe", "Mehmet",
    "Ioana", "Radu", "Giulia", "Lorenzo", "Chiara", "Matteo", "Beatriz", "João", "Conceição",
    "Rafaël", "Jérôme", "Hélène", "Bérénice", "Kai", "Luca", "Sam", "Alex", "Robin",
)  # fmt: skip
LAST_NAMES = (
    "Dupont", "Müller", "Ødegaard", "Núñez", "García", "Łukasiewicz", "Novák", "Dvořáková",
    "O'Brien", "Ní Bhriain", "Nguyễn", "Trần", "Kim", "Park", "Tanaka", "Satō", "Wang", "Li",
    "Zhang", "Patel", "Sharma", "Okafor", "Adeyemi", "Mensah", "Haddad", "El Amrani", "Yılmaz",
    "Çelik", "Öztürk", "Kowalski", "Wiśniewska", "Horváth", "Szabó", "Popescu", "Ivanova",
    "Petrov", "Lindqvist", "Åberg", "Johansson", "Björk", "Sørensen", "Jensen", "Hansen",
    "Rossi", "Bianchi", "Esposito", "Ferreira", "Gonçalves", "Silva", "Santos", "Lefèvre",
    "Mercier", "Bézier", "Lovelace", "Hopper", "Turing", "Curie", "Noether", "Lamarr",
    "Johnson", "Smith", "Williams", "Brown", "Taylor", "Martin", "Bernard", "Thomas", "Moreau",
    "Girard", "Fontaine", "Châtelet", "Schröder", "Weiß", "Straße", "Fischer", "Becker",
    "Van der Berg", "de Vries", "Janssen", "MacLeod", "Ó Súilleabháin", "Álvarez", "Pérez",
    "Hernández", "López", "Jiménez", "Muñoz", "Ruíz", "Kaur", "Singh", "Abe", "Hayashi",
)  # fmt: skip
NICKNAMES = ("Prof.", "Dr.", "Coach", "Mx.", "Sr.", "Sra.", "Mme")
CITIES = (
    "Paris", "Montréal", "São Paulo", "Zürich", "Kraków", "Reykjavík", "Tromsø", "Málaga",
    "Köln", "İstanbul", "Hà Nội", "Tōkyō", "Lagos", "Nairobi", "London", "New York", "Lyon",
    "Genève", "Bogotá", "Québec", "Düsseldorf", "Århus", "Wrocław", "Brno", "Seoul",
)  # fmt: skip
BIOS = (
    "Lifelong learner.",
    "Passionnée de données et de café.",
    "Engineer by day, musician by night.",
    "Étudiant en master, curieux de tout.",
    "I teach, therefore I learn.",
    "Auf der Suche nach dem nächsten Kurs.",
    "   ",
)

# Name shapes, with their share of generated users: the display-name rule takes the first
# non-blank of fullName, fn, "first last", firstName, lastName, else "Unknown".
NAME_SHAPES = (
    ("first_last", 52),
    ("first_only", 7),
    ("last_only", 6),
    ("fn", 8),
    ("full_name", 11),
    ("blank_first", 3),
    ("unknown", 4),
    ("anonymous", 3),
    ("never_seen", 6),
)
# Showcase: the first regular users take each shape and each course stage in turn, so every
# case exists even in a tiny demo.
SHOWCASE_SHAPES = tuple(shape for shape, _ in NAME_SHAPES)
STAGES = ("invited", "requested", "not_started", "in_progress", "completed")

_ASCII = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L", "đ": "d", "ı": "i"}
)


def ascii_handle(name):
    """A lowercase ASCII handle for a name: accents dropped, spaces and quotes removed."""
    folded = normalize(name.translate(_ASCII))
    return "".join(c for c in folded if c.isascii() and c.isalnum())


_FIRST_HANDLES = {name: ascii_handle(name) for name in FIRST_NAMES}
_LAST_HANDLES = {name: ascii_handle(name) for name in LAST_NAMES}


_DAY_PREFIXES = {}
_CLOCK = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}Z" for s in range(DAY)]


def iso(ts):
    """Unix seconds as ISO 8601 UTC with a Z suffix (memoized by day: millions are made)."""
    day, seconds = divmod(ts, DAY)
    prefix = _DAY_PREFIXES.get(day)
    if prefix is None:
        prefix = _DAY_PREFIXES[day] = time.strftime("%Y-%m-%dT", time.gmtime(day * DAY))
    return prefix + _CLOCK[seconds]


def _between(rng, low, high):
    """A random integer in [low, high]: randint's result space, at a fraction of its cost."""
    return low + int(rng.random() * (high - low + 1))


def _cumulative(weights):
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


_SHAPE_NAMES = [shape for shape, _ in NAME_SHAPES]
_SHAPE_CUM = _cumulative(weight for _, weight in NAME_SHAPES)


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


class DemoDataset:
    """The demo's shape for a number of users and a seed; `batches()` yields its records."""

    def __init__(self, users=DEFAULT_USERS, seed=DEFAULT_SEED, *, now=None):
        if users < MIN_USERS:
            raise ValueError(f"The demo needs at least {MIN_USERS} users (got {users}).")
        self.users = users
        self.seed = seed
        self.now = int((now or demo_today()).timestamp())
        self.rng = random.Random(f"demo/{seed}/{users}/structure")
        n_containers = 3 if users < 100_000 else 5
        n_courses = max(6 * n_containers, users // 50)
        self.courses_per_container = n_courses // n_containers
        staff_per_container = max(4, self.courses_per_container // 3)
        self.first_regular_id = FIRST_STAFF_ID + staff_per_container * n_containers
        # Mean courses per learner: about 10 at scale, fewer when containers hold few courses.
        self.mean_courses = min(10, max(2, self.courses_per_container // 3))

        self.orgs, self.courses, self.staff_links = [], [], []
        self.course_created = {}
        self.containers = []
        self._next_org_id = 1
        for index in range(n_containers):
            self.containers.append(self._build_container(index, staff_per_container, users))
        self.staff_pairs = {(link["userId"], link["courseId"]) for link in self.staff_links}
        self._container_cum = _cumulative(
            n_containers - i for i in range(n_containers)
        )  # the first container is the largest

    # --- structure -----------------------------------------------------------------------

    def _org(self, title, parent, org_type):
        org_id = self._next_org_id
        self._next_org_id += 1
        self.orgs.append({"id": org_id, "title": title, "parentId": parent, "orgType": org_type})
        return org_id

    def _build_container(self, index, staff_per_container, users):
        rng = self.rng
        title, domain, units = CONTAINERS[index]
        container = Container(self._org(title, None, "container"), title, domain)
        n_units = 3 if users < 100_000 else 5
        for unit_title, departments in units[:n_units]:
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
                    "slug": f"{slugify(title)}-{course_id}",
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
        container.course_cum_weights = _cumulative(
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

    # --- people --------------------------------------------------------------------------

    def _profile(self, uid, rng, shape, domain):
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        record = {
            "id": uid,
            "username": None,
            "email": None,
            "firstName": None,
            "lastName": None,
            "fn": None,
            "fullName": None,
            "location": None,
            "shortDesc": None,
            "longDesc": None,
            "website": None,
            "avatar": None,
            "lastSeen": None,
        }
        if shape == "anonymous":
            record["lastSeen"] = iso(self.now - rng.randint(0, 400 * DAY))
            return record
        handle = f"{_FIRST_HANDLES[first]}.{_LAST_HANDLES[last]}{uid}"
        if rng.random() < 0.9:
            record["username"] = handle if rng.random() < 0.7 else f"{_FIRST_HANDLES[first]}{uid}"
        if rng.random() < 0.85 or record["username"] is None:
            record["email"] = f"{handle}@{domain}"
        if shape in ("first_last", "never_seen"):
            record["firstName"], record["lastName"] = first, last
        elif shape == "first_only":
            record["firstName"] = first
        elif shape == "last_only":
            record["lastName"] = last
        elif shape == "fn":
            record["fn"] = f"{rng.choice(NICKNAMES)} {first} {last[0]}."
            if rng.random() < 0.5:
                record["firstName"], record["lastName"] = first, last
        elif shape == "full_name":
            middle = rng.choice(FIRST_NAMES)
            record["fullName"] = f"{first} {middle} {last}"
            record["firstName"], record["lastName"] = first, last
        elif shape == "blank_first":
            record["firstName"], record["lastName"] = "  ", last
        if rng.random() < 0.4:
            record["location"] = rng.choice(CITIES)
        if rng.random() < 0.2:
            record["shortDesc"] = rng.choice(BIOS)
        if rng.random() < 0.05:
            record["longDesc"] = " ".join(rng.sample(BIOS[:-1], 3))
        if rng.random() < 0.1:
            record["website"] = f"https://{handle.replace('.', '-')}.example.net"
        if rng.random() < 0.3:
            record["avatar"] = f"https://cdn.example.org/avatars/{uid}.png"
        if shape != "never_seen":
            # Most users were seen recently; a long tail has not come back for months.
            days = min(700.0, rng.expovariate(1 / 45))
            record["lastSeen"] = iso(self.now - int(days * DAY) - _between(rng, 0, DAY))
        return record

    def _membership(self, rng, uid, course_id, stage):
        created = self.course_created[course_id]
        record = {
            "userId": uid,
            "courseId": course_id,
            "joinStatus": "joined",
            "joinedAt": None,
            "lastActiveAt": None,
            "completionRate": 0,
            "startDate": None,
            "finishDate": None,
            "score": None,
        }
        if stage in ("invited", "requested"):
            record["joinStatus"] = stage
            return record
        joined = _between(rng, created, self.now)
        record["joinedAt"] = iso(joined)
        if stage == "not_started":
            if rng.random() < 0.3:
                record["lastActiveAt"] = iso(_between(rng, joined, self.now))
            return record
        start = min(self.now, joined + _between(rng, 0, 2 * DAY))
        active = _between(rng, start, self.now)
        record["startDate"] = iso(start) if rng.random() < 0.9 else None
        record["lastActiveAt"] = iso(active) if rng.random() < 0.95 else None
        if stage == "in_progress":
            record["completionRate"] = _between(rng, 1, 99)
            return record
        record["completionRate"] = 100
        record["finishDate"] = iso(active)
        record["lastActiveAt"] = iso(active)
        record["score"] = round(rng.uniform(0.4, 1.0), 2) if rng.random() < 0.9 else None
        return record

    def _stage(self, rng):
        r = rng.random()
        if r < 0.05:
            return "invited"
        if r < 0.08:
            return "requested"
        if r < 0.28:
            return "not_started"
        if r < 0.68:
            return "in_progress"
        return "completed"

    def _pick_courses(self, rng, container, k):
        ids = container.course_ids
        k = min(k, len(ids) - 1)
        picked = dict.fromkeys(rng.choices(ids, cum_weights=container.course_cum_weights, k=k))
        if len(picked) < k:  # popular courses drew twice: top up from the uniform tail
            picked.update(dict.fromkeys(rng.sample(ids, k - len(picked))))
        return list(picked)[:k]

    def _person(self, uid, rng):
        """(user, orgRoles, courseMembers) for the regular user uid."""
        showcase = uid - self.first_regular_id
        container = self.containers[
            bisect(self._container_cum, rng.random() * self._container_cum[-1])
        ]
        if showcase < len(SHOWCASE_SHAPES):
            shape, container = SHOWCASE_SHAPES[showcase], self.containers[0]
        else:
            shape = _SHAPE_NAMES[bisect(_SHAPE_CUM, rng.random() * _SHAPE_CUM[-1])]
        user = self._profile(uid, rng, shape, container.domain)

        roles = []
        r = rng.random()
        if r < 0.25:
            roles.append(
                {
                    "userId": uid,
                    "orgId": rng.choice(container.learner_org_ids),
                    "role": "learner",
                }
            )
        elif r < 0.26:
            dept, _ = rng.choice(container.departments)
            roles.append({"userId": uid, "orgId": dept, "role": "instructor"})
        elif r < 0.263 and container.topics:
            roles.append({"userId": uid, "orgId": rng.choice(container.topics), "role": "admin"})

        k = rng.randint(0, 2 * self.mean_courses)
        if showcase < len(STAGES) * 2:
            k = max(k, 1)
        picks = [(course, container) for course in self._pick_courses(rng, container, k)]
        if rng.random() < 0.05 and len(self.containers) > 1:
            other = rng.choice([c for c in self.containers if c is not container])
            picks += [(course, other) for course in self._pick_courses(rng, other, 2)]
        members = []
        for position, (course_id, _) in enumerate(picks):
            if (uid, course_id) in self.staff_pairs:
                continue
            stage = self._stage(rng)
            if shape == "never_seen":
                stage = "invited"  # someone who never came can only have been invited
            elif position == 0 and showcase < len(STAGES) * 2:
                stage = STAGES[showcase % len(STAGES)]
            members.append(self._membership(rng, uid, course_id, stage))
        return user, roles, members

    def _staff_user(self, uid, rng, container, position):
        """(user, orgRoles) for a course author: an instructor; the first few also admins."""
        user = self._profile(uid, rng, "first_last", container.domain)
        user["username"] = user["username"] or f"{_FIRST_HANDLES[user['firstName']]}{uid}"
        dept = rng.choice(container.departments)[0]
        roles = [{"userId": uid, "orgId": dept, "role": "instructor"}]
        if position == 0:
            roles.append({"userId": uid, "orgId": container.org_id, "role": "admin"})
        elif position <= len(container.units):
            unit = container.units[position - 1]
            roles.append({"userId": uid, "orgId": unit, "role": "admin"})
        return user, roles

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


KINDS = ("users", "orgs", "orgRoles", "courses", "courseMembers", "credentials")


def demo_today():
    """Midnight UTC of the current day: the default "now" of a demo."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def demo_dataset(users=DEFAULT_USERS, seed=DEFAULT_SEED, *, now=None):
    """The whole demo as one dataset dict (for small demos and tests)."""
    merged = {kind: [] for kind in KINDS}
    for _, batch in DemoDataset(users, seed, now=now).batches():
        for kind, records in batch.items():
            merged[kind] += records
    return merged


def seed_demo(
    users=DEFAULT_USERS, seed=DEFAULT_SEED, *, now=None, replace=False, progress=False, out=None
):
    """Write the demo through the dataset loader, batch by batch, in one transaction.

    Return the number of records written per kind. With replace, the first batch (which
    holds every kind) empties the dataset's tables first.
    """
    from dashboards.dataset.load import load_dataset

    demo = DemoDataset(users, seed, now=now)
    counts = dict.fromkeys(KINDS, 0)
    with (
        tqdm(total=users, unit=" users", disable=not progress, file=out or sys.stderr) as bar,
        roster.paused_for_bulk_write(),
    ):
        for index, (n_users, batch) in enumerate(demo.batches()):
            load_dataset(batch, replace=replace and index == 0, progress=False)
            for kind, records in batch.items():
                counts[kind] += len(records)
            bar.update(n_users)
    if connection.vendor == "postgresql":
        # Until autovacuum gets to them, freshly filled tables have no planner statistics
        # (and the admin's row estimates read -1).
        models = (User, Org, OrgRole, Course, CourseShare, CourseMember, Credential)
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
    return counts


@dataclass(frozen=True)
class DemoAccess:
    """What seed_demo prints: the demo logins and keys found in the database, with real ids."""

    logins: list  # (DemoLogin, present in the database)
    keys: list  # (label, key), only keys present in the database
    container: Org | None
    course: Course | None
    managed_courses: int

    @property
    def is_demo(self):
        return any(present for _, present in self.logins)


def demo_access():
    """Look up the demo logins, keys and example ids in the database."""
    usernames = User.objects.filter(username__in=[login.username for login in LOGINS])
    present = set(usernames.values_list("username", flat=True))
    labels = {
        PARTNER_KEY: "partner key",
        ORG_ADMIN_TOKEN: f"token of {ORG_ADMIN.username}",
        ORG_ADMIN_SESSION: f"session of {ORG_ADMIN.username}",
    }
    stored = set(
        Credential.objects.filter(
            key_hash__in=[Credential.hash_key(key) for key in labels]
        ).values_list("key_hash", flat=True)
    )
    container = (
        Org.objects.filter(
            org_type=Org.CONTAINER,
            roles__user__username=ORG_ADMIN.username,
            roles__role=OrgRole.ADMIN,
        )
        .order_by("id")
        .first()
    )
    course = None
    if container is not None:
        course = (
            Course.objects.filter(container=container, shares__isnull=False).order_by("id").first()
        )
    managed = CourseMember.objects.filter(
        user__username=MANAGER.username, join_status=CourseMember.MANAGER
    ).count()
    return DemoAccess(
        logins=[(login, login.username in present) for login in LOGINS],
        keys=[(label, key) for key, label in labels.items() if Credential.hash_key(key) in stored],
        container=container,
        course=course,
        managed_courses=managed,
    )


def access_report(access, base_url="http://127.0.0.1:8000"):
    """The lines seed_demo prints: URLs to open, demo logins and keys, one curl per API."""
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
