"""Check a dataset against dataset-format.md and the database; return what to write.

Every problem is collected (DatasetError keeps the first 50), so one run shows them all.
A field that breaks a rule becomes INVALID in its row, and later checks skip it, so one
mistake is reported once. The records are checked as they are read; the long lists (users,
org roles, course members) go to temporary tables (staging.py) and their rules over the
whole list run in SQL (staged_checks.py), so memory does not grow with the file.
"""

import secrets
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from dashboards.dataset import fields as f
from dashboards.dataset.errors import Problems
from dashboards.dataset.fast_rows import member_row_checker
from dashboards.dataset.format import LISTS
from dashboards.dataset.org_tree import place_orgs
from dashboards.dataset.reader import Records, json_type
from dashboards.dataset.specs import INVALID, KEEP, MISSING, REQUIRED, SPECS
from dashboards.dataset.staged_checks import StagedChecks
from dashboards.dataset.staging import (
    PASSWORD_KEEP,
    PASSWORD_NONE,
    PASSWORD_SET,
    PROFILE_FIELDS,
    Staging,
)
from dashboards.dataset.upsert import timestamp_text_adapter
from dashboards.models import Org, User
from dashboards.models.users import user_keys

MAX_PATH = Org._meta.get_field("path").max_length
DB_BATCH = 5000  # ids per IN (...) query, under SQLite's variable limit
NAME_FIELDS = ("first_name", "last_name", "fn", "full_name")
STAGED = ("users", "orgRoles", "courseMembers")  # the lists kept in the database


@dataclass
class CheckedDataset:
    """What passed every rule: the staged lists in `staging`, the others as rows, plus what
    the writer needs to know about the database."""

    present: tuple = ()  # the lists the file has, in LISTS order
    counts: dict = field(default_factory=dict)  # list name -> records
    rows: dict = field(default_factory=dict)  # list name -> [(index, *values)], not staged
    staging: Staging | None = None
    org_places: dict = field(default_factory=dict)  # org id -> (path, container id)
    org_moves: list = field(default_factory=list)  # [(org id, path, container id)] not in file
    stored_users: bool = False  # the file has users and the database keeps others


def check_dataset(entries, *, replace=False, progress=None):
    """Return a CheckedDataset for `entries`, or raise DatasetError with every problem.

    `entries` is a dict, or (name, value) pairs in file order as iter_dataset_file yields
    them. Call inside transaction.atomic(): the staged rows live in temporary tables until
    the transaction ends. `progress` (a tqdm bar) advances by the records checked.
    """
    if isinstance(entries, dict):
        entries = entries.items()
    return _Checker(replace, progress).run(entries)


def _chunks(items, size=DB_BATCH):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _valid(value):
    return value is not INVALID and value is not None


def _stored(value):
    return None if value is INVALID else value


def _staged_user(row):
    """A user row as staged: INVALID as NULL; the keys and password to store when valid."""
    index, pk, *profile, last_seen, password, is_superuser = row
    if INVALID in row:
        return (index, _stored(pk), *map(_stored, profile), *(None,) * 8)
    names = dict(zip(PROFILE_FIELDS, profile, strict=True))
    keys = user_keys(
        **{name: names[name] for name in ("username", "email", *NAME_FIELDS)}
    )  # the profile's blank fields are None already (fields.optional_text)
    if password is KEEP:
        mode, given = PASSWORD_KEEP, None
    elif password is None:
        mode, given = PASSWORD_NONE, None
    else:
        mode, given = PASSWORD_SET, password
    fallback = UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20) if mode != PASSWORD_SET else None
    return (
        index,
        pk,
        *profile,
        last_seen,
        mode,
        given,
        fallback,
        is_superuser,
        *keys,
    )


class _Checker:
    def __init__(self, replace, progress):
        self.replace = replace
        self.progress = progress
        self.unknown = Problems()
        self.field_problems = {name: Problems() for name in LISTS}
        self.problems = Problems()
        self.counts = dict.fromkeys(LISTS, 0)
        self.rows = {name: [] for name in LISTS if name not in STAGED}
        self.present = set()
        self.unknown_keys = set()

    def run(self, entries):
        self.staging = Staging()
        self.fast_rows = {"courseMembers": member_row_checker(timestamp_text_adapter())}
        for key, value in entries:
            if key in LISTS:
                self.present.add(key)
                self.clean(key, value)
                continue
            if isinstance(value, Records):
                value.drain()
            if key not in self.unknown_keys:
                self.unknown_keys.add(key)
                self.unknown.add(key, f"unknown list (the lists are {', '.join(LISTS)})")
        self.present = tuple(name for name in LISTS if name in self.present)
        self.problems.extend(self.unknown)
        for name in LISTS:
            self.problems.extend(self.field_problems[name])
        self.sql = StagedChecks(self.problems, self.replaced)
        self.staging.finish(STAGED)
        self.sql.user_ids()
        self.unique_ids("orgs")
        self.courses = self.unique_ids("courses")
        self.check_user_names()
        self.check_org_tree()
        self.staging.add_all("course_ids", ((pk,) for pk in self.courses))
        self.staging.add_all("org_ids", ((pk,) for pk in self.org_nodes))
        self.staging.finish(("course_ids", "org_ids"))
        self.sql.org_roles()
        self.check_courses()
        self.sql.course_members()
        self.check_credentials()
        self.problems.raise_if_any()
        return CheckedDataset(
            present=self.present,
            counts=self.counts,
            rows=self.rows,
            staging=self.staging,
            org_places=self.org_places,
            org_moves=self.org_moves,
            stored_users=self.stored_users,
        )

    def replaced(self, name):
        return self.replace and name in self.present

    def clean(self, name, records):
        """Check each record of one list field by field; keep or stage its rows."""
        # A list named twice in the file: the last one counts, as json.loads keeps it.
        problems = self.field_problems[name] = Problems()
        if name in STAGED:
            self.staging.restart(name)
        else:
            self.rows[name] = []
        self.counts[name] = 0
        if records is None:
            problems.add(name, "expected a list, got null")
            return
        if type(records) is not list and not isinstance(records, Records):
            problems.add(name, f"expected a list, got {json_type(records)}")
            return
        spec = SPECS[name]
        known = frozenset(field_name for field_name, _, _ in spec)
        add = problems.add
        keep = self.rows[name].append if name not in STAGED else None
        stage = self.staging.add
        fast = self.fast_rows.get(name)
        index = -1
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
            elif fast is not None and (row := fast(index, record)) is not None:
                stage(name, row)
                continue
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
            if keep is not None:
                keep(tuple(row))
            elif name == "users":
                stage(name, self.staging.stored(name, _staged_user(row)))
            else:
                stage(name, self.staging.stored(name, tuple(map(_stored, row))))
        self.counts[name] = index + 1
        if self.progress is not None:
            self.progress.update(self.counts[name] % 50_000)

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

    def check_user_names(self):
        """Usernames and emails are unique among users, in the file and in the database."""
        self.stored_users = (
            bool(self.counts["users"]) and not self.replaced("users") and User.objects.exists()
        )
        for name in ("username", "email"):
            self.sql.user_names(name, self.stored_users)

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

    def missing(self, where, kind, pk):
        self.problems.add(where, f"{kind} {pk} is neither in the file nor in the database")

    def known_users(self, ids):
        return self.sql.known_users({pk for pk in ids if _valid(pk)}, _chunks)

    def check_courses(self):
        known_users = self.known_users(row[5] for row in self.rows["courses"])
        for index, _pk, _title, _slug, container, creator, *_, shared_with in self.rows["courses"]:
            where = f"courses[{index}]"
            if _valid(creator) and creator not in known_users:
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

    def check_credentials(self):
        known_users = self.known_users(row[3] for row in self.rows["credentials"])
        seen = {}
        for index, key, kind, user, container, _expires, _revoked in self.rows["credentials"]:
            where = f"credentials[{index}]"
            if key is not INVALID:
                first = seen.setdefault(key, index)
                if first != index:
                    self.problems.add(f"{where}.key", f"the same key is at credentials[{first}]")
            if _valid(user) and user not in known_users:
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
