"""The dataset file's shape (dataset-format.md): list names, field names, and its writer.

No Django imports here, so bench/make_dataset.py can write files without a settings module.
"""

import contextlib
import gzip
import io
import json
import os
from pathlib import Path

from dashboards.text import utc_iso

LISTS = ("users", "orgs", "orgRoles", "courses", "courseMembers", "credentials")
# What dump_dataset writes, in this order; credentials never leave the database.
DUMPED_LISTS = ("users", "orgs", "orgRoles", "courses", "courseMembers")

USER_TEXT_FIELDS = {
    # file field: (model field, max length or None)
    "username": ("username", 150),
    "email": ("email", 254),
    "firstName": ("first_name", 255),
    "lastName": ("last_name", 255),
    "fn": ("fn", 255),
    "fullName": ("full_name", 255),
    "location": ("location", 255),
    "shortDesc": ("short_desc", None),
    "longDesc": ("long_desc", None),
    "website": ("website", 1000),
    "avatar": ("avatar", 1000),
}

ORG_TYPES = ("container", "base", "portal", "topic")
ROLES = ("admin", "instructor", "learner")
COURSE_TYPES = ("self-paced", "structured", "scheduled")
PRIVACIES = ("", "open", "private", "secret")
JOIN_STATUSES = ("creator", "manager", "joined", "invited", "requested")
CREDENTIAL_KINDS = ("partner", "session", "token")


def format_timestamp(value):
    """An aware datetime as ISO 8601 in UTC with a Z; None stays None."""
    return None if value is None else utc_iso(value)


def write_dataset(out, lists):
    """Write {name: iterable of records} to the text stream `out`, one record a line.

    Return the number of records written per list. Keys keep the order given, so equal data
    gives equal bytes.
    """
    counts = {}
    out.write("{")
    for position, (name, records) in enumerate(lists.items()):
        out.write(f"{',' if position else ''}\n  {json.dumps(name)}: [")
        count = 0
        for record in records:
            out.write(",\n    " if count else "\n    ")
            out.write(json.dumps(record, ensure_ascii=False))
            count += 1
        out.write("\n  ]" if count else "]")
        counts[name] = count
    out.write("\n}\n")
    return counts


@contextlib.contextmanager
def open_output(path):
    """Open a path for writing text, gzip-compressed when it ends in .gz.

    The file appears complete or not at all (written beside it, then renamed). The gzip
    header carries no timestamp or file name, so equal text gives equal bytes.
    """
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as raw:
            binary = raw
            if path.name.endswith(".gz"):
                binary = gzip.GzipFile(
                    filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0
                )
            text = io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
            yield text
            text.flush()
            text.detach()
            if binary is not raw:
                binary.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
