"""The demo's people: name shapes, profiles, org roles and course memberships, with the
clock and the dice the whole demo draws from. Pure Python: no Django."""

import time
from bisect import bisect

from dashboards.demo.words import (
    BIOS,
    CITIES,
    FIRST_NAMES,
    LAST_NAMES,
    NICKNAMES,
)
from dashboards.text import normalize

DAY = 86_400

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


def between(rng, low, high):
    """A random integer in [low, high]: randint's result space, at a fraction of its cost."""
    return low + int(rng.random() * (high - low + 1))


def cumulative(weights):
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


_SHAPE_NAMES = [shape for shape, _ in NAME_SHAPES]
_SHAPE_CUM = cumulative(weight for _, weight in NAME_SHAPES)


class People:
    """The people half of DemoDataset: a regular user or a course author, with their roles
    and memberships, drawn from the structure DemoDataset built (containers, courses)."""

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
            record["lastSeen"] = iso(self.now - int(days * DAY) - between(rng, 0, DAY))
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
        joined = between(rng, created, self.now)
        record["joinedAt"] = iso(joined)
        if stage == "not_started":
            if rng.random() < 0.3:
                record["lastActiveAt"] = iso(between(rng, joined, self.now))
            return record
        start = min(self.now, joined + between(rng, 0, 2 * DAY))
        active = between(rng, start, self.now)
        record["startDate"] = iso(start) if rng.random() < 0.9 else None
        record["lastActiveAt"] = iso(active) if rng.random() < 0.95 else None
        if stage == "in_progress":
            record["completionRate"] = between(rng, 1, 99)
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
