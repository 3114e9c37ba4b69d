"""Import faults leave the database exactly as it was: the row counts and the checksum of a
dump are unchanged after every refused file, and after a load killed while writing."""

import copy
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.dataset_samples import MODELS, full_dataset, run_load, write_json

ROOT = Path(__file__).resolve().parents[2]


def fingerprint(tmp_path):
    """Row counts per model and the SHA-256 of a dump (dumps are byte-stable)."""
    target = tmp_path / f"dump-{time.monotonic_ns()}.json"
    call_command("dump_dataset", str(target), stdout=StringIO(), stderr=StringIO())
    counts = {model.__name__: model.objects.count() for model in MODELS}
    return counts, hashlib.sha256(target.read_bytes()).hexdigest()


def with_change(change):
    data = full_dataset()
    change(data)
    return data


FAULTS = {
    "wrong types": lambda d: d["users"][0].update(id="1", lastSeen=12),
    "NUL in a string": lambda d: d["users"][0].update(username="ada\x00"),
    "NUL in a title": lambda d: d["courses"][0].update(title="Stats\x00"),
    "duplicate ids": lambda d: d["users"].append(copy.deepcopy(d["users"][0])),
    "a missing parent": lambda d: d["orgs"][0].update(parentId=999),
    "a cycle": lambda d: d["orgs"][2].update(parentId=12),
    "a cross-container share": lambda d: d["courses"][0].update(sharedWith=[10, 20]),
    "an unknown member": lambda d: d["courseMembers"][0].update(userId=999),
}


@pytest.fixture
def loaded(db, tmp_path):
    run_load(write_json(tmp_path / "good.json", full_dataset()))
    # A second, different state on top, so "as before" is not just "as in the file".
    data = full_dataset()
    data["users"][0]["location"] = "Paris"
    run_load(write_json(tmp_path / "update.json", {"users": [data["users"][0]]}))
    return fingerprint(tmp_path)


def refused(path, *options):
    with pytest.raises(CommandError):
        call_command(
            "load_dataset",
            str(path),
            "--no-progress",
            *options,
            stdout=StringIO(),
            stderr=StringIO(),
        )


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("replace", [False, True], ids=["upsert", "replace"])
def test_a_refused_file_changes_nothing(tmp_path, loaded, fault, replace):
    path = write_json(tmp_path / "bad.json", with_change(FAULTS[fault]))
    refused(path, *(["--replace"] if replace else []))
    assert fingerprint(tmp_path) == loaded


@pytest.mark.parametrize("cut", [1, 100, 0.5, 0.99])
def test_a_truncated_file_changes_nothing(tmp_path, loaded, cut):
    text = json.dumps(full_dataset())
    end = int(len(text) * cut) if isinstance(cut, float) else cut
    path = tmp_path / "truncated.json"
    path.write_text(text[:end], encoding="utf-8")
    refused(path, "--replace")
    assert fingerprint(tmp_path) == loaded


def test_a_truncated_gzip_and_raw_nul_bytes_change_nothing(tmp_path, loaded):
    import gzip

    packed = gzip.compress(json.dumps(full_dataset()).encode())
    (tmp_path / "cut.json.gz").write_bytes(packed[: len(packed) // 2])
    refused(tmp_path / "cut.json.gz", "--replace")
    (tmp_path / "nul.json").write_bytes(b'{"users": [{"id": 1}]}\x00\x00')
    refused(tmp_path / "nul.json")
    (tmp_path / "latin.json").write_bytes(
        '{"users": [{"id": 1, "username": "é"}]}'.encode("latin-1")
    )
    refused(tmp_path / "latin.json")
    assert fingerprint(tmp_path) == loaded


# The kill test needs a database a second process can reach: a SQLite file of its own, or the
# PostgreSQL test database (committed data: transactional_db).


def manage(database_url, *args, **popen):
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    if popen:
        return subprocess.Popen(command, env=env, cwd=ROOT, **popen)
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)


def dump_fingerprint(database_url, tmp_path):
    target = tmp_path / f"dump-{time.monotonic_ns()}.json"
    manage(database_url, "dump_dataset", str(target))
    return hashlib.sha256(target.read_bytes()).hexdigest()


def database_url_for_a_second_process(tmp_path):
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user, host, port = settings["USER"], settings["HOST"], settings["PORT"] or 5432
        return f"postgres://{user}@{host}:{port}/{settings['NAME']}"
    url = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
    manage(url, "migrate", "--noinput")
    return url


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("delay", [0.2])
def test_a_load_killed_while_writing_changes_nothing(tmp_path, delay):
    # The big file is written while the database is prepared (a process of its own).
    big = tmp_path / "big.json"
    writer = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench/make_dataset.py"),
            "--users",
            "20000",
            "--members",
            "120000",
            "--orgs",
            "60",
            "--courses",
            "300",
            "--containers",
            "3",
            str(big),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    url = database_url_for_a_second_process(tmp_path)
    manage(
        url, "load_dataset", "--no-progress", str(write_json(tmp_path / "g.json", full_dataset()))
    )
    before = dump_fingerprint(url, tmp_path)
    _, errors = writer.communicate(timeout=300)
    assert writer.returncode == 0, errors
    loader = manage(
        url,
        "load_dataset",
        "--replace",
        "--progress",
        str(big),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    seen = b""
    deadline = time.monotonic() + 120
    while b"Writing" not in seen and time.monotonic() < deadline:
        chunk = os.read(loader.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    assert b"Writing" in seen, seen[-500:]
    time.sleep(delay)
    loader.send_signal(signal.SIGKILL)
    loader.wait(timeout=30)
    loader.stderr.close()
    assert loader.returncode == -signal.SIGKILL, "the load finished before it was killed"
    assert dump_fingerprint(url, tmp_path) == before
