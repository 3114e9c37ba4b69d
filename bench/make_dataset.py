"""Write a large, realistic dataset file for measuring load_dataset (docs/dataset.md).

    python bench/make_dataset.py --users 100000 --members 1000000 OUT.json.gz

The same arguments always give the same bytes. Shapes follow a real platform: a few
containers with org trees four levels deep, course sizes with a long tail, most members
joined, some invited or requested, completion and scores spread out, some users anonymous
or never seen.
"""

import argparse
import calendar
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboards.dataset.format import open_output, write_dataset  # noqa: E402

FIRST_NAMES = (
    "Ada",
    "Émile",
    "Zoë",
    "Søren",
    "Chloé",
    "José",
    "Åsa",
    "Björn",
    "Anaïs",
    "Ngozi",
    "Hiroshi",
    "Mei",
    "Olúwadámilọ́lá",
    "Ines",
    "Jürgen",
    "Léa",
    "François",
    "Małgorzata",
    "Nuño",
    "Ayşe",
    "Dmitri",
    "Priya",
    "Sven",
    "Ζωή",
    "Илья",
    "Thảo",
    "Aarav",
    "Fatima",
    "Kofi",
    "Lucía",
    "Noah",
    "Emma",
    "Liam",
    "Olivia",
    "Mateo",
    "Sofía",
    "Yuki",
    "Amir",
    "Hana",
    "Tomás",
    "Aoife",
    "Ciarán",
    "Zoltán",
    "Réka",
    "Øystein",
)
LAST_NAMES = (
    "Lovelace",
    "Zola",
    "Kierkegaard",
    "Núñez",
    "Dubois",
    "García",
    "Ødegaard",
    "Müller",
    "Nakamura",
    "Okafor",
    "Şahin",
    "Kowalski",
    "Ivanova",
    "Nguyễn",
    "Smith",
    "Jones",
    "O'Brien",
    "van der Berg",
    "da Silva",
    "Papadopoulos",
    "Haddad",
    "Fernández",
    "Lindqvist",
    "Novák",
    "Horváth",
    "Andersen",
    "Rossi",
    "Bianchi",
    "Cohen",
    "Mensah",
    "Patel",
    "Kim",
    "Lee",
    "Tanaka",
)
CITIES = (
    "London",
    "Paris",
    "Lagos",
    "São Paulo",
    "Kyoto",
    "Zürich",
    "Reykjavík",
    "Montréal",
    "Kraków",
    "Nairobi",
)
ORG_WORDS = (
    "Sales",
    "Support",
    "Engineering",
    "Research",
    "Marketing",
    "Finance",
    "Operations",
    "Academy",
    "Legal",
    "People",
    "Design",
    "Data",
    "Security",
    "Quality",
    "Logistics",
    "Partners",
    "Training",
    "Community",
)
REGIONS = (
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Europe",
    "Americas",
    "Asia",
    "Africa",
    "Pacific",
)
COURSE_WORDS = (
    "Intro to Statistics",
    "Advanced Python",
    "Safety at Work",
    "Leadership Basics",
    "Data Privacy",
    "Négociation commerciale",
    "Customer Care",
    "Cloud Fundamentals",
    "Écriture technique",
    "First Aid",
    "Project Management",
    "Machine Learning",
    "Accessibility",
    "Onboarding",
    "Financial Literacy",
)
CONTAINER_NAMES = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Hooli",
)

START = 1_735_689_600  # 2025-01-01T00:00:00Z
END = 1_793_491_200  # 2026-11-01T00:00:00Z


def iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


class Generator:
    def __init__(self, *, users, members, orgs, courses, containers, passwords, seed):
        self.rng = random.Random(seed)
        self.n_users, self.n_members = users, members
        self.n_orgs, self.n_courses = max(orgs, containers), courses
        self.n_containers, self.n_passwords = containers, passwords

    def build(self):
        orgs = self.orgs()
        users, homes = self.users()
        courses = self.courses(orgs, homes)
        return {
            "users": users,
            "orgs": orgs,
            "orgRoles": self.org_roles(orgs, homes),
            "courses": courses,
            "courseMembers": self.course_members(courses, homes),
            "credentials": self.credentials(),
        }

    def orgs(self):
        rng, orgs = self.rng, []
        self.containers = list(range(1, self.n_containers + 1))
        self.tree = {c: [c] for c in self.containers}  # container -> its org ids
        depth = {}
        for pk in self.containers:
            name = CONTAINER_NAMES[(pk - 1) % len(CONTAINER_NAMES)]
            orgs.append(
                {"id": pk, "title": f"{name} {pk}", "parentId": None, "orgType": "container"}
            )
            depth[pk] = 0
        for pk in range(self.n_containers + 1, self.n_orgs + 1):
            container = rng.choice(self.containers)
            if rng.random() < 0.08:
                parent, org_type = container, "portal"
            else:
                candidates = [o for o in self.tree[container] if depth[o] < 4]
                parent = rng.choice(candidates)
                org_type = "topic" if rng.random() < 0.3 else "base"
            title = f"{rng.choice(ORG_WORDS)} {rng.choice(REGIONS)} {pk}"
            orgs.append({"id": pk, "title": title, "parentId": parent, "orgType": org_type})
            depth[pk] = depth[parent] + 1
            self.tree[container].append(pk)
        return orgs

    def users(self):
        rng, users, homes = self.rng, [], {}
        for pk in range(1, self.n_users + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            shape = rng.random()
            record = {
                "id": pk,
                "username": f"{first.lower()}.{last.lower().replace(' ', '-')}.{pk}",
                "email": f"{first.lower()}.{pk}@example.org",
                "firstName": first,
                "lastName": last,
                "fn": None,
                "fullName": None,
                "location": rng.choice(CITIES) if rng.random() < 0.4 else None,
                "shortDesc": None,
                "longDesc": None,
                "website": f"https://{pk}.example.org" if rng.random() < 0.05 else None,
                "avatar": f"https://cdn.example.org/u/{pk}.png" if rng.random() < 0.3 else None,
                "lastSeen": iso(rng.randrange(START, END)) if rng.random() < 0.85 else None,
            }
            if shape < 0.04:  # anonymous
                record.update(username=None, email=None, firstName=None, lastName=None)
            elif shape < 0.12:
                record["lastName"] = None
            elif shape < 0.16:
                record["firstName"] = None
            elif shape < 0.20:
                record["fn"] = f"{first} {last[0]}."
            elif shape < 0.28:
                record["fullName"] = f"{first} {rng.choice(LAST_NAMES)} {last}"
            if rng.random() < 0.1:
                record["shortDesc"] = f"{rng.choice(ORG_WORDS)} at {rng.choice(CITIES)}"
            if pk <= self.n_passwords:
                record["password"] = f"bench-password-{pk}"
            users.append(record)
            homes[pk] = self.containers[pk % len(self.containers)]
        return users, homes

    def org_roles(self, orgs, homes):
        rng, roles = self.rng, []
        for pk, container in homes.items():
            if rng.random() < 0.7:
                roles.append(
                    {"userId": pk, "orgId": rng.choice(self.tree[container]), "role": "learner"}
                )
            if rng.random() < 0.01:
                org = rng.choice(self.tree[container])
                roles.append({"userId": pk, "orgId": org, "role": "instructor"})
                if rng.random() < 0.2:
                    roles.append({"userId": pk, "orgId": org, "role": "admin"})
        return roles

    def courses(self, orgs, homes):
        rng, courses = self.rng, []
        residents = {c: [pk for pk, home in homes.items() if home == c] for c in self.containers}
        self.residents = residents
        for pk in range(1, self.n_courses + 1):
            container = None if rng.random() < 0.03 else rng.choice(self.containers)
            pool = residents[container] if container else None
            shared = []
            if container:
                shared = sorted(
                    rng.sample(
                        self.tree[container], min(len(self.tree[container]), rng.randrange(0, 4))
                    )
                )
            courses.append(
                {
                    "id": pk,
                    "title": f"{rng.choice(COURSE_WORDS)} {pk}",
                    "slug": f"course-{pk}",
                    "containerId": container,
                    "createdBy": rng.choice(pool) if pool else None,
                    "createdAt": iso(rng.randrange(START, END - 86_400 * 60)),
                    "type": rng.choice(("self-paced", "self-paced", "structured", "scheduled")),
                    "privacy": rng.choice(("", "open", "open", "private", "secret")),
                    "sharedWith": shared,
                }
            )
        return courses

    def course_members(self, courses, homes):
        rng, members = self.rng, []
        # A long tail: a few courses hold many members, most hold few.
        weights = [1 / (rank + 10) for rank in range(len(courses))]
        rng.shuffle(weights)
        scale = self.n_members / sum(weights)
        sizes = [int(w * scale) for w in weights]
        for position in rng.sample(range(len(sizes)), self.n_members - sum(sizes)):
            sizes[position] += 1
        everyone = list(homes)
        for course, size in zip(courses, sizes, strict=True):
            pool = self.residents[course["containerId"]] if course["containerId"] else everyone
            if size > len(pool):
                pool = everyone
            size = min(size, len(pool))
            chosen = rng.sample(pool, size)
            if course["createdBy"] and course["createdBy"] not in chosen and chosen:
                chosen[0] = course["createdBy"]
            created = calendar.timegm(time.strptime(course["createdAt"], "%Y-%m-%dT%H:%M:%SZ"))
            for position, user in enumerate(sorted(chosen)):
                members.append(
                    self.member(course, user, position, created, user == course["createdBy"])
                )
        return members

    def member(self, course, user, position, created, is_creator):
        rng = self.rng
        roll = rng.random()
        status = "joined"
        if is_creator:
            status = "creator"
        elif roll < 0.02:
            status = "manager"
        elif roll < 0.12:
            status = "invited"
        elif roll < 0.17:
            status = "requested"
        record = {
            "userId": user,
            "courseId": course["id"],
            "joinStatus": status,
            "joinedAt": None,
            "lastActiveAt": None,
            "completionRate": 0,
            "startDate": None,
            "finishDate": None,
            "score": None,
        }
        if status in ("invited", "requested"):
            return record
        joined = rng.randrange(created, END)
        record["joinedAt"] = iso(joined)
        progress = rng.random()
        if progress < 0.3:  # joined, never started
            return record
        start = rng.randrange(joined, min(joined + 86_400 * 30, END) + 1)
        record["startDate"] = iso(start)
        record["lastActiveAt"] = iso(rng.randrange(start, END + 1))
        if progress < 0.8:
            record["completionRate"] = rng.randrange(1, 100)
        else:
            record["completionRate"] = 100
            record["finishDate"] = record["lastActiveAt"]
            record["score"] = round(rng.uniform(0.4, 1.0), 2)
        return record

    def credentials(self):
        credentials = [{"key": "bench-partner-key-0000000000000000", "kind": "partner"}]
        for pk in range(1, min(self.n_users, 20) + 1):
            credentials.append(
                {"key": f"bench-token-{pk:08d}-00000000", "kind": "token", "userId": pk}
            )
            credentials.append(
                {
                    "key": f"bench-session-{pk:08d}-0000000",
                    "kind": "session",
                    "userId": pk,
                    "containerId": self.containers[pk % len(self.containers)],
                    "expiresAt": "2030-01-01T00:00:00Z",
                }
            )
        return credentials


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", help="the file to write, .json or .json.gz")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--courses", type=int, default=1_000)
    parser.add_argument("--containers", type=int, default=5)
    parser.add_argument(
        "--passwords", type=int, default=0, help="give the first N users a password"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.users < 1 or args.courses < 1 or args.containers < 1:
        parser.error("--users, --courses and --containers must be at least 1")
    if args.members > args.users * args.courses:
        parser.error("--members cannot exceed users × courses (one membership per pair)")
    started = time.monotonic()
    data = Generator(
        users=args.users,
        members=args.members,
        orgs=args.orgs,
        courses=args.courses,
        containers=args.containers,
        passwords=args.passwords,
        seed=args.seed,
    ).build()
    with open_output(args.out) as out:
        counts = write_dataset(out, data)
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    print(f"Wrote {summary} to {args.out} in {time.monotonic() - started:.1f} s.", file=sys.stderr)


if __name__ == "__main__":
    main()
