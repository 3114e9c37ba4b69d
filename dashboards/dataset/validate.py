"""Check a parsed dataset against dataset-format.md and the database; return rows to write.

Every problem is collected (DatasetError keeps the first 50), so one run shows them all.
A field that breaks a rule becomes INVALID in its row, and later checks skip it, so one
mistake is reported once.
"""

from dataclasses import dataclass, field
from itertools import islice

from dashboards.dataset import fields as f
from dashboards.dataset.errors import DatasetError, Problems
from dashboards.dataset.format import LISTS, USER_TEXT_FIELDS
from dashboards.dataset.reader import json_type
from dashboards.dataset.specs import EMAIL, INVALID, MISSING, REQUIRED, SPECS, USERNAME
from dashboards.models import Course, Org, User

MAX_PATH = Org._meta.get_field("path").max_length
DB_BATCH = 5000  # ids per IN (...) query, under SQLite's variable limit


@dataclass
class CheckedDataset:
    """Rows that passed every rule, plus what the writer needs to know about the database."""

    present: tuple = ()  # the lists the file has, in LISTS order
    rows: dict = field(default_factory=dict)  # list name -> [(index, *values)]
    org_places: dict = field(default_factory=dict)  # org id -> (path, container id)
    org_moves: list = field(default_factory=list)  # [(org id, path, container id)] not in file
    stored_users: dict = field(default_factory=dict)  # user id -> (password, username, email)


def check_dataset(data, *, replace=False, progress=None):
    """Return a CheckedDataset for `data`, or raise DatasetError with every problem.

    `progress` (a tqdm bar) advances by the records checked.
    """
    return _Checker(data, replace, progress).run()


def _chunks(items, size=DB_BATCH):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _valid(value):
    return value is not INVALID and value is not None


class _Checker:
    def __init__(self, data, replace, progress):
        self.data = data
        self.replace = replace
        self.progress = progress
        self.problems = Problems()

    def run(self):
        if not isinstance(self.data, dict):
            raise DatasetError([f"dataset: expected an object, got {json_type(self.data)}"])
        for key in self.data:
            if key not in LISTS:
                self.problems.add(key, f"unknown list (the lists are {', '.join(LISTS)})")
        self.present = tuple(name for name in LISTS if name in self.data)
        self.rows = {name: self.clean(name) for name in LISTS}
        self.users = self.unique_ids("users")
        self.unique_ids("orgs")
        self.courses = self.unique_ids("courses")
        self.check_user_names()
        self.check_org_tree()
        self.known_users = self.known(User, self.users, self.user_references())
        self.known_courses = self.known(Course, self.courses, self.course_references())
        self.check_org_roles()
        self.check_courses()
        self.check_course_members()
        self.check_credentials()
        self.problems.raise_if_any()
        return CheckedDataset(
            present=self.present,
            rows=self.rows,
            org_places=self.org_places,
            org_moves=self.org_moves,
            stored_users=self.stored_users,
        )

    def replaced(self, name):
        return self.replace and name in self.present

    def clean(self, name):
        """Check each record of one list field by field; return its rows."""
        records = self.data.get(name)
        if records is None:
            if name in self.data:
                self.problems.add(name, "expected a list, got null")
            return []
        if type(records) is not list:
            self.problems.add(name, f"expected a list, got {json_type(records)}")
            return []
        spec = SPECS[name]
        known = frozenset(field_name for field_name, _, _ in spec)
        add = self.problems.add
        rows = []
        for index, record in enumerate(records):
            if self.progress is not None and index % 50_000 == 49_999:
                self.progress.update(50_000)
            if type(record) is not dict:
                add(f"{name}[{index}]", f"expected an object, got {json_type(record)}")
                continue
            if not known.issuperset(record):
                for key in record:
                    if key not in known:
                        add(f"{name}[{index}].{key}", "unknown field")
            row = [index]
            for field_name, check, default in spec:
                value = record.get(field_name, MISSING)
                if value is MISSING:
                    value = default
                    if default is REQUIRED:
                        add(f"{name}[{index}].{field_name}", "required")
                        value = INVALID
                else:
                    try:
                        value = check(value)
                    except f.Invalid as error:
                        add(f"{name}[{index}].{field_name}{error.suffix}", str(error))
                        value = INVALID
                row.append(value)
            rows.append(tuple(row))
        if self.progress is not None:
            self.progress.update(len(records) % 50_000)
        return rows

    def unique_ids(self, name):
        """Report repeated ids in a list; return {id: index}."""
        first_index = {}
        for index, pk, *_ in self.rows[name]:
            if pk is INVALID:
                continue
            first = first_index.setdefault(pk, index)
            if first != index:
                self.problems.add(
                    f"{name}[{index}].id", f"{pk} is already the id of {name}[{first}]"
                )
        return first_index

    def known(self, model, in_file, wanted):
        """The ids among `wanted` that are in the file or (unless replaced) in the database."""
        missing = wanted.difference(in_file)
        found = set()
        if missing and not self.replaced(model_list(model)):
            for batch in _chunks(sorted(missing)):
                found.update(model.objects.filter(pk__in=batch).values_list("pk", flat=True))
        return wanted.intersection(in_file) | found

    def missing(self, where, kind, pk):
        self.problems.add(where, f"{kind} {pk} is neither in the file nor in the database")

    def check_user_names(self):
        """Usernames and emails are unique among users, in the file and in the database."""
        rows = self.rows["users"]
        self.stored_users = {}
        stored = bool(rows) and not self.replaced("users") and User.objects.exists()
        for batch in _chunks(sorted(self.users) if stored else ()):
            self.stored_users.update(
                (pk, tuple(rest))
                for pk, *rest in User.objects.filter(pk__in=batch).values_list(
                    "pk", "password", "username", "email"
                )
            )
        for position, file_field in ((USERNAME, "username"), (EMAIL, "email")):
            holders = {}
            for row in rows:
                value = row[position]
                if not _valid(value) or row[1] is INVALID:
                    continue
                first = holders.setdefault(value, row[0])
                if first != row[0]:
                    where = f"users[{row[0]}].{file_field}"
                    self.problems.add(where, f"{f.show(value)} is already used by users[{first}]")
            model_field = USER_TEXT_FIELDS[file_field][0]
            for batch in _chunks(sorted(holders) if stored else ()):
                clashes = User.objects.filter(**{f"{model_field}__in": batch})
                for pk, value in clashes.values_list("pk", model_field):
                    if pk not in self.users:
                        self.problems.add(
                            f"users[{holders[value]}].{file_field}",
                            f"{f.show(value)} is already used by user {pk} in the database",
                        )

    def check_org_tree(self):
        """Container rules, parents, no cycles; place every org (path, container)."""
        stored = {}
        if not self.replaced("orgs"):
            stored = {
                pk: (parent, org_type, path, container)
                for pk, parent, org_type, path, container in Org.objects.values_list(
                    "pk", "parent_id", "org_type", "path", "container_id"
                )
            }
        self.org_nodes = {pk: (parent, org_type) for pk, (parent, org_type, _, _) in stored.items()}
        file_orgs = {}
        for index, pk, _title, parent, org_type in self.rows["orgs"]:
            if pk is INVALID or pk in file_orgs:
                continue
            file_orgs[pk] = index
            self.org_nodes[pk] = (parent, org_type)
        for index, pk, _title, parent, org_type in self.rows["orgs"]:
            where = f"orgs[{index}].parentId"
            if parent is INVALID or org_type is INVALID:
                continue
            if org_type == Org.CONTAINER and parent is not None:
                self.problems.add(where, "a container has no parent (parentId must be null)")
            elif org_type != Org.CONTAINER and parent is None:
                self.problems.add(where, f"a {org_type} org needs a parent")
            elif parent is not None and parent not in self.org_nodes:
                self.missing(where, "org", parent)
            else:
                continue
            if pk in file_orgs and file_orgs[pk] == index:
                self.org_nodes[pk] = (INVALID, org_type)  # unplaceable: spares its subtree
        self.org_places, cycles = place_orgs(self.org_nodes)
        for cycle in cycles:
            # The stored tree has no cycles, so every cycle runs through an org of the file.
            index, start = min(
                (file_orgs[pk], at) for at, pk in enumerate(cycle) if pk in file_orgs
            )
            cycle = cycle[start:] + cycle[:start]
            loop = " → ".join(str(pk) for pk in [*cycle, cycle[0]])
            self.problems.add(f"orgs[{index}].parentId", f"the parent chain loops: {loop}")
        for pk, index in file_orgs.items():
            place = self.org_places.get(pk)
            if place and len(place[0]) > MAX_PATH:
                self.problems.add(
                    f"orgs[{index}].parentId", f"the tree is too deep (path over {MAX_PATH} chars)"
                )
        self.org_moves = [
            (pk, *self.org_places[pk])
            for pk, (_, _, path, container) in stored.items()
            if pk not in file_orgs
            and pk in self.org_places
            and self.org_places[pk] != (path, container)
        ]

    def org_type(self, pk):
        return self.org_nodes[pk][1]

    def check_container(self, where, pk):
        """Report unless `pk` is an existing container org; return whether it is one."""
        if pk not in self.org_nodes:
            self.missing(where, "org", pk)
            return False
        org_type = self.org_type(pk)
        if org_type is not INVALID and org_type != Org.CONTAINER:
            self.problems.add(where, f"org {pk} is a {org_type} org, not a container")
            return False
        return True

    def user_references(self):
        ids = {row[1] for row in self.rows["orgRoles"]}
        ids.update(row[1] for row in self.rows["courseMembers"])
        ids.update(row[5] for row in self.rows["courses"])
        ids.update(row[3] for row in self.rows["credentials"])
        return {pk for pk in ids if _valid(pk)}

    def course_references(self):
        return {row[2] for row in self.rows["courseMembers"] if row[2] is not INVALID}

    def check_org_roles(self):
        seen = {}
        for index, user, org, role in self.rows["orgRoles"]:
            if _valid(user) and user not in self.known_users:
                self.missing(f"orgRoles[{index}].userId", "user", user)
            if _valid(org) and org not in self.org_nodes:
                self.missing(f"orgRoles[{index}].orgId", "org", org)
            if INVALID not in (user, org, role):
                first = seen.setdefault((user, org, role), index)
                if first != index:
                    self.problems.add(
                        f"orgRoles[{index}]", f"the same role is already given at orgRoles[{first}]"
                    )

    def check_courses(self):
        for index, _pk, _title, _slug, container, creator, *_, shared_with in self.rows["courses"]:
            where = f"courses[{index}]"
            if _valid(creator) and creator not in self.known_users:
                self.missing(f"{where}.createdBy", "user", creator)
            if container is INVALID or shared_with is INVALID:
                continue
            if container is not None and not self.check_container(
                f"{where}.containerId", container
            ):
                continue
            for position, org in enumerate(shared_with):
                place = self.org_places.get(org)
                if org not in self.org_nodes:
                    self.missing(f"{where}.sharedWith[{position}]", "org", org)
                elif container is None:
                    self.problems.add(
                        f"{where}.sharedWith[{position}]",
                        f"org {org} cannot be shared with: the course has no container",
                    )
                elif place is not None and place[1] != container:
                    self.problems.add(
                        f"{where}.sharedWith[{position}]",
                        f"org {org} is not in the course's container {container}",
                    )

    def check_course_members(self):
        seen = {}
        known_users, known_courses = self.known_users, self.known_courses
        for index, user, course, *_ in self.rows["courseMembers"]:
            if user not in known_users and user is not INVALID:
                self.missing(f"courseMembers[{index}].userId", "user", user)
            if course not in known_courses and course is not INVALID:
                self.missing(f"courseMembers[{index}].courseId", "course", course)
            first = seen.setdefault((user, course), index)
            if first != index and user is not INVALID and course is not INVALID:
                self.problems.add(
                    f"courseMembers[{index}]",
                    f"user {user} is already a member of course {course} at courseMembers[{first}]",
                )

    def check_credentials(self):
        seen = {}
        for index, key, kind, user, container, _expires, _revoked in self.rows["credentials"]:
            where = f"credentials[{index}]"
            if key is not INVALID:
                first = seen.setdefault(key, index)
                if first != index:
                    self.problems.add(f"{where}.key", f"the same key is at credentials[{first}]")
            if _valid(user) and user not in self.known_users:
                self.missing(f"{where}.userId", "user", user)
            if _valid(container):
                self.check_container(f"{where}.containerId", container)
            if kind is INVALID or user is INVALID or container is INVALID:
                continue
            if kind == "partner" and user is not None:
                self.problems.add(f"{where}.userId", "a partner key has no user (use null)")
            if kind != "partner" and user is None:
                self.problems.add(f"{where}.userId", f"required for a {kind} credential")
            if kind != "session" and container is not None:
                self.problems.add(f"{where}.containerId", "only a session has a container")


def model_list(model):
    return {User: "users", Org: "orgs", Course: "courses"}[model]


def place_orgs(nodes):
    """Path and container of every org reachable from a root in {id: (parent id, type)}.

    Return ({id: (path, container id)}, cycles); an org whose parent is missing, invalid or
    on a cycle is left out.
    """
    places, broken, cycles = {}, set(), []
    for start in nodes:
        chain, on_chain, node, base = [], {}, start, None
        while True:
            if node in places:
                base = places[node]
                break
            if node in broken or node not in nodes:
                break
            if node in on_chain:
                cycles.append(chain[on_chain[node] :])
                break
            on_chain[node] = len(chain)
            chain.append(node)
            parent = nodes[node][0]
            if parent is None:
                chain.pop()
                base = places[node] = (f"/{node}/", node)
                break
            node = parent
        if base is None:
            broken.update(chain)
            continue
        path, container = base
        for pk in reversed(chain):
            path = f"{path}{pk}/"
            places[pk] = (path, container)
    return places, cycles
